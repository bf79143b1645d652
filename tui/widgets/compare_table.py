"""A table of compared nets, one row each, with a picked row whose bars are drawn beside it.

A table of first/last-layer numbers reads at 80x24 where eight small charts would not;
the chart next to it shows the picked row in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import RenderResult
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from lessons.lab.lab_views import CompareRow


class CompareTable(Widget, can_focus=True):
    """Rows of `Row`; up/down (or k/j) pick one and post `CompareTable.Picked`."""

    DEFAULT_CSS = """
    CompareTable {
        width: auto;
        height: auto;
        padding: 0 1;
    }
    CompareTable > .compare-table--picked {
        text-style: bold reverse;
    }
    CompareTable > .compare-table--header {
        color: $text-muted;
    }
    """
    COMPONENT_CLASSES = {"compare-table--picked", "compare-table--header"}
    BINDINGS = [
        Binding("up,k", "move(-1)", "Previous row", show=False),
        Binding("down,j", "move(1)", "Next row", show=False),
    ]

    picked: reactive[int] = reactive(0, layout=False)

    @dataclass
    class Picked(Message):
        index: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.caption = ""
        self.rows: tuple[CompareRow, ...] = ()

    def show(self, caption: str, rows: Sequence[CompareRow], picked: int | None = None) -> None:
        """Replace the rows and pick row `picked` (None: keep the index while it exists)."""
        self.caption, self.rows = caption, tuple(rows)
        index = self.picked if picked is None else picked
        self.set_reactive(CompareTable.picked, min(index, max(len(self.rows) - 1, 0)))
        self.refresh(layout=True)
        self.post_message(self.Picked(self.picked))

    def action_move(self, delta: int) -> None:
        if self.rows:
            self.picked = (self.picked + delta) % len(self.rows)

    def watch_picked(self) -> None:
        self.post_message(self.Picked(self.picked))

    def lines(self) -> list[Text]:
        width = max((len(row.label) for row in self.rows), default=5)
        header = self.get_component_rich_style("compare-table--header", partial=True)
        picked = self.get_component_rich_style("compare-table--picked", partial=True)
        lines = [
            Text(self.caption, header),
            Text(f"  {'':{width}} {'first':>6} {'last':>6} {'ratio':>6}", header),
        ]
        for index, row in enumerate(self.rows):
            mark = ">" if index == self.picked else " "
            if row.overflow_layer is not None:
                numbers = f"{'overflow at L' + str(row.overflow_layer):>20}"
            else:
                numbers = " ".join(_decades(v) for v in (row.first, row.last, row.ratio))
            style = picked if index == self.picked else ""
            lines.append(Text(f"{mark} {row.label:{width}} {numbers}", style))
        return lines

    def render(self) -> RenderResult:
        return Text("\n").join(self.lines())

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max(line.cell_len for line in self.lines())

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines())


def _decades(value: float | None) -> str:
    if value is None:
        return f"{'-':>6}"
    if value == float("-inf"):
        return f"{'-inf':>6}"  # the norm underflowed to exactly 0
    return f"{round(value, 1) + 0.0:+6.1f}"  # + 0.0 turns -0.0 into 0.0
