"""What the train view's diagnostics panels show: update ratios, unit health, boundaries.

The update-to-data ratio of the first, middle and last layer per step against the
reference line at -3; the dead and saturated shares (averaged over the hidden layers)
per step; and the decision boundary at step 0 and after the run. Plain frozen data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from lessons.lab.config import RANDOM_BATCH
from lessons.lab.train_curves import TrainCurves, shown_layers

UPDATE_RATIO_REFERENCE = -3.0
"""The rule of thumb for log10(std(update) / std(W)) (Karpathy's makemore lecture, the
CS231n notes): far below it a layer barely learns, far above it the steps are too big."""
BOUNDARY_GRID = (64, 32)
"""Cells of the boundary grid the worker computes; a chart smaller than that shows a
cell per character where several land on one."""


@dataclass(frozen=True)
class TrainHealthModel:
    steps: tuple[float, ...]
    layer_labels: tuple[str, ...]
    ratios: tuple[tuple[float, ...], ...]
    """log10(std(update) / std(W)) per step, one tuple per shown layer (NaN: overflow)."""
    reference: float
    dead: tuple[float, ...] | None
    """Mean dead share over the hidden layers per step; None where it does not apply."""
    saturated: tuple[float, ...] | None
    boundaries: tuple[Any, Any] | None
    """(step 0, end) lessons.lab.boundary.BoundaryGrid, or None (random batch, or running)."""
    steps_done: int
    random_batch: bool = False
    """True when the run is on the random batch, which has no plane to draw."""


def _mean(row: Any) -> float:
    finite = [v for v in row if not math.isnan(v)]
    return sum(finite) / len(finite) if finite else math.nan


def train_health_model(result: Any, boundaries: tuple[Any, Any] | None) -> TrainHealthModel:
    """From a lessons.lab.train.TrainResult, thinned like the train view's curves."""
    n = result.steps_done
    kept = sorted({*range(0, n, TrainCurves.stride(n)), n - 1}) if n else []
    rows = [
        (i + 1, result.update_log10_ratios[i], result.dead_fracs[i], result.saturated_fracs[i])
        for i in kept
    ]
    model = _model(rows, result.config.net.depth, boundaries, n)
    return replace(model, random_batch=result.config.dataset == RANDOM_BATCH)


def records_health_model(records: Sequence[Any], depth: int) -> TrainHealthModel:
    """From the lessons.lab.train.StepRecord objects a running worker has reported."""
    rows = [(r.step, r.update_log10_ratios, r.dead_fracs, r.saturated_fracs) for r in records]
    return _model(rows, depth, None, records[-1].step if records else 0)


def _model(
    rows: Sequence[tuple[int, Any, Any, Any]],
    depth: int,
    boundaries: tuple[Any, Any] | None,
    steps_done: int,
) -> TrainHealthModel:
    layers = shown_layers(depth)
    ratios = tuple(tuple(float(row[1][la - 1]) for row in rows) for la in layers)
    dead = tuple(_mean(row[2]) for row in rows)
    saturated = tuple(_mean(row[3]) for row in rows)
    return TrainHealthModel(
        steps=tuple(float(row[0]) for row in rows),
        layer_labels=tuple(f"L{la}" for la in layers),
        ratios=ratios,
        reference=UPDATE_RATIO_REFERENCE,
        dead=None if all(math.isnan(v) for v in dead) else dead,
        saturated=None if all(math.isnan(v) for v in saturated) else saturated,
        boundaries=boundaries,
        steps_done=steps_done,
    )
