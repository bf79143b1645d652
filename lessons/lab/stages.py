"""Why the backward signal shrinks: one layer's backward step split into its stages.

From dL/dh_l to dL/dh_(l-1) the signal is multiplied by the activation's slope, passed
back through batch norm (if any) and through the layer's weights (dL/dz W^T). Each stage
is measured as log10(||after|| / ||before||) in Frobenius norms, so in a net without skip
connections the stages add up to the layer's measured total; with skip connections the
stages describe the branch and the total includes the identity path.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lessons.lab.mlp import Gradients
from lessons.lab.why import STAGE_NAMES

RATIO_FLOOR = 1e-300
"""Norms that underflowed to 0 are read as this in ratios, so a ratio stays finite."""


@dataclass(frozen=True)
class BackwardStages:
    """Decades each stage adds to the backward signal at one hidden layer (negative: it
    shrinks). None marks an overflow (inf/NaN); `norm` is None too in a net without
    batch norm, where it counts as 0."""

    activation: float | None
    """dL/dh_l -> dL/d(activation input): times the activation's slope."""
    norm: float | None
    """-> dL/dz: back through batch norm."""
    weight: float | None
    """-> dL/dz W_l^T: back through the layer's weights."""
    total: float | None
    """log10(||dL/dh_(l-1)|| / ||dL/dh_l||), the measured change over the whole layer."""

    def costliest(self) -> str | None:
        """The stage that shrinks the signal most (most negative), None when none shrinks."""
        values = {name: getattr(self, name) for name in STAGE_NAMES}
        shrinking = {name: v for name, v in values.items() if v is not None and v < 0}
        return min(shrinking, key=lambda name: shrinking[name]) if shrinking else None


def homogeneous(stat: Callable[[np.ndarray], float], a: np.ndarray) -> float | None:
    """stat(a) for a statistic with stat(c a) = |c| stat(a) (norm, std), rescaling by max |a|
    when squaring the entries would overflow or underflow; None if the answer is not finite."""
    with np.errstate(all="ignore"):
        value = stat(a)
        if 1e-150 < value < 1e150:
            return float(value)
        peak = float(np.max(np.abs(a))) if a.size else 0.0
        if not math.isfinite(peak):
            return None
        if peak == 0.0:
            return 0.0
        value = peak * stat(a / peak)
    return float(value) if math.isfinite(value) else None


def frobenius(a: np.ndarray) -> float | None:
    """||a|| (Frobenius), safe for tiny and huge entries; None after an overflow."""
    return homogeneous(lambda v: float(np.linalg.norm(v)), a)


def _log10(norm: float | None) -> float | None:
    return None if norm is None else math.log10(max(norm, RATIO_FLOOR))


def _decades(after: float | None, before: float | None) -> float | None:
    if after is None or before is None:
        return None
    return after - before


def backward_stages(grads: Gradients) -> list[BackwardStages]:
    """Every hidden layer's stages, layer 1 first, from a pass with keep_stages=True."""
    if grads.stages is None:
        raise ValueError("grads: must come from loss_and_grads(..., keep_stages=True)")
    signal = [_log10(frobenius(g)) for g in grads.signal_grads]
    result = []
    for layer, kept in enumerate(grads.stages, start=1):
        top = signal[layer - 1]
        pre = _log10(frobenius(kept.preactivation))
        linear = pre if kept.linear is None else _log10(frobenius(kept.linear))
        branch = _log10(frobenius(kept.branch))
        below = signal[layer - 2] if layer >= 2 else branch
        result.append(
            BackwardStages(
                activation=_decades(pre, top),
                norm=None if kept.linear is None else _decades(linear, pre),
                weight=_decades(branch, linear),
                total=_decades(below, top),
            )
        )
    return result
