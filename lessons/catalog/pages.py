"""A lesson's reading: one Markdown file, cleaned and split into pages on `---` lines."""

from __future__ import annotations

import re
from typing import Any

from lessons.catalog.fields import Checker, Ref

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_BLOCK_START = re.compile(r" {0,3}(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>)")
_TABLE_DELIMITER = re.compile(r"\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*")

MAX_PAGE_LINES = 120
MAX_PAGE_BLOCKS = 24
"""Headings, paragraphs, list items, quotes, code blocks and tables on one page."""
MAX_TABLE_ROWS = 12
MAX_TABLE_COLUMNS = 6
"""What one page may hold. A page is meant to fit a screen (the built-in course's
longest has 13 lines and 4 blocks); one page of 60000 lines once took 157 s to open.
The reader draws a page as one renderable (tui/widgets/reading_page.py), so a page at
these caps opens in about the time of the built-in longest page: bench/bench_pages.py
times both."""


def split_pages(markdown: str) -> tuple[str, ...]:
    """Split a reading on lines holding only `---` (outside code fences); drop empty pages."""
    pages: list[list[str]] = [[]]
    fence: str | None = None
    for line in markdown.split("\n"):
        stripped = line.strip()
        if fence is None:
            if stripped == "---":
                pages.append([])
                continue
            opener = _FENCE.match(line)
            fence = opener.group(1) if opener else None
        elif stripped.startswith(fence) and not stripped.strip(fence[0]):
            fence = None
        pages[-1].append(line)
    texts = ("\n".join(lines).strip("\n").rstrip() for lines in pages)
    return tuple(text for text in texts if text.strip())


def page_problem(page: str) -> str | None:
    """Why `page` holds more than a page may (the MAX_PAGE_* caps), or None."""
    lines = page.split("\n")
    if len(lines) > MAX_PAGE_LINES:
        return f"a page has {len(lines)} lines; the limit is {MAX_PAGE_LINES} (split it with ---)"
    blocks, fence, previous_blank, table = 0, None, True, 0
    for index, line in enumerate(lines):
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            continue
        opener = _FENCE.match(line)
        blank = not line.strip()
        if table and "|" in line and not blank:
            table += 1
            cells = len(line.strip().strip("|").split("|"))
            if cells > MAX_TABLE_COLUMNS:
                return f"a table has {cells} columns; the limit is {MAX_TABLE_COLUMNS}"
            if table - 2 > MAX_TABLE_ROWS:  # the header and delimiter rows are not rows
                return f"a table has more than {MAX_TABLE_ROWS} rows, the limit"
            continue
        table = 0
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if "|" in line and _TABLE_DELIMITER.fullmatch(following) and "-" in following:
            table = 1
            blocks += 1
        elif opener:
            fence = opener.group(1)
            blocks += 1
        elif not blank and (previous_blank or _BLOCK_START.match(line)):
            blocks += 1
        previous_blank = blank
        if blocks > MAX_PAGE_BLOCKS:
            return (
                f"a page has more than {MAX_PAGE_BLOCKS} blocks (headings, paragraphs, "
                "list items, tables), the limit; split it with ---"
            )
    return None


def load_pages(check: Checker, ref: Ref, value: Any) -> tuple[str, ...]:
    """The pages of the reading `value` names (at `ref`); () after reporting if unusable."""
    if value is None:
        check.error_in(ref.doc, ref.path, ref.field, "missing: name the lesson's Markdown file")
        return ()
    read = check.read(value, ref)
    if read is None:
        return ()
    rel, text = read
    pages = split_pages(check.cleaned(rel, None, ref.field, text))
    if not pages:
        check.error(rel, None, ref.field, "the reading is empty")
    for number, page in enumerate(pages, start=1):
        problem = page_problem(page)
        if problem is not None:  # the app would freeze opening it: the lesson is left out
            check.error(rel, None, ref.field, f"page {number}: {problem}")
            return ()
    return pages
