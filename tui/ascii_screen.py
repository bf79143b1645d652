"""--ascii for the whole screen: every cell the app draws becomes one 7-bit character.

Widgets draw as usual; `AsciiFilter`, a Textual line filter the app adds in ASCII mode,
rewrites each segment's text cell for cell (a box corner becomes "+", an arrow ">",
the header's icon "o", a wide character "??"), so layouts stay aligned and icons,
arrows, marks, borders and scrollbars are covered by one rule in one place.
`wants_ascii` picks the default: ASCII where the terminal cannot draw Unicode.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

CELL_TABLE = {
    **dict.fromkeys("┌┐└┘├┤┬┴┼╭╮╯╰╔╗╚╝╠╣╦╩╬┏┓┗┛┣┫┳┻╋", "+"),
    **dict.fromkeys("─━═╌╍┄┅┈┉╴╶╸╺▔▁", "-"),
    **dict.fromkeys("│┃║╎╏┆┇┊┋╵╷╹╻▏▎▍▕", "|"),
    **dict.fromkeys("█▉▊▋▌▐▀▄▖▗▘▙▚▛▜▝▞▟■▇▆▅▃▂", "#"),
    **dict.fromkeys("→⟶▶▸►❯›»", ">"),
    **dict.fromkeys("←⟵◀◂◄❮‹«", "<"),
    **dict.fromkeys("↑▲▴", "^"),
    **dict.fromkeys("↓▼▾", "v"),
    **dict.fromkeys("·∙⋅…", "."),
    "•": "*",  # a list bullet
    **dict.fromkeys("⭘○●◯◉", "o"),
    **dict.fromkeys("✓✔", "v"),
    **dict.fromkeys("✗✘×", "x"),
    **dict.fromkeys("◆◇♦", ":"),
    **dict.fromkeys("‘’′", "'"),
    **dict.fromkeys("“”″", '"'),
    **dict.fromkeys("–—−", "-"),
    "≈": "~",
    "≤": "<",
    "≥": ">",
    "\u00a0": " ",
}
"""One ASCII character for each one-cell character the app's screens use."""


@lru_cache(maxsize=4096)
def ascii_cells(text: str) -> str:
    """`text` in 7-bit ASCII with the same width in terminal cells."""
    if text.isascii():
        return text
    out = []
    for char in text:
        if char.isascii():
            out.append(char)
        elif char in CELL_TABLE:
            out.append(CELL_TABLE[char])
        elif "\u2800" <= char <= "\u28ff":  # braille dots: a plotted point
            out.append("." if char != "\u2800" else " ")
        else:
            width = cell_len(char)
            folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(folded[:width] if width and len(folded) >= 1 else "?" * width)
    return "".join(out)


class AsciiFilter(LineFilter):
    """Rewrites every drawn segment with `ascii_cells` (styles and colours are kept)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            seg if seg.control else Segment(ascii_cells(seg.text), seg.style) for seg in segments
        ]


ASCII_FILTER = AsciiFilter()


def wants_ascii(choice: str | None, environ: Mapping[str, str], encoding: str | None) -> bool:
    """ASCII when asked ("ascii"), Unicode when asked ("unicode"); otherwise ASCII where
    the terminal cannot draw Unicode: the Linux console (TERM=linux) or a non-UTF-8 locale."""
    if choice is not None:
        return choice == "ascii"
    if environ.get("TERM") == "linux":
        return True
    return (encoding or "").lower().replace("-", "").replace("_", "") not in ("utf8", "utf8mb4")
