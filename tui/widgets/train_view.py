"""The training view: loss curve, per-layer gradient norms over steps, and how far layers moved.

These are lesson 2's symptoms side by side: a loss that plateaus, early layers whose
gradients sit decades below the last layer's, and early weights that hardly move.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll

from tui.charts import Bars
from tui.widgets.gradient_bars import GradientBars
from tui.widgets.line_plot import LinePlot, Lines, Series


@dataclass(frozen=True)
class TrainCurves:
    """What the view draws, from a finished run or from the steps done so far.

    Long runs are thinned to about MAX_POINTS steps: a chart 80 cells wide shows no more.
    """

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


def layer_label(layer: int, depth: int) -> str:
    return "out" if layer > depth else f"L{layer}"


def shown_layers(depth: int) -> list[int]:
    """First, middle and last hidden layer (fewer when the net is shallow)."""
    return sorted({1, (depth + 1) // 2, depth})


class TrainView(VerticalScroll):
    """Two line charts side by side, the moved-distance bars below (scroll to them at 80x24)."""

    DEFAULT_CSS = """
    TrainView > #train-lines {
        height: 1fr;
        min-height: 12;
    }
    """

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only

    def compose(self) -> ComposeResult:
        with Horizontal(id="train-lines"):
            yield LinePlot(ascii_only=self.ascii_only, id="train-loss")
            yield LinePlot(ascii_only=self.ascii_only, id="train-norms")
        yield GradientBars(ascii_only=self.ascii_only, id="train-moved")

    def show(self, curves: TrainCurves, depth: int) -> None:
        steps = tuple(float(s) for s in curves.steps)
        finite = [v for v in curves.losses if math.isfinite(v) and v > 0]
        if finite and max(finite) > 100 * min(finite):
            # Many decades (a loss blowing up, or falling to 1e-50): plot its log10 on a
            # linear axis; plotext's log scale draws nothing over such a range.
            loss = Series("loss", steps, tuple(_log10(v) for v in curves.losses))
            title = "log10 loss (binary cross-entropy)"
        else:
            loss = Series("loss", steps, curves.losses)
            title = "loss (binary cross-entropy)"
        self.query_one("#train-loss", LinePlot).show(Lines((loss,), title=title, xlabel="step"))
        norms = tuple(
            Series(
                layer_label(layer, depth),
                steps,
                tuple(_log10(row[layer - 1]) for row in curves.grad_norms),
            )
            for layer in shown_layers(depth)
        )
        self.query_one("#train-norms", LinePlot).show(
            Lines(norms, title="log10 ||dL/dW|| per layer", xlabel="step")
        )
        moved = self.query_one("#train-moved", GradientBars)
        moved.display = bool(curves.moved)
        if curves.moved:
            labels = tuple(layer_label(i, depth) for i in range(1, len(curves.moved) + 1))
            moved.show(Bars(labels, curves.moved, "how far each layer moved, ||W - W0|| (log10)"))


def _log10(value: float) -> float:
    if not math.isfinite(value):
        return math.nan
    return math.log10(value) if value > 0 else -math.inf
