"""Recurrent cells (vanilla tanh RNN, LSTM, GRU) with backpropagation through time by hand.

Why by hand: lesson 10 shows the recurrent Jacobian being multiplied once per time
step, so every step of the backward pass here is plain numpy a learner can read.

Conventions follow PyTorch so the numbers match what learners meet in practice:
weights and both biases uniform in +-1/sqrt(hidden); gate order LSTM i, f, g, o and
GRU r, z, n with the reset gate applied to (h W_hn + b_hn). Matrices are stored as
(fan_in, fan_out), as everywhere in the lab. The loss is on the last step only:
L = 0.5 * ||h_T - target||^2 / batch, so the gradient reaching h_t measures how much
of that loss signal survives T - t steps of backpropagation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lessons.lab.config import RECURRENT_INITS, RNNConfig

PARAM_NAMES = ("W_ih", "W_hh", "b_ih", "b_hh")


@dataclass(frozen=True)
class RecurrentGrads:
    """One forward and backward pass: the loss and every gradient a lesson or test needs."""

    loss: float
    param_grads: list[np.ndarray]  # aligned with the cell's params
    hidden_grads: np.ndarray  # (batch, T, hidden): dL/dh_t for t = 1..T
    input_grads: np.ndarray  # (batch, T, in_dim): dL/dx_t


@dataclass(frozen=True)
class TimeProfile:
    """How the last step's loss gradient fades (or grows) going back in time."""

    config: RNNConfig
    norms: tuple[float, ...]  # ||dL/dh_t|| (Frobenius over batch and units), t = 1..T
    log10_ratio: float  # log10(norms[0] / norms[-1]); -inf on underflow to 0, inf/nan on overflow
    overflow_step: int | None  # latest t whose norm is not finite, None if all are finite


_Backward = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""dL/d(x_t W_ih + b_ih), dW_hh, db_hh and dL/dh_t, all time-major."""


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # same value as 1/(1+e^-x), never overflows


def _orthogonal(n: int, rng: np.random.Generator) -> np.ndarray:
    """A uniformly random n x n orthogonal matrix (QR of a Gaussian, signs fixed)."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


class _Recurrent:
    """Shared parameters, shape checks and loss; subclasses supply one cell's forward/backward."""

    gates = 1

    def __init__(
        self, in_dim: int, hidden: int, *, recurrent_init: str = "pytorch", seed: int = 0
    ) -> None:
        for field, value in (("in_dim", in_dim), ("hidden", hidden)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{field}: must be a whole number of at least 1; got {value!r}")
        if recurrent_init not in RECURRENT_INITS:
            raise ValueError(
                f"recurrent_init: must be one of {', '.join(RECURRENT_INITS)}; "
                f"got {recurrent_init!r}"
            )
        self.in_dim, self.hidden = in_dim, hidden
        rng = np.random.default_rng(seed)
        k, gh = 1.0 / np.sqrt(hidden), self.gates * hidden
        shapes = [(in_dim, gh), (hidden, gh), (gh,), (gh,)]
        self.params: list[np.ndarray] = [rng.uniform(-k, k, shape) for shape in shapes]
        """W_ih, W_hh, b_ih, b_hh, live: edit in place or assign into the list."""
        if recurrent_init == "orthogonal":
            self.params[1] = np.hstack([_orthogonal(hidden, rng) for _ in range(self.gates)])
        self.param_names = list(PARAM_NAMES)

    W_ih = property(lambda self: self.params[0], doc="Input weights, (in_dim, gates * hidden).")
    W_hh = property(lambda self: self.params[1], doc="Recurrent weights, (hidden, gates * hidden).")
    b_ih = property(lambda self: self.params[2], doc="Input-side bias, (gates * hidden,).")
    b_hh = property(lambda self: self.params[3], doc="Recurrent-side bias, (gates * hidden,).")

    def loss_and_grads(
        self, X: np.ndarray, target: np.ndarray, *, h_shift: np.ndarray | None = None
    ) -> RecurrentGrads:
        """Run the sequence from h_0 = 0, score h_T against target, backpropagate through time.

        X is (batch, T, in_dim) and target (batch, hidden). h_shift, if given, is added to
        each h_t as it is computed; hidden_grads is exactly the gradient with respect to it,
        which lets a test check hidden_grads by finite differences.
        """
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 3 or X.shape[2] != self.in_dim or X.shape[1] < 1 or X.shape[0] < 1:
            raise ValueError(f"X: must have shape (batch, T, {self.in_dim}); got {X.shape}")
        B, T, D = X.shape
        target = np.asarray(target, dtype=np.float64)
        if target.shape != (B, self.hidden):
            raise ValueError(f"target: must have shape ({B}, {self.hidden}); got {target.shape}")
        shift = None
        if h_shift is not None:
            if np.shape(h_shift) != (B, T, self.hidden):
                raise ValueError(
                    f"h_shift: must have shape ({B}, {T}, {self.hidden}); got {np.shape(h_shift)}"
                )
            shift = np.asarray(h_shift, dtype=np.float64).transpose(1, 0, 2)
        # Internally time-major, (T, batch, ...), so each step reads one contiguous block.
        x_flat = np.ascontiguousarray(X.transpose(1, 0, 2)).reshape(T * B, D)
        xw = (x_flat @ self.W_ih + self.b_ih).reshape(T, B, -1)
        cache = self._forward(xw, shift)
        diff = cache["h"][T] - target
        loss = 0.5 * float(np.sum(diff * diff)) / B
        dxw, dW_hh, db_hh, dh = self._backward(cache, diff / B)
        dxw_flat = dxw.reshape(T * B, -1)
        input_grads = (dxw_flat @ self.W_ih.T).reshape(T, B, D).transpose(1, 0, 2)
        grads = [x_flat.T @ dxw_flat, dW_hh, dxw_flat.sum(axis=0), db_hh]
        return RecurrentGrads(loss, grads, dh.transpose(1, 0, 2), input_grads)

    def _forward(self, xw: np.ndarray, shift: np.ndarray | None) -> dict[str, np.ndarray]:
        """Run the cell on x_t W_ih + b_ih, shape (T, batch, gates * hidden); cache for backward."""
        raise NotImplementedError

    def _backward(self, cache: dict[str, np.ndarray], dh_T: np.ndarray) -> _Backward:
        """Return dL/d(x_t W_ih + b_ih), dW_hh, db_hh and dL/dh_t, time-major."""
        raise NotImplementedError


def _recurrent_grads(h: np.ndarray, dhw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """dW_hh and db_hh from h_0..h_(T-1) and dL/d(h_(t-1) W_hh + b_hh) for every step."""
    T, B, H = h[:-1].shape
    return h[:-1].reshape(T * B, H).T @ dhw.reshape(T * B, -1), dhw.sum(axis=(0, 1))


class VanillaRNN(_Recurrent):
    """h_t = tanh(x_t W_ih + b_ih + h_{t-1} W_hh + b_hh): one tanh Jacobian per step."""

    gates = 1

    def _forward(self, xw: np.ndarray, shift: np.ndarray | None) -> dict[str, np.ndarray]:
        xw = xw + self.b_hh
        T, B, H = xw.shape
        h = np.zeros((T + 1, B, H))  # h[0] is the zero initial state
        y = np.empty((T, B, H))  # tanh output, before any shift
        for t in range(T):
            y[t] = np.tanh(xw[t] + h[t] @ self.W_hh)
            h[t + 1] = y[t] if shift is None else y[t] + shift[t]
        return {"h": h, "y": y}

    def _backward(self, cache: dict[str, np.ndarray], dh_T: np.ndarray) -> _Backward:
        h, y = cache["h"], cache["y"]
        local = 1.0 - y * y  # tanh'
        da = np.empty_like(y)
        hidden_grads = np.empty_like(y)
        dh = dh_T
        for t in range(len(y) - 1, -1, -1):
            hidden_grads[t] = dh
            da[t] = dh * local[t]
            dh = da[t] @ self.W_hh.T
        return (da, *_recurrent_grads(h, da), hidden_grads)


class LSTM(_Recurrent):
    """Long short-term memory: the cell state is updated additively, scaled by the forget gate.

    forget_bias is added to the forget gate's input bias after the uniform init; 1.0 is the
    Jozefowicz et al. (2015) recommendation that keeps the gate open at the start.
    """

    gates = 4

    def __init__(
        self,
        in_dim: int,
        hidden: int,
        *,
        forget_bias: float = 0.0,
        recurrent_init: str = "pytorch",
        seed: int = 0,
    ) -> None:
        super().__init__(in_dim, hidden, recurrent_init=recurrent_init, seed=seed)
        if (
            isinstance(forget_bias, bool)
            or not isinstance(forget_bias, (int, float))
            or not np.isfinite(forget_bias)
        ):
            raise ValueError(f"forget_bias: must be a finite number; got {forget_bias!r}")
        self.b_ih[hidden : 2 * hidden] += forget_bias

    def _forward(self, xw: np.ndarray, shift: np.ndarray | None) -> dict[str, np.ndarray]:
        xw = xw + self.b_hh
        T, B, H4 = xw.shape
        H = H4 // 4
        h = np.zeros((T + 1, B, H))
        c = np.zeros((T + 1, B, H))
        gates = np.empty((T, B, H4))  # activated i, f, g, o
        tc = np.empty((T, B, H))  # tanh(c_t)
        for t in range(T):
            z = xw[t] + h[t] @ self.W_hh
            gt = gates[t]
            gt[:] = _sigmoid(z)
            gt[:, 2 * H : 3 * H] = np.tanh(z[:, 2 * H : 3 * H])
            c[t + 1] = gt[:, H : 2 * H] * c[t] + gt[:, :H] * gt[:, 2 * H : 3 * H]
            tc[t] = np.tanh(c[t + 1])
            h[t + 1] = gt[:, 3 * H :] * tc[t]
            if shift is not None:
                h[t + 1] += shift[t]
        return {"h": h, "c": c, "gates": gates, "tc": tc}

    def _backward(self, cache: dict[str, np.ndarray], dh_T: np.ndarray) -> _Backward:
        h, c, gates, tc = cache["h"], cache["c"], cache["gates"], cache["tc"]
        T, B, H4 = gates.shape
        H = H4 // 4
        i, f, g, o = (gates[..., k * H : (k + 1) * H] for k in range(4))
        # Local derivatives for all steps at once; the loop below only chains them.
        dc_dh = o * (1.0 - tc * tc)  # through h_t = o * tanh(c_t)
        dz_dc = np.stack([g * i * (1.0 - i), c[:-1] * f * (1.0 - f), i * (1.0 - g * g)], axis=2)
        dzo_dh = tc * o * (1.0 - o)
        dz = np.empty((T, B, 4, H))  # dL/d(gate pre-activations) i, f, g, o
        hidden_grads = np.empty((T, B, H))
        dh, dc = dh_T, np.zeros((B, H))
        for t in range(T - 1, -1, -1):
            hidden_grads[t] = dh
            dc = dc + dh * dc_dh[t]
            dz[t, :, :3] = dc[:, None, :] * dz_dc[t]
            dz[t, :, 3] = dh * dzo_dh[t]
            dc = dc * f[t]
            dh = dz[t].reshape(B, H4) @ self.W_hh.T
        dz = dz.reshape(T, B, H4)
        return (dz, *_recurrent_grads(h, dz), hidden_grads)


class GRU(_Recurrent):
    """Gated recurrent unit: h_t = (1 - z) * n + z * h_{t-1}, fewer parameters than an LSTM."""

    gates = 3

    def _forward(self, xw: np.ndarray, shift: np.ndarray | None) -> dict[str, np.ndarray]:
        T, B, H3 = xw.shape
        H = H3 // 3
        h = np.zeros((T + 1, B, H))
        gates = np.empty((T, B, H3))  # activated r, z, n
        hn = np.empty((T, B, H))  # h_{t-1} W_hn + b_hn, which the reset gate scales
        for t in range(T):
            hw = h[t] @ self.W_hh + self.b_hh
            gt = gates[t]
            gt[:, : 2 * H] = _sigmoid(xw[t, :, : 2 * H] + hw[:, : 2 * H])
            hn[t] = hw[:, 2 * H :]
            gt[:, 2 * H :] = np.tanh(xw[t, :, 2 * H :] + gt[:, :H] * hn[t])
            z, n = gt[:, H : 2 * H], gt[:, 2 * H :]
            h[t + 1] = n + z * (h[t] - n)
            if shift is not None:
                h[t + 1] += shift[t]
        return {"h": h, "gates": gates, "hn": hn}

    def _backward(self, cache: dict[str, np.ndarray], dh_T: np.ndarray) -> _Backward:
        h, gates, hn = cache["h"], cache["gates"], cache["hn"]
        T, B, H3 = gates.shape
        H = H3 // 3
        r, z, n = (gates[..., k * H : (k + 1) * H] for k in range(3))
        dn_dh = (1.0 - z) * (1.0 - n * n)  # dL/d(n's pre-activation) per unit of dL/dh_t
        dr_dn = hn * r * (1.0 - r)
        dz_dh = (h[:-1] - n) * z * (1.0 - z)
        dhw = np.empty((T, B, 3, H))  # dL/d(h_{t-1} W_hh + b_hh) for r, z, n
        dn = np.empty((T, B, H))
        hidden_grads = np.empty((T, B, H))
        dh = dh_T
        for t in range(T - 1, -1, -1):
            hidden_grads[t] = dh
            dn[t] = dh * dn_dh[t]
            dhw[t, :, 0] = dn[t] * dr_dn[t]
            dhw[t, :, 1] = dh * dz_dh[t]
            dhw[t, :, 2] = dn[t] * r[t]
            dh = dh * z[t] + dhw[t].reshape(B, H3) @ self.W_hh.T
        dhw = dhw.reshape(T, B, H3)
        dxw = np.concatenate([dhw[..., : 2 * H], dn], axis=2)
        return (dxw, *_recurrent_grads(h, dhw), hidden_grads)


def make_cell(cfg: RNNConfig) -> VanillaRNN | LSTM | GRU:
    """Build the configured cell; forget_bias applies to the LSTM only (the others have none)."""
    init, seed = cfg.recurrent_init, cfg.seed
    if cfg.cell == "lstm":
        return LSTM(
            cfg.in_dim, cfg.hidden, forget_bias=cfg.forget_bias, recurrent_init=init, seed=seed
        )
    if cfg.cell == "gru":
        return GRU(cfg.in_dim, cfg.hidden, recurrent_init=init, seed=seed)
    return VanillaRNN(cfg.in_dim, cfg.hidden, recurrent_init=init, seed=seed)


def time_profile(cfg: RNNConfig) -> TimeProfile:
    """Gradient norm per time step for a loss on the last step, inputs X ~ N(0, 1) from the seed."""
    net = make_cell(cfg)
    rng = np.random.default_rng((cfg.seed, 1))  # a stream apart from the init's
    X = rng.standard_normal((cfg.batch, cfg.seq_len, cfg.in_dim))
    target = rng.standard_normal((cfg.batch, cfg.hidden))
    with np.errstate(all="ignore"):
        norms = _norms_per_step(net.loss_and_grads(X, target).hidden_grads)
        ratio = float(np.log10(norms[0] / norms[-1]))
    bad = np.flatnonzero(~np.isfinite(norms))
    overflow = int(bad[-1]) + 1 if bad.size else None
    return TimeProfile(cfg, tuple(float(v) for v in norms), ratio, overflow)


def _norms_per_step(grads: np.ndarray) -> np.ndarray:
    """||grads[:, t]|| per t, scaled first so tiny or huge entries do not under/overflow."""
    scale = np.max(np.abs(grads), axis=(0, 2), keepdims=True)
    scale[scale == 0] = 1.0
    unit = grads / scale
    norms: np.ndarray = scale.ravel() * np.sqrt(np.sum(unit * unit, axis=(0, 2)))
    return norms
