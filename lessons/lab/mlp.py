"""A dense net for binary classification with backpropagation written out by hand.

Hidden layer l computes h_l = act(N(h_(l-1) @ W_l + b_l)), N batch norm with batchnorm=True
(each unit over the batch) or layer norm with layernorm=True (each sample over its units),
or with residual=True h_l = h_(l-1) + act(...) for l >= 2, where input and output widths
match. The output layer is one sigmoid unit trained with binary cross-entropy. Seeing
every factor of the chain rule is the point: the gradient reaching layer 1 is a product
of one local derivative per layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lessons.lab.activations import get_activation, sigmoid
from lessons.lab.config import NetConfig
from lessons.lab.init import init_weight

BN_EPS = 1e-5


def bce_with_logits(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean binary cross-entropy of sigmoid(logits) against 0/1 targets, and its gradient.

    Computed from the logit z as max(z, 0) - z y + log(1 + exp(-|z|)), which never takes
    the log of a probability that rounded to 0 or 1; so dL/dz = (sigmoid(z) - y) / batch
    stays right even for saturated samples (|z| around 40 and beyond).
    """
    with np.errstate(all="ignore"):
        per_sample = np.maximum(logits, 0.0) - logits * y + np.log1p(np.exp(-np.abs(logits)))
        return float(per_sample.mean()), (sigmoid(logits) - y) / logits.shape[0]


@dataclass(frozen=True)
class Gradients:
    """One forward and backward pass over a batch. Hidden-layer lists hold l = 1..depth."""

    loss: float
    logits: np.ndarray
    """Output pre-sigmoid values, shape (batch,)."""
    activations: list[np.ndarray]
    """h_l: each hidden layer's output, after the activation and any residual add."""
    preactivations: list[np.ndarray]
    """What went into the activation (after batch norm, if any)."""
    derivatives: list[np.ndarray]
    """act'(preactivation): the local factor the backward pass multiplies by at layer l."""
    signal_grads: list[np.ndarray]
    """dL/dh_l: the backward signal reaching each hidden layer's output."""
    param_grads: list[np.ndarray]
    """dL/dp for every p in net.params, same order."""
    weight_grads: list[np.ndarray]
    """dL/dW_l for l = 1..depth+1, aligned with net.weights."""
    stages: list[StageGrads] | None = None
    """Each hidden layer's backward stages, layer 1 first; only with keep_stages=True."""


@dataclass(frozen=True)
class StageGrads:
    """The backward step from dL/dh_l to dL/dh_(l-1), one tensor after each stage.

    dL/dh_l itself is Gradients.signal_grads[l - 1]; dL/dh_(l-1) is signal_grads[l - 2]
    (for layer 1, `branch`, the gradient reaching the input X).
    """

    preactivation: np.ndarray
    """dL/d(activation input): dL/dh_l times the activation's slope."""
    linear: np.ndarray | None
    """dL/dz, z = h_(l-1) W_l + b_l, after the way back through batch or layer norm; None
    without either."""
    branch: np.ndarray
    """dL/dz W_l^T: what the layer's branch passes to h_(l-1), before any identity path."""


@dataclass
class _BatchNormCache:
    normalized: np.ndarray
    inv_std: np.ndarray
    mean: np.ndarray


@dataclass
class _Forward:
    """What the backward pass needs from the forward pass, hidden layers in order."""

    activations: list[np.ndarray] = field(default_factory=list)
    preactivations: list[np.ndarray] = field(default_factory=list)
    derivatives: list[np.ndarray] = field(default_factory=list)
    batchnorm: list[_BatchNormCache] = field(default_factory=list)
    logits: np.ndarray = field(default_factory=lambda: np.empty(0))


class MLP:
    """in_dim -> depth hidden layers of `width` units -> 1 logit, float64, seeded: the net
    a NetConfig describes (`MLP(NetConfig(depth=20))`; every default lives there).

    Weights have shape (fan_in, fan_out) and are all drawn with `init` (output layer too)
    from np.random.default_rng(seed); biases and batch-norm shifts start at 0, batch-norm
    scales at 1. Batch norm always normalizes with the statistics of the batch it is given.
    """

    def __init__(self, config: NetConfig) -> None:
        self.config = config
        """The settings the net was built from; its `batch` is for the data, not the net,
        which works on any batch."""
        self.in_dim, self.width, self.depth = config.in_dim, config.width, config.depth
        self.batchnorm, self.layernorm = config.batchnorm, config.layernorm
        self.residual = config.residual
        self.act = get_activation(
            config.activation, leaky_slope=config.leaky_slope, elu_alpha=config.elu_alpha
        )

        rng = np.random.default_rng(config.seed)
        self.params: list[np.ndarray] = []
        """Every trainable array, live: W1, b1, [gamma1, beta1,] ..., W{depth+1}, b{depth+1}."""
        self.param_names: list[str] = []
        normalized = self.batchnorm or self.layernorm
        sizes = [self.in_dim] + [self.width] * self.depth + [1]
        for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
            self._add(f"W{layer}", init_weight(config.init, fan_in, fan_out, rng))
            self._add(f"b{layer}", np.zeros(fan_out))
            if normalized and layer <= self.depth:
                self._add(f"gamma{layer}", np.ones(fan_out))
                self._add(f"beta{layer}", np.zeros(fan_out))
        self._per_layer = 4 if normalized else 2
        self._weight_index = [i for i, name in enumerate(self.param_names) if name[0] == "W"]

    def _add(self, name: str, value: np.ndarray) -> None:
        self.param_names.append(name)
        self.params.append(value)

    @property
    def weights(self) -> list[np.ndarray]:
        """W_1..W_(depth+1), input layer first. The arrays are live (edit them in place);
        to swap one for a new array, assign into `params`."""
        return [self.params[i] for i in self._weight_index]

    def _layer(self, layer: int) -> list[np.ndarray]:
        start = (layer - 1) * self._per_layer
        return self.params[start : start + (2 if layer > self.depth else self._per_layer)]

    def _check(self, name: str, h: np.ndarray, first_layer: int = 1) -> np.ndarray:
        h = np.asarray(h, dtype=np.float64)
        width = self.in_dim if first_layer == 1 else self.width
        if h.ndim != 2 or h.shape[0] < 1 or h.shape[1] != width:
            raise ValueError(
                f"{name}: must have shape (batch, {width}) with batch >= 1; got {h.shape}"
            )
        return h

    def _forward(
        self, h: np.ndarray, first_layer: int = 1, norm_stats: list[_BatchNormCache] | None = None
    ) -> _Forward:
        """norm_stats: batch-norm means and scales to use instead of h's own (one per layer);
        layer norm always uses each sample's own."""
        out = _Forward()
        for layer in range(first_layer, self.depth + 1):
            w, b, *scale_shift = self._layer(layer)
            pre = h @ w
            pre += b
            if scale_shift:
                gamma, beta = scale_shift
                batch = pre.shape[0]
                if self.layernorm:
                    mean = pre.mean(axis=1, keepdims=True)
                    normalized = pre - mean
                    inv_std = 1.0 / np.sqrt(
                        (normalized * normalized).mean(axis=1, keepdims=True) + BN_EPS
                    )
                elif norm_stats is None:
                    mean = _column_sums(pre) / batch
                    normalized = pre - mean
                    inv_std = 1.0 / np.sqrt(_column_sums(normalized * normalized) / batch + BN_EPS)
                else:
                    mean, inv_std = norm_stats[layer - 1].mean, norm_stats[layer - 1].inv_std
                    normalized = pre - mean
                normalized *= inv_std
                pre = normalized * gamma
                pre += beta
                out.batchnorm.append(_BatchNormCache(normalized, inv_std, mean))
            f, df = self.act.fn_and_grad(pre)
            h = h + f if self.residual and layer >= 2 else f
            out.preactivations.append(pre)
            out.derivatives.append(df)
            out.activations.append(h)
        w, b = self._layer(self.depth + 1)
        out.logits = (h @ w + b)[:, 0]
        return out

    def logits(self, h: np.ndarray, first_layer: int = 1) -> np.ndarray:
        """Output logits for input X; with first_layer=k, for h_(k-1) fed into layer k
        (how the tests check dL/dh by finite differences)."""
        if not 1 <= first_layer <= self.depth + 1:
            raise ValueError(
                f"first_layer: must be from 1 to {self.depth + 1}; got {first_layer!r}"
            )
        h = self._check("X" if first_layer == 1 else "h", h, first_layer)
        with np.errstate(all="ignore"):
            return self._forward(h, first_layer).logits

    def logits_against(self, points: np.ndarray, reference: np.ndarray) -> np.ndarray:
        """Logits for `points` with batch norm normalizing by the statistics of the batch
        `reference` (the training data), as a trained net is used; without batch norm this
        is logits(points). A grid of points has statistics of its own that mean nothing."""
        points = self._check("points", points)
        with np.errstate(all="ignore"):
            stats = self._forward(self._check("reference", reference)).batchnorm
            return self._forward(points, norm_stats=stats if self.batchnorm else None).logits

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """P(y = 1 | x) for each row of X, shape (batch,)."""
        return sigmoid(self.logits(X))

    def loss_and_grads(self, X: np.ndarray, y: np.ndarray, keep_stages: bool = False) -> Gradients:
        """Binary cross-entropy on (X, y) and the gradient of every parameter and hidden output.

        keep_stages=True also keeps every hidden layer's intermediate backward tensors
        (Gradients.stages), which the "why" view measures; training leaves them out.
        Never raises or warns on overflow: non-finite values simply propagate as inf/nan.
        """
        X = self._check("X", X)
        y = np.asarray(y, dtype=np.float64)
        if y.shape != (X.shape[0],):
            raise ValueError(
                f"y: must have shape ({X.shape[0]},), one 0/1 label per row of X; got {y.shape}"
            )
        with np.errstate(all="ignore"):
            fwd = self._forward(X)
            loss, dlogits = bce_with_logits(fwd.logits, y)
            return self._backward(X, fwd, loss, dlogits[:, None], keep_stages)

    def _backward(
        self, X: np.ndarray, fwd: _Forward, loss: float, grad: np.ndarray, keep_stages: bool
    ) -> Gradients:
        """Chain rule from the logit down to layer 1; `grad` is dL/dlogits, shape (batch, 1)."""
        param_grads: list[np.ndarray] = [np.empty(0)] * len(self.params)
        signal_grads: list[np.ndarray] = [np.empty(0)] * self.depth
        stages: list[StageGrads] = []
        inputs = [X] + fwd.activations
        for layer in range(self.depth + 1, 0, -1):
            w = self._layer(layer)[0]
            start = (layer - 1) * self._per_layer
            if layer <= self.depth:
                signal_grads[layer - 1] = grad
                upstream = grad
                grad = grad * fwd.derivatives[layer - 1]  # dL/d(preactivation)
                preactivation_grad = grad
                if self.batchnorm or self.layernorm:
                    norm_backward = _layernorm_backward if self.layernorm else _batchnorm_backward
                    gamma = self.params[start + 2]
                    grad, param_grads[start + 2], param_grads[start + 3] = norm_backward(
                        grad, fwd.batchnorm[layer - 1], gamma
                    )
            param_grads[start] = inputs[layer - 1].T @ grad
            param_grads[start + 1] = _column_sums(grad)
            kept = keep_stages and layer <= self.depth
            if kept:
                linear = grad if self.batchnorm or self.layernorm else None
                stages.append(StageGrads(preactivation_grad, linear, grad @ w.T))
            if layer > 1:
                grad = stages[-1].branch if kept else grad @ w.T  # dL/dh_(layer-1)
                if self.residual and 2 <= layer <= self.depth:
                    # the identity path of h_l = h_(l-1) + act(...); a new array when the
                    # branch's gradient is kept
                    grad = grad + upstream if keep_stages else np.add(grad, upstream, out=grad)
        return Gradients(
            loss=loss,
            logits=fwd.logits,
            activations=fwd.activations,
            preactivations=fwd.preactivations,
            derivatives=fwd.derivatives,
            signal_grads=signal_grads,
            param_grads=param_grads,
            weight_grads=[param_grads[i] for i in self._weight_index],
            stages=stages[::-1] if keep_stages else None,
        )


def _batchnorm_backward(
    grad: np.ndarray, cache: _BatchNormCache, gamma: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From dL/du, u = gamma * normalized + beta: (dL/d(pre-BN), dL/dgamma, dL/dbeta).

    The batch mean and variance depend on every sample, which adds the two mean terms:
    dL/dpre = gamma / std * (dL/du - mean(dL/du) - normalized * mean(dL/du * normalized)).
    """
    d_gamma = _column_sums(grad * cache.normalized)
    d_beta = _column_sums(grad)
    batch = grad.shape[0]
    pre = grad - d_beta / batch
    pre -= cache.normalized * (d_gamma / batch)
    pre *= gamma * cache.inv_std
    return pre, d_gamma, d_beta


def _layernorm_backward(
    grad: np.ndarray, cache: _BatchNormCache, gamma: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From dL/du, u = gamma * normalized + beta: (dL/d(pre-LN), dL/dgamma, dL/dbeta).

    Each sample's mean and variance over its own units depend on every unit, so the mean
    terms run along the row: with g = gamma dL/du,
    dL/dpre = (g - rowmean(g) - normalized * rowmean(g * normalized)) / std.
    """
    d_gamma = _column_sums(grad * cache.normalized)
    d_beta = _column_sums(grad)
    scaled = grad * gamma
    pre = scaled - scaled.mean(axis=1, keepdims=True)
    pre -= cache.normalized * (scaled * cache.normalized).mean(axis=1, keepdims=True)
    pre *= cache.inv_std
    return pre, d_gamma, d_beta


def _column_sums(a: np.ndarray) -> np.ndarray:
    """a.sum(axis=0) as a matrix-vector product, which BLAS does several times faster here."""
    sums: np.ndarray = np.ones(a.shape[0]) @ a
    return sums
