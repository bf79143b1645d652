"""The training view: loss, per-layer gradient norms over steps, how far each layer moved.

Three panels side by side, so all three fit an 80x24 screen: the loss with the dashed
chance line, log10 ||dL/dW|| of the first, middle and last hidden layer on the
session's fixed axis, and ||W - W0|| per layer (bars, or a line for deep nets).
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from lessons.lab.train_curves import CHANCE_LOSS, TrainModel
from tui.charts import ascii_text
from tui.widgets.line_plot import LinePlot, Lines, Series
from tui.widgets.profile_view import ProfileView


class TrainView(Horizontal):
    DEFAULT_CSS = """
    TrainView > Vertical, TrainView > ProfileView { width: 1fr; height: 1fr; }
    TrainView .train-key { height: auto; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only

    def compose(self) -> ComposeResult:
        for name in ("train-loss", "train-norms"):
            with Vertical():
                yield Static(classes="train-key", id=f"{name}-key", markup=False)
                yield LinePlot(ascii_only=self.ascii_only, id=name)
        yield ProfileView(ascii_only=self.ascii_only, id="train-moved")

    def _plot(self, name: str, lines: Lines) -> None:
        key = f"{lines.title}\n{lines.key()}"
        self.query_one(f"#{name}-key", Static).update(ascii_text(key) if self.ascii_only else key)
        self.query_one(f"#{name}", LinePlot).show(replace(lines, title=""))

    def show(self, model: TrainModel | None) -> None:
        loss_plot = self.query_one("#train-loss", LinePlot)
        norms_plot = self.query_one("#train-norms", LinePlot)
        moved = self.query_one("#train-moved", ProfileView)
        if model is None:
            loss_plot.lines = norms_plot.lines = None
            loss_plot.refresh()
            norms_plot.refresh()
            for key in self.query(".train-key").results(Static):
                key.update("")
            moved.show(None)
            return
        steps = tuple(float(s) for s in model.steps)
        title = "log10 loss" if model.loss_log10 else "loss (cross-entropy)"
        chance = f"chance ln 2 = {CHANCE_LOSS:.3f}"
        self._plot(
            "train-loss",
            Lines(
                (Series("loss", steps, model.loss),),
                title=title,
                xlabel="step",
                log_x=True,
                hline=(chance, model.chance),
            ),
        )
        series = tuple(
            Series(label, steps, tuple(float("nan") if v is None else v for v in values))
            for label, values in zip(model.layer_labels, model.norms, strict=True)
        )
        self._plot(
            "train-norms",
            Lines(series, title="log10 ||dL/dW||", xlabel="step", log_x=True, ylim=model.norm_axis),
        )
        moved.show(model.moved)
