"""A lesson's reading: one Markdown file, cleaned and split into pages on `---` lines."""

from __future__ import annotations

import re
from typing import Any

from lessons.catalog.fields import Checker, Ref

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


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
    return pages
