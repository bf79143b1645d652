"""`?`: the current screen's keys first, then (in the lab) what the view's elements mean,
then every other key and rule by section.

It opens with "esc closes" on its top line and the current keys above the fold at
80x24; plain Rich text (not Markdown), so its height is known at once and `end`
reaches the bottom in one press. The text lives in tui/help_text.py.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from tui.help_text import EVERYWHERE, Entry, HelpPage, help_page

TWO_COLUMNS_FROM = 9
"""A key list this long is set in two columns, so it fits above the fold at 80x24."""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", key_display="esc"),
        Binding("home", "scroll('home')", "Top", show=False),
        Binding("end", "scroll('end')", "Bottom", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { background: $background; }
    HelpScreen > #help-top { height: 1; background: $primary; color: $text; padding: 0 1; }
    """

    def __init__(self, topic: str | None = None) -> None:
        super().__init__()
        self.page: HelpPage = help_page(topic)

    def compose(self) -> ComposeResult:
        yield Static(f"Help: {self.page.title} · esc closes · ↑ ↓ pgup pgdn scroll", id="help-top")
        with VerticalScroll(id="help-text"):
            yield Static(self._body(), id="help-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-text").focus()

    def action_scroll(self, where: str) -> None:
        scroll = self.query_one("#help-text", VerticalScroll)
        if where == "home":
            scroll.scroll_home(animate=False)
        else:
            scroll.scroll_end(animate=False)

    def _body(self) -> RenderableType:
        page = self.page
        parts: list[RenderableType] = []
        if page.keys:
            parts += [_heading(f"Keys here ({page.title})", first=True), _keys(page.keys)]
            others = " · ".join(f"{keys} {does}" for keys, does in EVERYWHERE)
            parts.append(Text(f"everywhere: {others}", style="dim"))
        if page.elements:
            parts += [_heading("What you see in this view"), _elements(page.elements)]
        for title, entries in page.sections:
            parts += [_heading(f"Keys: {title}", first=not parts), _keys(entries)]
        for title, text in page.rules:
            parts += [_heading(title), Text(text)]
        return Group(*parts)


def _heading(title: str, first: bool = False) -> Text:
    return Text(title if first else f"\n{title}", style="bold")


def _keys(entries: list[Entry]) -> Table:
    """Keys and what they do, in two columns when the list is long."""
    pairs = 2 if len(entries) >= TWO_COLUMNS_FROM else 1
    table = Table.grid(padding=(0, 1), expand=True)
    for _ in range(pairs):
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column(ratio=1)
    rows = -(-len(entries) // pairs)
    for row in range(rows):
        cells: list[Text] = []
        for column in range(pairs):
            index = column * rows + row
            pair = entries[index] if index < len(entries) else ("", "")
            cells += [Text(pair[0]), Text(pair[1])]  # never parsed as markup
        table.add_row(*cells)
    return table


def _elements(entries: list[Entry]) -> Table:
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for element, meaning in entries:
        table.add_row(Text(element), Text(meaning))
    return table
