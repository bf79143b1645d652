"""Per-layer gradient profiles of a net at initialization: the numbers the lab's bars show.

Two norms per layer, because they can disagree: the weight gradient ||dL/dW_l|| (what
layer l's update sees) and the backward signal ||dL/dh_l|| (what reaches layer l's
output). With ReLU and Xavier init the signal shrinks by about sqrt 2 per layer while
the weight gradients stay flat, because the activations grow just as fast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from lessons.lab.config import (
    ACTIVATIONS,
    COMPARE_AXES,
    FIXES,
    INITS,
    METRICS,
    RANDOM_BATCH,
    NetConfig,
)
from lessons.lab.data import lab_inputs, random_batch
from lessons.lab.mlp import MLP
from lessons.lab.stages import RATIO_FLOOR, BackwardStages, backward_stages, homogeneous
from lessons.lab.units import dead_share, saturated_share

COMPARE_DEPTHS = (5, 10, 20, 50)


@dataclass(frozen=True)
class LayerStats:
    """One weight matrix's numbers. None marks an overflow (inf/NaN), or a statistic that
    does not apply: the output layer has no backward signal, activation statistics or
    backward stages, saturation is counted for sigmoid/tanh only and dead units for the
    ReLU family only (ReLU, leaky ReLU; activations with a flat side)."""

    layer: int
    weight_grad_norm: float | None
    """||dL/dW_l||, Frobenius norm."""
    signal_grad_norm: float | None
    """||dL/dh_l|| over the whole batch, Frobenius norm."""
    act_mean: float | None
    """Mean of h_l (after the activation and any residual add) over batch and units."""
    act_std: float | None
    saturated_frac: float | None
    """Share of (sample, unit) pairs where act'(preactivation) < 1% of its maximum."""
    dead_frac: float | None
    """Share of units whose derivative stays at its floor (ReLU: 0) for the whole batch."""
    backward_stages: BackwardStages | None = None
    """How the activation, batch norm and weights scale the signal on its way to h_(l-1)."""


@dataclass(frozen=True)
class GradientProfile:
    """Every layer's stats, input layer first (depth + 1 entries, the output layer last)."""

    config: NetConfig
    layers: tuple[LayerStats, ...]
    weight_log10_ratio: float | None
    """log10(||dL/dW_1|| / ||dL/dW_depth||): first to last hidden layer, 0 for depth 1,
    None after an overflow. Norms that underflowed to 0 count as RATIO_FLOOR."""
    signal_log10_ratio: float | None
    """log10(||dL/dh_1|| / ||dL/dh_depth||)."""
    loss: float | None
    overflow_layer: int | None
    """Where numbers first became inf/NaN: the lowest such layer in the forward pass,
    otherwise the highest such layer in the backward pass (which runs output to input)."""


def _norm(a: np.ndarray) -> float:
    return float(np.linalg.norm(a))


def _mean(a: np.ndarray) -> float:
    return float(a.sum() / a.size)


def _std(a: np.ndarray) -> float:
    return float(np.linalg.norm(a - a.sum() / a.size)) / math.sqrt(a.size)


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _log10_ratio(first: float | None, last: float | None, overflow: int | None) -> float | None:
    """None after an overflow anywhere: the ratio would compare damaged numbers."""
    if first is None or last is None or overflow is not None:
        return None
    return math.log10(max(first, RATIO_FLOOR)) - math.log10(max(last, RATIO_FLOOR))


def gradient_profile(net: MLP, X: np.ndarray, y: np.ndarray) -> GradientProfile:
    """Profile `net` on the batch (X, y). Never raises or warns on overflow.

    The ratios compare the first hidden layer with the last hidden layer (layer `depth`),
    not with the output layer: the output layer has no activation and one unit, and in
    residual nets its gradient is much larger than any hidden layer's. This is the
    convention of the course outline's reference figures (sigmoid + Xavier at depth 20:
    about -12; ReLU + Xavier backward signal at depth 50: about -7.8).
    """
    config = replace(net.config, batch=np.shape(X)[0])
    act = net.act
    with np.errstate(all="ignore"):
        out = net.loss_and_grads(X, y, keep_stages=True)
        stages = backward_stages(out)
        layers = []
        for layer in range(1, net.depth + 2):
            weight_norm = homogeneous(_norm, out.weight_grads[layer - 1])
            if layer > net.depth:
                layers.append(LayerStats(layer, weight_norm, None, None, None, None, None))
                continue
            h = out.activations[layer - 1]
            local = out.derivatives[layer - 1]
            layers.append(
                LayerStats(
                    layer=layer,
                    weight_grad_norm=weight_norm,
                    signal_grad_norm=homogeneous(_norm, out.signal_grads[layer - 1]),
                    act_mean=homogeneous(_mean, h),  # mean(c h) = c mean(h) for the c > 0 it uses
                    act_std=homogeneous(_std, h),
                    saturated_frac=saturated_share(act, local),
                    dead_frac=dead_share(act, local),
                    backward_stages=stages[layer - 1],
                )
            )
    loss = _finite(out.loss)
    overflow = _overflow_layer(layers, loss is None)
    first, last = layers[0], layers[net.depth - 1]
    return GradientProfile(
        config=config,
        layers=tuple(layers),
        weight_log10_ratio=_log10_ratio(first.weight_grad_norm, last.weight_grad_norm, overflow),
        signal_log10_ratio=_log10_ratio(first.signal_grad_norm, last.signal_grad_norm, overflow),
        loss=loss,
        overflow_layer=overflow,
    )


def _overflow_layer(layers: list[LayerStats], loss_overflowed: bool) -> int | None:
    hidden = layers[:-1]
    # the rescaled mean and std are None together, exactly when h holds an inf or NaN
    forward = [s.layer for s in hidden if s.act_std is None]
    if forward:
        return forward[0]
    if loss_overflowed:
        return layers[-1].layer
    backward = [s.layer for s in layers if s.weight_grad_norm is None]
    backward += [s.layer for s in hidden if s.signal_grad_norm is None]
    return max(backward, default=None)


def make_batch(cfg: NetConfig) -> tuple[np.ndarray, np.ndarray]:
    """The seeded random batch a profile uses: X ~ N(0, 1), y = 1[x0 + x1 > 0]."""
    return random_batch(cfg.batch, cfg.in_dim, cfg.seed)


def run_profile(cfg: NetConfig, data: str = RANDOM_BATCH) -> GradientProfile:
    """Build the net `cfg` describes and profile it on its seeded batch of `data`
    (lessons.lab.data.lab_inputs: the same batch step 1 of a training run sees)."""
    net_cfg, X, y = lab_inputs(cfg, data)
    return gradient_profile(MLP(net_cfg), X, y)


def compare_profiles(
    cfg: NetConfig, axis: str, data: str = RANDOM_BATCH
) -> list[tuple[str, GradientProfile]]:
    """Profiles that differ from `cfg` in one setting only, labelled by that setting's value.

    axis: "activations" (all 8), "inits" (all 5), "fixes" (none, batchnorm, residual,
    batchnorm+residual) or "depths" (5, 10, 20, 50; labels "5", "10", ...).
    """
    if axis == "activations":
        variants = [(name, replace(cfg, activation=name)) for name in ACTIVATIONS]
    elif axis == "inits":
        variants = [(name, replace(cfg, init=name)) for name in INITS]
    elif axis == "fixes":
        variants = [(fix, cfg.with_fix(fix)) for fix in FIXES]
    elif axis == "depths":
        variants = [(str(depth), replace(cfg, depth=depth)) for depth in COMPARE_DEPTHS]
    else:
        raise ValueError(f"axis: must be one of {', '.join(COMPARE_AXES)}; got {axis!r}")
    return [(label, run_profile(variant, data)) for label, variant in variants]


def one_line_reading(profile: GradientProfile, metric: str = "weight") -> str:
    """A plain sentence comparing layer 1 with the last hidden layer, e.g.
    "layer 1 gets 10^-12 of layer 20's gradient (weight gradient, Frobenius norm)"."""
    if metric not in METRICS:
        raise ValueError(f"metric: must be one of {', '.join(METRICS)}; got {metric!r}")
    first = profile.layers[0]
    if metric == "weight":
        ratio, unit, first_norm = (
            profile.weight_log10_ratio,
            "weight gradient",
            first.weight_grad_norm,
        )
    else:
        ratio, unit, first_norm = (
            profile.signal_log10_ratio,
            "backward signal dL/dh",
            first.signal_grad_norm,
        )
    if ratio is None:  # None after every overflow
        return (
            f"overflow at layer {profile.overflow_layer}: the numbers grew past what float64 "
            "can hold (inf or NaN), so the gradients cannot be compared"
        )
    depth = profile.config.depth
    if depth == 1:
        return "only one hidden layer: there is no earlier layer to compare it with"
    power = f"{ratio:+.0f}" if abs(ratio) >= 3 else f"{ratio:+.1f}"
    sentence = f"layer 1 gets 10^{power} of layer {depth}'s gradient ({unit}, Frobenius norm)"
    if first_norm == 0.0:
        sentence += "; layer 1's underflowed to exactly 0"
    return sentence
