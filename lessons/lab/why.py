"""What the "why" view shows: each hidden layer's backward stages and its units' health.

One row per hidden layer, input layer first: the decades the activation's slope, batch
norm and the weights each add to the backward signal, the layer's measured total, and
the share of saturated and dead units with the activations' spread. The reading names
the stage that costs the most over the whole net. Plain frozen data, no drawing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

STAGE_NAMES = ("activation", "norm", "weight")
"""The stages of lessons.lab.stages.BackwardStages, in the order the signal passes them
(kept here, numpy-free, so the app can import the view model without numpy)."""
MIN_HALF_WIDTH = 1
"""The axis reaches at least one decade either side of 0."""
STAGE_WORDS = {
    "activation": "the activation's slope",
    "norm": "batch norm",
    "weight": "the weights",
}


@dataclass(frozen=True)
class WhyRow:
    label: str
    activation: float | None
    norm: float | None
    """None in a net without batch norm (counts as 0)."""
    weight: float | None
    total: float | None
    saturated: float | None
    dead: float | None
    spread: float | None
    """std of the layer's activations h_l."""

    @property
    def overflowed(self) -> bool:
        return self.activation is None or self.weight is None or self.total is None


@dataclass(frozen=True)
class WhyModel:
    rows: tuple[WhyRow, ...]
    axis: tuple[int, int]
    """Whole decades, the stacked stages of every row inside (a session axis)."""
    reading: str
    batchnorm: bool
    """The net has a norm stage: batch norm, or layer norm when `layernorm`."""
    residual: bool
    layernorm: bool = False


def stage_extent(row: WhyRow) -> tuple[float, float]:
    """How far the row's stacked stages reach left (sum of negatives) and right of 0."""
    values = [v for v in (row.activation, row.norm, row.weight) if v is not None]
    return sum(v for v in values if v < 0), sum(v for v in values if v > 0)


def why_axis(rows: tuple[WhyRow, ...]) -> tuple[int, int]:
    """Whole decades around every row's stacked stages and total, at least +-1."""
    low, high = -MIN_HALF_WIDTH, MIN_HALF_WIDTH
    for row in rows:
        left, right = stage_extent(row)
        total = row.total if row.total is not None else 0.0
        low = min(low, math.floor(min(left, total)))
        high = max(high, math.ceil(max(right, total)))
    return low, high


def why_reading(rows: tuple[WhyRow, ...], norm: str = "batch norm") -> str:
    """Names the stage that costs the most, summed over the layers, and the total; `norm`
    names the net's norm stage."""
    if not rows:
        return "no hidden layer: nothing to take apart"
    if any(row.overflowed for row in rows):
        first = next(row.label for row in rows if row.overflowed)
        return f"overflow at {first}: the numbers grew past float64 (inf or NaN) there"
    sums = {name: sum(getattr(row, name) or 0.0 for row in rows) for name in STAGE_NAMES}
    total = sum(row.total or 0.0 for row in rows)
    costliest = min(sums, key=lambda name: sums[name])
    layers = f"{len(rows)} layer{'s' if len(rows) > 1 else ''}"
    if sums[costliest] >= 0:
        return f"no stage shrinks the signal; over {layers} it changes by {total:+.1f} decades"
    word = norm if costliest == "norm" else STAGE_WORDS[costliest]
    return (
        f"costliest: {word}, {sums[costliest]:+.1f} decades over {layers} "
        f"({sums[costliest] / len(rows):+.2f} a layer); the signal changes by {total:+.1f}"
    )


def _identity_note(residual: bool, depth: int) -> str:
    return "; the identity path carries it" if residual and depth > 1 else ""


def why_model(profile: Any, axis: tuple[int, int] | None = None) -> WhyModel:
    """The view's model from a GradientProfile; `axis` is the session's, if it has one."""
    rows = []
    for stats in profile.layers[: profile.config.depth]:
        stages = stats.backward_stages
        rows.append(
            WhyRow(
                f"L{stats.layer}",
                stages.activation,
                stages.norm,
                stages.weight,
                stages.total,
                stats.saturated_frac,
                stats.dead_frac,
                stats.act_std,
            )
        )
    kept = tuple(rows)
    cfg = profile.config
    reading = why_reading(kept, "layer norm" if cfg.layernorm else "batch norm")
    if not reading.startswith("overflow"):
        reading += _identity_note(cfg.residual, cfg.depth)
    normed = cfg.batchnorm or cfg.layernorm
    return WhyModel(kept, axis or why_axis(kept), reading, normed, cfg.residual, cfg.layernorm)
