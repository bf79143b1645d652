"""Find the line of a key or table in TOML source, since tomllib reports no positions.

Error messages about a pack should point at the line to edit. After tomllib has parsed
a document (so the text is known to be valid TOML), this scanner walks the raw text
once and records where each table header and each key starts, skipping the inside of
multi-line strings and arrays. Paths mirror the parsed data: ("lesson", 2, "reading")
is the `reading` key of the third `[[lesson]]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PathPart = str | int

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(r'"((?:[^"\\]|\\.)*)"')
_LITERAL = re.compile(r"'([^']*)'")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))")
_ESCAPED = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    """The value of a basic-string key: a key written "caf\\u00e9" is found as "café"."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        if code is None:
            return _ESCAPED.get(match.group(3), match.group(0))
        return chr(int(code, 16)) if int(code, 16) <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(one, text)


def _key_path(text: str, pos: int) -> tuple[list[str], int] | None:
    """Parse a dotted key starting at `pos`; return its parts and the position after it."""
    parts: list[str] = []
    while True:
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        for pattern in (_BARE, _BASIC, _LITERAL):
            match = pattern.match(text, pos)
            if match:
                part = match.group(match.lastindex or 0)
                parts.append(_unescape(part) if pattern is _BASIC else part)
                pos = match.end()
                break
        else:
            return None
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        if pos < len(text) and text[pos] == ".":
            pos += 1
            continue
        return parts, pos


@dataclass
class _Section:
    line: int
    keys: dict[str, int] = field(default_factory=dict)


@dataclass
class _Scan:
    """Where a value continues past the end of its line."""

    string: str | None = None
    depth: int = 0

    def feed(self, line: str, pos: int) -> None:
        """Advance over `line[pos:]`, tracking strings and brackets."""
        while pos < len(line):
            ch = line[pos]
            if self.string is not None:
                if ch == "\\" and self.string[0] == '"':
                    pos += 2
                elif line.startswith(self.string, pos):
                    pos += len(self.string)
                    while len(self.string) == 3 and line.startswith(self.string[0], pos):
                        pos += 1  # a multi-line string may end with extra quotes
                    self.string = None
                else:
                    pos += 1
                continue
            if ch == "#":
                return
            if ch in "\"'":
                self.string = ch * 3 if line.startswith(ch * 3, pos) else ch
                pos += len(self.string)
                continue
            if ch in "[{":
                self.depth += 1
            elif ch in "]}":
                self.depth -= 1
            pos += 1
        if self.string in ('"', "'"):
            self.string = None  # only multi-line strings continue on the next line

    @property
    def top_level(self) -> bool:
        return self.string is None and self.depth <= 0


class TomlLines:
    """Line numbers of the tables and keys of one valid TOML document."""

    def __init__(self, text: str) -> None:
        self._sections: dict[tuple[PathPart, ...], _Section] = {(): _Section(1)}
        self._counts: dict[tuple[PathPart, ...], int] = {}
        current: tuple[PathPart, ...] = ()
        scan = _Scan()
        for number, line in enumerate(text.split("\n"), start=1):
            if not scan.top_level:
                scan.feed(line, 0)
                continue
            stripped = len(line) - len(line.lstrip(" \t"))
            if line.startswith("[", stripped):
                current = self._header(line, stripped, number) or current
                continue
            parsed = _key_path(line, stripped)
            if parsed is None or not line.startswith("=", parsed[1]):
                continue
            self._sections[current].keys.setdefault(parsed[0][0], number)
            scan.feed(line, parsed[1] + 1)

    def _header(self, line: str, pos: int, number: int) -> tuple[PathPart, ...] | None:
        array = line.startswith("[[", pos)
        parsed = _key_path(line, pos + (2 if array else 1))
        if parsed is None:
            return None
        *parents, last = parsed[0]
        resolved: list[PathPart] = []
        for part in parents:
            resolved.append(part)
            count = self._counts.get(tuple(resolved))
            if count:
                resolved.append(count - 1)
        path: tuple[PathPart, ...] = (*resolved, last)
        if array:
            index = self._counts.get(path, 0)
            self._counts[path] = index + 1
            path = (*path, index)
        self._sections[path] = _Section(number)
        return path

    def line(self, *path: PathPart) -> int | None:
        """The line of the key or table at `path`, else of its nearest enclosing one."""
        for cut in range(len(path), 0, -1):
            head, last = path[: cut - 1], path[cut - 1]
            if isinstance(last, int):
                section = self._sections.get(path[:cut])
                if section is not None:
                    return section.line
                continue
            section = self._sections.get(head)
            if section is not None and last in section.keys:
                return section.keys[last]
            table = self._sections.get((*head, last)) or self._sections.get((*head, last, 0))
            if table is not None:
                return table.line
        return None
