"""One page of a lesson's reading, drawn as a single Rich Markdown renderable.

Textual's Markdown widget mounts a widget for every block and list item (about 20 ms
of CPU each), so a page at `check`'s caps took well over the half second a page may
take to open; one Static costs about the same whatever an accepted page holds
(bench/bench_pages.py). Headings stay on the left like the rest of the app, a link
shows its text and address (a pack's URL is data, never a hyperlink the terminal
would follow), and code blocks keep the terminal's own colours.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import JustifyMethod
from rich.markdown import Heading, Markdown, MarkdownElement
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static


class _LeftHeading(Heading):
    LEVEL_ALIGN: ClassVar[dict[str, JustifyMethod]] = dict.fromkeys(
        ("h1", "h2", "h3", "h4", "h5", "h6"), "left"
    )


class PageMarkdown(Markdown):
    elements: ClassVar[dict[str, type[MarkdownElement]]] = {
        **Markdown.elements,
        "heading_open": _LeftHeading,
    }

    def __init__(self, page: str) -> None:
        super().__init__(page, code_theme="ansi_dark", hyperlinks=False)


class ReadingPage(VerticalScroll):
    """The page scrolls (↑ ↓ pgup pgdn) when it is taller than the screen."""

    DEFAULT_CSS = """
    ReadingPage { height: 1fr; padding: 0 1; margin-top: 1; }
    ReadingPage > Static { height: auto; }
    ReadingPage:focus { background-tint: transparent; }
    """

    def __init__(self, page: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._first_page = page

    def compose(self) -> ComposeResult:
        yield Static(PageMarkdown(self._first_page))

    def show(self, page: str) -> None:
        """Draw `page` from its top."""
        self.query_one(Static).update(PageMarkdown(page))
        self.scroll_home(animate=False)
