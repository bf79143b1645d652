"""Pad text to a number of terminal cells, counted by grapheme.

str.ljust and format widths count code points: a CJK title is twice as wide as that,
and stacked combining marks or a ZWJ emoji sequence take fewer cells than code points.
Rich measures by grapheme and cell, as Textual lays text out, so the course map pads
with it and every status starts in one column.
"""

from __future__ import annotations

from rich.cells import cell_len


def pad(text: str, width: int) -> str:
    """`text` with spaces after it up to `width` cells; longer text is left whole."""
    return text + " " * max(0, width - cell_len(text))
