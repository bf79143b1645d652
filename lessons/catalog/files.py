"""The untrusted-file boundary of a pack: reach, read and parse one file, or say why not.

Everything here treats the pack folder as hostile. A path must stay inside the pack
folder once symbolic links are resolved, name a regular file and hold at most
MAX_FILE_BYTES of UTF-8; TOML is parsed by tomllib only after a linear scan has ruled
out keys deep enough to make tomllib's time explode. Failures raise BadPath (reported
at the key that named the file) or BadContent (reported inside the file itself).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from lessons.sanitize import find_unsafe, visible
from lessons.toml_lines import TomlLines

MAX_FILE_BYTES = 1 << 20
MANIFEST = "pack.toml"
MAX_KEY_PARTS = 32
"""Most parts a dotted key or table header may have; the format needs four."""

_KEY_PART = r"""(?:[A-Za-z0-9_-]++|"[^"\\\n]*+"|'[^'\n]*+')"""
_TOO_DEEP_KEY = re.compile(
    rf"(?m)(?:^|[{{\[,])[ \t]*{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART}){{{MAX_KEY_PARTS}}}"
)
"""MAX_KEY_PARTS + 1 dotted parts where a key can start: a line's start, "[", "{" or ","."""
_TOML_POSITION = re.compile(r"\s*\((?:at line (\d+), column \d+|at end of document)\)$")


class BadPath(Exception):
    """The file a key names cannot be reached or read; the message says why."""


class BadContent(Exception):
    """The file was read but its content is unusable: at `line` of `file`, under `field`."""

    def __init__(self, file: str, line: int | None, field: str, message: str) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Doc:
    """One parsed TOML file of the pack."""

    rel: str
    data: dict[str, Any]
    text: str

    @cached_property
    def lines(self) -> TomlLines:
        """Built only when a problem needs a line number: indexing costs as much as parsing."""
        return TomlLines(self.text)


def read_text(root: Path, value: str) -> tuple[str, str]:
    """The POSIX path relative to `root` and the text of the pack file `value` names.

    `root` is the resolved pack folder. Raises BadPath or BadContent.
    """
    shown = f'"{visible(value)}"'
    if find_unsafe(value) or "\\" in value:
        raise BadPath(f"{shown}: use plain characters and / in file paths")
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).drive:
        raise BadPath(f"{shown} is absolute; give a path relative to the pack folder")
    rel = PurePosixPath(value).as_posix()
    try:
        target = (root / rel).resolve()
        if not target.is_relative_to(root):
            raise BadPath(f"{shown} leaves the pack folder")
        if not target.exists():
            raise BadPath(f"{shown}: no such file")
        if not target.is_file():
            raise BadPath(f"{shown} is not a regular file")
        with target.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except (OSError, RuntimeError, ValueError) as exc:
        raise BadPath(f"{shown} cannot be read: {why_unreadable(exc)}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise BadPath(f"{shown} is larger than 1 MiB, the limit for a pack file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"not valid UTF-8 (byte 0x{data[exc.start]:02x})"
        raise BadContent(rel, line, "encoding", message) from exc
    return rel, text.removeprefix("\ufeff")


def parse_toml(rel: str, text: str) -> Doc:
    """The parsed TOML file `rel` holding `text`; raises BadContent with the line at fault."""
    too_deep = too_deep_key(text)
    if too_deep is not None:
        message = f"a key or table name with more than {MAX_KEY_PARTS} dotted parts"
        raise BadContent(rel, too_deep, "syntax", message)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _TOML_POSITION.search(message)
        line = text.rstrip("\n").count("\n") + 1
        if position is not None:
            message = message[: position.start()]
            line = int(position.group(1)) if position.group(1) else line
        raise BadContent(rel, line, "syntax", f"invalid TOML: {message}") from exc
    except RecursionError as exc:
        raise BadContent(rel, None, "syntax", "tables or arrays nested too deeply") from exc
    except ValueError as exc:  # e.g. an integer with too many digits
        raise BadContent(rel, None, "syntax", f"invalid TOML: {exc}") from exc
    return Doc(rel, data, text)


def too_deep_key(text: str) -> int | None:
    """The line of the first key or table name with too many dotted parts, else None.

    tomllib's time grows with the square of a key's parts: one 100 kB line of
    `a.a.a...` took it a minute, a 1 MiB one would take hours. This search stops
    reading a key after MAX_KEY_PARTS + 1 parts, so it is linear; prose in a string
    could match only with that many dotted words in a row at a line's start.
    """
    found = _TOO_DEEP_KEY.search(text)
    return None if found is None else text.count("\n", 0, found.start()) + 1


def why_unreadable(exc: Exception) -> str:
    """What went wrong reading a file, in words (not an exception class name)."""
    if isinstance(exc, RuntimeError):  # Path.resolve() in Python 3.11
        return "a symbolic link loop"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[:1].lower() + exc.strerror[1:]
    return "not a usable path"
