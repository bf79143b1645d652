"""The lab's views and settings as one compact strip of key hints.

Every setting shows its key next to its value ("d/D depth 10"), so an 80x24 terminal
needs no separate legend; hints are packed into as many lines as the width needs and
a hint is never split across two lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.widget import Widget

GAP = "  "


@dataclass(frozen=True)
class Hint:
    """One key hint: the key(s), what they change, and the current value."""

    keys: str
    label: str
    value: str = ""
    fixed: bool = False
    """The setting is locked (an exercise): its keys are struck through and muted."""


class LabControls(Widget):
    """Shows the view tabs on the first line, then the current view's hints."""

    DEFAULT_CSS = """
    LabControls {
        height: auto;
        padding: 0 1;
        background: $boost;
    }
    LabControls > .lab-controls--key {
        color: $accent;
        text-style: bold;
    }
    LabControls > .lab-controls--value {
        color: $text;
        text-style: bold;
    }
    LabControls > .lab-controls--label {
        color: $text-muted;
    }
    """
    COMPONENT_CLASSES = {"lab-controls--key", "lab-controls--value", "lab-controls--label"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tabs: tuple[Hint, ...] = ()
        self.current_tab = ""
        self.hints: tuple[Hint, ...] = ()

    def show(self, tabs: Sequence[Hint], current_tab: str, hints: Sequence[Hint]) -> None:
        """Tabs are Hint(key, view name); the current one is drawn in brackets."""
        self.tabs, self.current_tab, self.hints = tuple(tabs), current_tab, tuple(hints)
        self.refresh(layout=True)

    def _token(self, hint: Hint, *, current: bool = False) -> Text:
        key = self.get_component_rich_style("lab-controls--key", partial=True)
        label = self.get_component_rich_style("lab-controls--label", partial=True)
        value = self.get_component_rich_style("lab-controls--value", partial=True)
        text = Text("[" if current else "")
        text.append(hint.keys, label + Style(strike=True) if hint.fixed else key)
        text.append(" ")
        text.append(hint.label, value if current else label)
        if hint.value:
            text.append(" ")
            text.append(hint.value, value)
        if current:
            text.append("]")
        return text

    def lines(self, width: int) -> list[Text]:
        """The strip laid out for `width` cells: tabs first, then the hints."""
        tabs = [self._token(t, current=t.label == self.current_tab) for t in self.tabs]
        hints = [self._token(h) for h in self.hints]
        return _pack(tabs, width) + _pack(hints, width)

    def render(self) -> RenderResult:
        return Text("\n").join(self.lines(self.content_size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.lines(width)))


def _pack(tokens: list[Text], width: int) -> list[Text]:
    """Greedy line filling; a token wider than the line gets a line of its own."""
    lines: list[Text] = []
    line = Text()
    for token in tokens:
        if line and line.cell_len + len(GAP) + token.cell_len > width:
            lines.append(line)
            line = Text()
        if line:
            line.append(GAP)
        line.append_text(token)
    if line:
        lines.append(line)
    return lines
