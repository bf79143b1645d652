"""Field validation and error reporting shared by every part of a pack.

A Checker collects PackErrors for one pack: each problem names the file, the line
(looked up only when a problem needs one) and the field to edit, and never raises.
Its readers return the cleaned value or None, so a caller keeps the sound parts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeGuard

from lessons.catalog.files import (
    MANIFEST,
    MAX_PACK_BYTES,
    BadContent,
    BadPath,
    Doc,
    parse_toml,
    read_text,
)
from lessons.pack import PackError
from lessons.sanitize import clean, find_unsafe, line_of, visible
from lessons.toml_lines import PathPart

MAX_ERRORS = 200
"""Problems listed per pack; past it they are counted, so a hostile pack cannot flood
`check` (one shared file once made 1.4 million)."""
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""What every id in a pack looks like: lowercase words joined by "-"."""


def describe(value: Any) -> str:
    """A short, terminal-safe description of a parsed TOML value for an error message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**30 else "a very large number"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return f'"{visible(value, 40)}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def given(value: Any, empty: list[Any] | dict[str, Any] | None = None) -> str:
    """What a key held, to end an error: "missing", "empty" (equal to `empty`) or "got ..."."""
    if value is None:
        return "missing"
    if empty is not None and value == empty:
        return "empty"
    return f"got {describe(value)}"


def finite_number(value: Any) -> float | None:
    """`value` as a finite float, or None if it is not a number (bools are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def label(kind: str, table: dict[str, Any], index: int) -> str:
    """How errors name a table: by its id when valid ("lesson[intro]"), else by position."""
    value = table.get("id")
    if isinstance(value, str) and ID.fullmatch(value):
        return f"{kind}[{value}]"
    return f"{kind}[#{index + 1}]"


@dataclass(frozen=True)
class Ref:
    """The key naming a file: where problems with reaching that file are reported."""

    doc: Doc
    path: tuple[PathPart, ...]
    field: str


class Checker:
    """The problems found in one pack folder so far, and the readers that find them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        """The pack folder, resolved: every file must resolve to a path inside it."""
        self.errors: list[PackError] = []
        self.unlisted = 0
        """Problems found past MAX_ERRORS, counted but not kept."""
        self.bytes_read = 0
        self._texts: dict[str, tuple[str, str] | None] = {}
        self._docs: dict[str, Doc | None] = {}
        """Each file is read and parsed once, however many keys name it."""
        self.claimed: dict[str, str] = {}
        """Quiz files already taken, and the field that took each."""

    # -- reporting -----------------------------------------------------------------

    def error(self, file: str, line: int | None, field: str, message: str) -> None:
        if len(self.errors) >= MAX_ERRORS:
            self.unlisted += 1
            return
        self.errors.append(PackError(file, line, field, visible(message, 400)))

    def error_in(self, doc: Doc, path: tuple[PathPart, ...], field: str, message: str) -> None:
        self.error(doc.rel, doc.lines.line(*path), field, message)

    def choice(
        self, value: Any, allowed: Iterable[str], doc: Doc, where: tuple[PathPart, ...], field: str
    ) -> TypeGuard[str]:
        """Whether `value` (found at `where`) is one of `allowed`; reported, naming them, if not."""
        options = tuple(allowed)
        if value in options:
            return True
        self.error_in(doc, where, field, f"must be one of {', '.join(options)}; {given(value)}")
        return False

    def cleaned(self, file: str, line: int | None, field: str, text: str) -> str:
        """`text` without escapes or controls; finding any is an error (so `check` fails)."""
        found = find_unsafe(text)
        if found:
            shown = ", ".join(unsafe.describe() for unsafe in found[:3])
            more = f" and {len(found) - 3} more" if len(found) > 3 else ""
            if line is None:
                line = line_of(text, found[0].offset)
            self.error(file, line, field, f"terminal control characters removed: {shown}{more}")
        return clean(text)

    # -- files ---------------------------------------------------------------------

    def read(self, value: Any, ref: Ref | None) -> tuple[str, str] | None:
        """The POSIX relative path and text of the pack file `value` names (None if unusable).

        Problems reaching it are reported at `ref`, or on the manifest when `ref` is None.
        """
        if not isinstance(value, str) or not value.strip():
            message = f"must be a file path relative to the pack folder; got {describe(value)}"
            self._bad_path(ref, message)
            return None
        key = PurePosixPath(value).as_posix()
        if key in self._texts:
            return self._texts[key]
        found: tuple[str, str] | None = None
        if self.bytes_read > MAX_PACK_BYTES:
            self._bad_path(ref, f"not read: the pack's files exceed {MAX_PACK_BYTES >> 20} MiB")
            return None  # not cached: each key naming it is told
        try:
            found = read_text(self.root, value)
            self.bytes_read += len(found[1])
        except BadPath as exc:
            self._bad_path(ref, str(exc))
        except BadContent as exc:
            self.error(exc.file, exc.line, exc.field, exc.message)
        self._texts[key] = found
        return found

    def toml(self, value: Any, ref: Ref | None) -> Doc | None:
        """Read and parse the TOML file named `value`."""
        read = self.read(value, ref)
        if read is None:
            return None
        rel = read[0]
        if rel not in self._docs:
            try:
                self._docs[rel] = parse_toml(*read)
            except BadContent as exc:
                self.error(exc.file, exc.line, exc.field, exc.message)
                self._docs[rel] = None
        return self._docs[rel]

    def listed_files(self, manifest: Doc, key: str, default: list[str]) -> list[Doc]:
        """The parsed TOML files the manifest lists under `key` (a list of paths)."""
        files = manifest.data.get(key, default)
        if not isinstance(files, list):
            self.error_in(
                manifest, (key,), key, f"must be a list of file paths; got {describe(files)}"
            )
            return []
        docs = (
            self.toml(value, Ref(manifest, (key,), f"{key}[{index + 1}]"))
            for index, value in enumerate(files)
        )
        return [doc for doc in docs if doc is not None]

    def _bad_path(self, ref: Ref | None, message: str) -> None:
        if ref is None:
            self.error(MANIFEST, None, "pack", message)
        else:
            self.error_in(ref.doc, ref.path, ref.field, message)

    # -- fields --------------------------------------------------------------------

    def unknown_keys(
        self,
        doc: Doc,
        table: dict[str, Any],
        path: tuple[PathPart, ...],
        label: str,
        allowed: tuple[str, ...],
    ) -> None:
        for key in table:
            if key not in allowed:
                field = f"{label}.{visible(key)}" if label else visible(key)
                self.error_in(
                    doc, (*path, key), field, f"unknown key; expected one of: {', '.join(allowed)}"
                )

    def tables(
        self, doc: Doc, table: dict[str, Any], path: tuple[PathPart, ...], key: str, field: str
    ) -> list[tuple[int, dict[str, Any]]]:
        """The tables of array `key` ([[key]]), each with its index; reports other shapes."""
        value = table.get(key, [])
        if not isinstance(value, list):
            self.error_in(
                doc, (*path, key), field, f"must be [[{key}]] tables; got {describe(value)}"
            )
            return []
        good = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                good.append((index, item))
            else:
                self.error_in(
                    doc,
                    (*path, key, index),
                    f"{field}[#{index + 1}]",
                    f"must be a table; got {describe(item)}",
                )
        return good

    def text(
        self,
        doc: Doc,
        table: dict[str, Any],
        path: tuple[PathPart, ...],
        key: str,
        field: str,
        *,
        required: bool = True,
    ) -> str | None:
        """The non-empty, cleaned text at `key`; None (and an error if required) otherwise."""
        value = table.get(key)
        where = (*path, key)
        if value is None:
            if required:
                self.error_in(doc, where, field, "missing")
            return None
        if not isinstance(value, str):
            self.error_in(doc, where, field, f"must be text; got {describe(value)}")
            return None
        return self.text_item(doc, where, field, value)

    def text_item(
        self, doc: Doc, where: tuple[PathPart, ...], field: str, value: str
    ) -> str | None:
        """`value` (found at `where`) cleaned; None after reporting if nothing is left."""
        line = doc.lines.line(*where) if find_unsafe(value) else None
        cleaned = self.cleaned(doc.rel, line, field, value)
        if not cleaned.strip():
            self.error_in(doc, where, field, "must not be empty")
            return None
        return cleaned

    def ident(
        self,
        doc: Doc,
        table: dict[str, Any],
        path: tuple[PathPart, ...],
        field: str,
        taken: set[str],
        kind: str,
    ) -> str | None:
        """A valid id not in `taken` (which it joins); None after reporting otherwise."""
        value = table.get("id")
        where = (*path, "id")
        if value is None:
            self.error_in(doc, where, field, "missing")
            return None
        if not isinstance(value, str) or not ID.fullmatch(value):
            self.error_in(
                doc,
                where,
                field,
                'must be lowercase letters, digits and "-" '
                f'(like "sigmoid-10"); got {describe(value)}',
            )
            return None
        if value in taken:
            self.error_in(doc, where, field, f'duplicate id: another {kind} is already "{value}"')
            return None
        taken.add(value)
        return value
