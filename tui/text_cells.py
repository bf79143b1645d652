"""Fit text to a number of terminal cells, whole graphemes only.

str.ljust and format widths count code points: a CJK title is twice as wide as that,
stacked combining marks take no room at all, and a cut can fall inside a ZWJ emoji
sequence. Rich measures by grapheme and cell, as Textual lays text out, so the
course map pads and cuts with it.
"""

from __future__ import annotations

from rich.cells import split_graphemes


def fit(text: str, width: int) -> str:
    """`text` cut to at most `width` cells at a grapheme boundary, then padded to `width`.

    A wide grapheme that would straddle the edge is left out and its cell padded.
    """
    spans, total = split_graphemes(text)
    if total > width:
        used = end = 0
        for _start, stop, cells in spans:
            if used + cells > width:
                break
            used, end = used + cells, stop
        text, total = text[:end], used
    return text + " " * (width - total)
