"""An OptionList whose enter is named in the footer ("enter Open"), for the course map
and the exercise list; OptionList's own enter binding is hidden from the footer."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class PickList(OptionList):
    inherit_bindings = False
    BINDINGS = [
        Binding("enter", "select", "Open"),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
    ]
