"""The activation view: one activation and its derivative, beside every derivative's maximum.

The derivative's maximum bounds what one layer can pass back (sigmoid 0.25, tanh 1,
GELU about 1.13), which is lesson 3's point; the table puts all of them in one column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from tui.widgets.line_plot import LinePlot, Lines, Series


class CurveView(Horizontal):
    DEFAULT_CSS = """
    CurveView > #curve-maxima {
        width: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only

    def compose(self) -> ComposeResult:
        yield LinePlot(ascii_only=self.ascii_only, id="curve-plot")
        yield Static(id="curve-maxima")

    def show(
        self,
        name: str,
        xs: Sequence[float],
        f: Sequence[float],
        df: Sequence[float],
        maxima: Sequence[tuple[str, float]],
    ) -> None:
        """Plot f and f' for `name`; list (activation, max of its derivative) for all."""
        series = (
            Series(f"{name}(x)", tuple(xs), tuple(f)),
            Series(f"{name}'(x)", tuple(xs), tuple(df)),
        )
        lines = Lines(series, xlabel="x")
        self.query_one(LinePlot).show(
            replace(lines, title=f"{name} and its derivative: {lines.key()}")
        )
        table = Text("max f'(x)\n", style="bold")
        for other, peak in maxima:
            mark, style = (">", "reverse") if other == name else (" ", "")
            table.append(f"{mark} {other:<10} {peak:5.2f}\n", style=style)
        self.query_one("#curve-maxima", Static).update(table)
