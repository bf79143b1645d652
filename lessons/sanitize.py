"""Make untrusted pack text safe to show in a terminal.

A lesson pack may come from anyone. Text that reaches the terminal must not carry
escape sequences (clear the screen, retitle the window, write the clipboard with
OSC 52) or control characters, and text shown in widgets that parse markup must not
be able to inject styles. This module has no UI imports: it is plain string work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Order matters: whole sequences first, then any stray control character.
_UNSAFE = re.compile(
    r"""
      (?:\x1b\[|\x9b) [\x30-\x3f]* [\x20-\x2f]* [\x40-\x7e]?          # CSI ... final
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]) [^\x07\x1b\x9c\n]*       # OSC/DCS/SOS/PM/APC
      (?:\x07|\x1b\\|\x9c)?                                            #   ... BEL or ST
    | \x1b [\x20-\x2f]* [\x30-\x7e]?                                   # other ESC sequences
    | [\x00-\x08\x0b-\x1f\x7f-\x9f]                                    # C0 (not \t \n), DEL, C1
    | [\ud800-\udfff]                                                  # lone surrogates
    | [\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]                     # bidi overrides, marks
    | [\U000e0000-\U000e007f]                                          # tag characters
    """,
    re.VERBOSE,
)
_FIRST = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069"
    "\u200e\u200f\u061c\U000e0000-\U000e007f]"
)
"""Every character an _UNSAFE match can start with: one scan of a clean text, where
_UNSAFE's alternatives would be tried at every position (most pack text is clean)."""


@dataclass(frozen=True)
class Unsafe:
    """One escape sequence or control character found in a text."""

    offset: int
    """Index of its first character in the text (after CRLF became LF)."""
    sequence: str

    def describe(self) -> str:
        """The sequence spelled with visible escapes, e.g. `\\x1b[2J`."""
        return visible(self.sequence)


def normalize_newlines(text: str) -> str:
    """Windows line ends are ordinary, not a control character to complain about."""
    return text.replace("\r\n", "\n")


def find_unsafe(text: str) -> list[Unsafe]:
    """Every escape sequence and control character (except newline and tab) in `text`."""
    text = normalize_newlines(text)
    if not _FIRST.search(text):
        return []
    return [Unsafe(m.start(), m.group()) for m in _UNSAFE.finditer(text)]


def clean(text: str) -> str:
    """`text` with escape sequences and control characters (except \\n and \\t) removed."""
    text = normalize_newlines(text)
    return _UNSAFE.sub("", text) if _FIRST.search(text) else text


def line_of(text: str, offset: int) -> int:
    """The 1-based line of `offset` in `text` (after CRLF became LF)."""
    return normalize_newlines(text).count("\n", 0, offset) + 1


def visible(text: str, limit: int = 60) -> str:
    """`text` safe to echo in an error message: controls spelled out, long text cut."""
    out = []
    for ch in text[:limit]:
        code = ord(ch)
        if ch in "\n\t" or _UNSAFE.fullmatch(ch):
            out.append(
                f"\\x{code:02x}"
                if code < 0x100
                else f"\\u{code:04x}"
                if code < 0x10000
                else f"\\U{code:08x}"
            )
        else:
            out.append(ch)
    return "".join(out) + ("..." if len(text) > limit else "")


_BRACKET = re.compile(r"(\\*)\[")
_RICH_TAG = re.compile(r"\[[a-z#/@][^[]*?\]")


def escape_markup(text: str) -> str:
    """`text` as Rich console markup that renders back to exactly `text`.

    Every "[" is escaped, not just the ones that look like tags, so the result is also
    inert in Textual's content markup. Rich halves a run of backslashes in front of a
    tag-like "[...]" and otherwise only drops the one backslash before "[", so a run of
    k backslashes becomes 2k+1 or k+1 of them. Textual does not halve runs: for the rare
    text with a backslash right before a tag-like "[", show it with markup disabled.
    The result is meant to be used whole, not concatenated in front of another tag.
    """

    def escaped(match: re.Match[str]) -> str:
        run = len(match.group(1))
        tag_like = _RICH_TAG.match(text, match.end() - 1) is not None
        return "\\" * (2 * run + 1 if tag_like else run + 1) + "["

    return _BRACKET.sub(escaped, text)
