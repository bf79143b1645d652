"""What the train view draws, from a finished run or from the steps a worker reported.

Lesson 2's symptoms side by side: a loss that plateaus near chance (ln 2 for two
balanced classes), early layers whose gradients sit decades below the last layer's,
and early weights that hardly move. Steps are drawn on a log axis so the telling
first steps are not squeezed into two columns.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from lessons.lab.chart_rows import layer_labels
from lessons.lab.lab_views import ProfileChart, Series, log10, session_axis

CHANCE_LOSS = math.log(2)
"""Binary cross-entropy of always predicting 1/2: where an untrained net starts."""


@dataclass(frozen=True)
class TrainCurves:
    """A run's numbers, thinned to about MAX_POINTS steps (a chart shows no more)."""

    MAX_POINTS: ClassVar[int] = 500
    steps: tuple[int, ...]
    losses: tuple[float, ...]
    grad_norms: tuple[tuple[float, ...], ...]
    """Per step, per layer (input layer first, output layer last), before clipping."""
    moved: tuple[float, ...]
    """Per layer, ||W_l - W_l(0)|| after the last step."""

    @classmethod
    def from_records(cls, records: Sequence[Any]) -> TrainCurves:
        """From lessons.lab.train.StepRecord objects, as a running worker reports them."""
        return cls(
            tuple(r.step for r in records),
            tuple(r.loss for r in records),
            tuple(tuple(r.grad_norms.tolist()) for r in records),
            tuple(records[-1].moved.tolist()) if records else (),
        )

    @classmethod
    def from_result(cls, result: Any) -> TrainCurves:
        """From a lessons.lab.train.TrainResult."""
        n = result.steps_done
        kept = sorted({*range(0, n, cls.stride(n)), n - 1}) if n else []
        losses, grads = result.losses.tolist(), result.grad_norms.tolist()
        return cls(
            tuple(i + 1 for i in kept),
            tuple(losses[i] for i in kept),
            tuple(tuple(grads[i]) for i in kept),
            tuple(result.moved[-1].tolist()) if n else (),
        )

    @classmethod
    def stride(cls, steps: int) -> int:
        """Keep every stride-th step so that at most about MAX_POINTS remain."""
        return max(1, -(-steps // cls.MAX_POINTS))


def shown_layers(depth: int) -> list[int]:
    """First, middle and last hidden layer (fewer when the net is shallow)."""
    return sorted({1, (depth + 1) // 2, depth})


@dataclass(frozen=True)
class TrainModel:
    steps: tuple[int, ...]
    loss: tuple[float, ...]
    loss_log10: bool
    """True when the loss spans many decades: it is then drawn as log10 loss."""
    chance: float
    """Where the dashed chance line sits on the loss axis (ln 2, or its log10)."""
    layer_labels: tuple[str, ...]
    norms: tuple[tuple[float | None, ...], ...]
    """log10 ||dL/dW_l|| per step, one tuple per shown layer."""
    norm_axis: tuple[int, int]
    moved: ProfileChart | None


def train_model(
    curves: TrainCurves, depth: int, axes: dict[str, tuple[int, int]] | None = None
) -> TrainModel:
    """The train view's model; `axes` holds the session's "train" and "train-moved" axes."""
    axes = axes or {}
    finite = [v for v in curves.losses if math.isfinite(v) and v > 0]
    loss_log10 = bool(finite) and max(finite) > 100 * min(finite)
    # Many decades (a loss blowing up, or falling to 1e-50): plot its log10 on a
    # linear axis; a log scale draws nothing useful over such a range.
    loss = tuple(_log(v) for v in curves.losses) if loss_log10 else curves.losses
    chance = math.log10(CHANCE_LOSS) if loss_log10 else CHANCE_LOSS
    layers = shown_layers(depth)
    norms = tuple(tuple(log10(row[la - 1]) for row in curves.grad_norms) for la in layers)
    norm_axis = axes.get("train") or session_axis([v for one in norms for v in one])
    moved = None
    if curves.moved:
        rows = layer_labels(depth, range(1, len(curves.moved) + 1))
        values = tuple(log10(v) for v in curves.moved)
        axis = axes.get("train-moved") or session_axis(values)
        title = "how far each layer moved, ||W - W0|| (log10)"
        moved = ProfileChart(title, rows, (Series("moved", values),), axis)
    labels = tuple(f"L{la}" for la in layers)
    return TrainModel(curves.steps, loss, loss_log10, chance, labels, norms, norm_axis, moved)


def _log(value: float) -> float:
    if not math.isfinite(value):
        return math.nan
    return math.log10(value) if value > 0 else -math.inf
