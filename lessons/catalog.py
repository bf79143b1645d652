"""Load a lesson-pack folder into the dataclasses of lessons.pack, reporting every problem.

A pack is untrusted data. It is read with tomllib and plain file reads only (never
eval, exec, pickle or import); every file must stay inside the pack folder and under
1 MiB; all its text is cleaned of terminal escapes and control characters. Problems
never raise: each becomes a PackError naming the file and line to edit, and the sound
parts of the pack still load. Only an unusable manifest gives no pack at all.

What a returned Pack promises the app: every lesson has at least one page and at least
one preset, and every preset id a lesson or question names is in `pack.presets`;
every question has at least one choice. A lesson whose reading or presets are unusable
is left out; a bad question is left out of its lesson (which may be left with none).
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from lessons.exercises import EXERCISE_KINDS, FLAG, GOAL_METRICS, Exercise, Goal
from lessons.lab.config import (
    METRICS,
    PRESET_KINDS,
    NetConfig,
    RNNConfig,
    TrainConfig,
    allowed_settings,
    config_from_settings,
)
from lessons.pack import FORMAT_VERSION, Choice, Lesson, Pack, PackError, Preset, Question
from lessons.sanitize import clean, find_unsafe, line_of, visible
from lessons.toml_lines import PathPart, TomlLines

MAX_FILE_BYTES = 1 << 20
MANIFEST = "pack.toml"
DEFAULT_PRESET_FILES = ("presets.toml",)
COMPARES = ("activations", "inits", "fixes", "depths")

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MANIFEST_KEYS = ("format_version", "id", "title", "preset_files", "exercise_files", "lesson")
_LESSON_KEYS = ("id", "title", "reading", "questions", "presets")
_PRESET_KEYS = ("id", "title", "kind", "look_for", "metric", "compare")
_QUESTION_KEYS = ("id", "prompt", "preset", "choice")
_CHOICE_KEYS = ("text", "correct", "explanation")
_EXERCISE_KEYS = ("id", "title", "lesson", "task", "kind", "start", "locked", "goal", "hints")
_RANGE_KEYS = ("min", "max")
MAX_KEY_PARTS = 32
"""Most parts a dotted key or table header may have; the format needs four."""
_KEY_PART = r"""(?:[A-Za-z0-9_-]++|"[^"\\\n]*+"|'[^'\n]*+')"""
_TOO_DEEP_KEY = re.compile(
    rf"(?m)(?:^|[{{\[,])[ \t]*{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART}){{{MAX_KEY_PARTS}}}"
)
"""MAX_KEY_PARTS + 1 dotted parts where a key can start: a line's start, "[", "{" or ","."""
_TOML_POSITION = re.compile(r"\s*\((?:at line (\d+), column \d+|at end of document)\)$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def builtin_pack_path() -> Path:
    """The folder of the built-in course."""
    return Path(__file__).resolve().parent / "content"


def load_pack(path: Path) -> tuple[Pack | None, list[PackError]]:
    """Load and validate the pack in folder `path`: the pack (None if unusable) and all problems.

    Error files are relative to the pack folder, in POSIX form ("quizzes/01.toml").
    """
    path = Path(path)
    try:
        root = path.resolve()
    except (OSError, RuntimeError, ValueError):
        root = None
    if root is None or not root.is_dir():
        return None, [PackError(str(path), None, "pack", "not a folder")]
    loader = _Loader(root)
    pack = loader.load()
    return pack, loader.errors


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


def _describe(value: Any) -> str:
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


def _finite_number(value: Any) -> float | None:
    """`value` as a finite float, or None if it is not a number (bools are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _too_deep_key(text: str) -> int | None:
    """The line of the first key or table name with too many dotted parts, else None.

    tomllib's time grows with the square of a key's parts: one 100 kB line of
    `a.a.a...` took it a minute, a 1 MiB one would take hours. This search stops
    reading a key after MAX_KEY_PARTS + 1 parts, so it is linear; prose in a string
    could match only with that many dotted words in a row at a line's start.
    """
    found = _TOO_DEEP_KEY.search(text)
    return None if found is None else text.count("\n", 0, found.start()) + 1


def _why_unreadable(exc: Exception) -> str:
    """What went wrong reading a file, in words (not an exception class name)."""
    if isinstance(exc, RuntimeError):  # Path.resolve() in Python 3.11
        return "a symbolic link loop"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[:1].lower() + exc.strerror[1:]
    return "not a usable path"


@dataclass(frozen=True)
class _Doc:
    """One parsed TOML file of the pack."""

    rel: str
    data: dict[str, Any]
    text: str

    @cached_property
    def lines(self) -> TomlLines:
        """Built only when a problem needs a line number: indexing costs as much as parsing."""
        return TomlLines(self.text)


@dataclass(frozen=True)
class _Ref:
    """The key naming a file: where problems with reaching that file are reported."""

    doc: _Doc
    path: tuple[PathPart, ...]
    field: str


class _Loader:
    """One pass over one pack folder, collecting errors as it goes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        """The pack folder, resolved: every file must resolve to a path inside it."""
        self.errors: list[PackError] = []
        self.presets: dict[str, Preset] = {}
        self.declared_presets: set[str] = set()
        """Ids of every preset table, valid or not, so a bad preset is reported only once."""
        self.question_ids: set[str] = set()
        self.lesson_ids: set[str] = set()
        """Ids of every lesson table with a valid id, kept or not, for exercises to name."""
        self.exercise_ids: set[str] = set()

    # -- reporting -----------------------------------------------------------------

    def error(self, file: str, line: int | None, field: str, message: str) -> None:
        self.errors.append(PackError(file, line, field, visible(message, 400)))

    def error_in(self, doc: _Doc, path: tuple[PathPart, ...], field: str, message: str) -> None:
        self.error(doc.rel, doc.lines.line(*path), field, message)

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

    def read(self, value: Any, ref: _Ref | None) -> tuple[str, str] | None:
        """Read the pack file named `value`: its POSIX relative path and its text."""

        def fail(message: str) -> None:
            if ref is None:
                self.error(MANIFEST, None, "pack", message)
            else:
                self.error_in(ref.doc, ref.path, ref.field, message)

        if not isinstance(value, str) or not value.strip():
            fail(f"must be a file path relative to the pack folder; got {_describe(value)}")
            return None
        shown = f'"{visible(value)}"'
        if find_unsafe(value) or "\\" in value:
            fail(f"{shown}: use plain characters and / in file paths")
            return None
        if PurePosixPath(value).is_absolute() or PureWindowsPath(value).drive:
            fail(f"{shown} is absolute; give a path relative to the pack folder")
            return None
        rel = PurePosixPath(value).as_posix()
        try:
            target = (self.root / rel).resolve()
            if not target.is_relative_to(self.root):
                fail(f"{shown} leaves the pack folder")
                return None
            if not target.exists():
                fail(f"{shown}: no such file")
                return None
            if not target.is_file():
                fail(f"{shown} is not a regular file")
                return None
            with target.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except (OSError, RuntimeError, ValueError) as exc:
            fail(f"{shown} cannot be read: {_why_unreadable(exc)}")
            return None
        if len(data) > MAX_FILE_BYTES:
            fail(f"{shown} is larger than 1 MiB, the limit for a pack file")
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            self.error(rel, line, "encoding", f"not valid UTF-8 (byte 0x{data[exc.start]:02x})")
            return None
        return rel, text.removeprefix("\ufeff")

    def toml(self, value: Any, ref: _Ref | None) -> _Doc | None:
        """Read and parse the TOML file named `value`."""
        read = self.read(value, ref)
        if read is None:
            return None
        rel, text = read
        too_deep = _too_deep_key(text)
        if too_deep is not None:
            self.error(
                rel,
                too_deep,
                "syntax",
                f"a key or table name with more than {MAX_KEY_PARTS} dotted parts",
            )
            return None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            position = _TOML_POSITION.search(message)
            line = text.rstrip("\n").count("\n") + 1
            if position is not None:
                message = message[: position.start()]
                line = int(position.group(1)) if position.group(1) else line
            self.error(rel, line, "syntax", f"invalid TOML: {message}")
            return None
        except RecursionError:
            self.error(rel, None, "syntax", "tables or arrays nested too deeply")
            return None
        except ValueError as exc:  # e.g. an integer with too many digits
            self.error(rel, None, "syntax", f"invalid TOML: {exc}")
            return None
        return _Doc(rel, data, text)

    # -- shared checks -------------------------------------------------------------

    def unknown_keys(
        self,
        doc: _Doc,
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
        self, doc: _Doc, table: dict[str, Any], path: tuple[PathPart, ...], key: str, field: str
    ) -> list[tuple[int, dict[str, Any]]]:
        """The tables of array `key` ([[key]]), each with its index; reports other shapes."""
        value = table.get(key, [])
        if not isinstance(value, list):
            self.error_in(
                doc, (*path, key), field, f"must be [[{key}]] tables; got {_describe(value)}"
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
                    f"must be a table; got {_describe(item)}",
                )
        return good

    def text(
        self,
        doc: _Doc,
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
            self.error_in(doc, where, field, f"must be text; got {_describe(value)}")
            return None
        line = doc.lines.line(*where) if find_unsafe(value) else None
        cleaned = self.cleaned(doc.rel, line, field, value)
        if not cleaned.strip():
            self.error_in(doc, where, field, "must not be empty")
            return None
        return cleaned

    def ident(
        self,
        doc: _Doc,
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
        if not isinstance(value, str) or not _ID.fullmatch(value):
            self.error_in(
                doc,
                where,
                field,
                'must be lowercase letters, digits and "-" '
                f'(like "sigmoid-10"); got {_describe(value)}',
            )
            return None
        if value in taken:
            self.error_in(doc, where, field, f'duplicate id: another {kind} is already "{value}"')
            return None
        taken.add(value)
        return value

    @staticmethod
    def label(kind: str, table: dict[str, Any], index: int) -> str:
        value = table.get("id")
        if isinstance(value, str) and _ID.fullmatch(value):
            return f"{kind}[{value}]"
        return f"{kind}[#{index + 1}]"

    # -- the pack ------------------------------------------------------------------

    def load(self) -> Pack | None:
        manifest = self.toml(MANIFEST, None)
        if manifest is None or not self.format_version(manifest):
            return None
        data = manifest.data
        self.unknown_keys(manifest, data, (), "", _MANIFEST_KEYS)
        pack_id = self.ident(manifest, data, (), "id", set(), "pack") or self.root.name
        title = self.text(manifest, data, (), "title", "title") or pack_id
        self.load_presets(manifest)
        lessons = self.load_lessons(manifest, pack_id)
        exercises = self.load_exercises(manifest, pack_id)
        return Pack(pack_id, title, self.root, tuple(lessons), dict(self.presets), exercises)

    def format_version(self, doc: _Doc) -> bool:
        """Whether the manifest can be read as this format (a missing version is assumed 1)."""
        value = doc.data.get("format_version")
        if value is None:
            self.error(
                doc.rel,
                None,
                "format_version",
                f"missing; start pack.toml with `format_version = {FORMAT_VERSION}`",
            )
            return True
        if isinstance(value, bool) or value != FORMAT_VERSION:
            self.error_in(
                doc,
                ("format_version",),
                "format_version",
                f"this vgtutor reads format_version {FORMAT_VERSION}; got {_describe(value)}",
            )
            return False
        return True

    # -- presets -------------------------------------------------------------------

    def data_files(self, manifest: _Doc, key: str, default: list[str]) -> list[_Doc]:
        """The parsed TOML files the manifest lists under `key` (a list of paths)."""
        files = manifest.data.get(key, default)
        if not isinstance(files, list):
            self.error_in(
                manifest, (key,), key, f"must be a list of file paths; got {_describe(files)}"
            )
            return []
        docs = (
            self.toml(value, _Ref(manifest, (key,), f"{key}[{index + 1}]"))
            for index, value in enumerate(files)
        )
        return [doc for doc in docs if doc is not None]

    def load_presets(self, manifest: _Doc) -> None:
        for doc in self.data_files(manifest, "preset_files", list(DEFAULT_PRESET_FILES)):
            self.unknown_keys(doc, doc.data, (), "", ("preset",))
            for i, table in self.tables(doc, doc.data, (), "preset", "preset"):
                preset = self.preset(doc, i, table)
                if preset is not None:
                    self.presets[preset.id] = preset

    def preset(self, doc: _Doc, index: int, table: dict[str, Any]) -> Preset | None:
        path: tuple[PathPart, ...] = ("preset", index)
        label = self.label("preset", table, index)
        pid = self.ident(doc, table, path, f"{label}.id", self.declared_presets, "preset")
        title = self.text(doc, table, path, "title", f"{label}.title")
        look_for = self.text(doc, table, path, "look_for", f"{label}.look_for")
        kind = table.get("kind")
        if kind not in PRESET_KINDS:
            got = "missing" if kind is None else f"got {_describe(kind)}"
            self.error_in(
                doc,
                (*path, "kind"),
                f"{label}.kind",
                f"must be one of {', '.join(PRESET_KINDS)}; {got}",
            )
            return None
        metric = table.get("metric", "weight")
        ok = metric in METRICS
        if not ok:
            self.error_in(
                doc,
                (*path, "metric"),
                f"{label}.metric",
                f"must be one of {', '.join(METRICS)}; got {_describe(metric)}",
            )
        compare = table.get("compare")
        if compare is not None and kind != "profile":
            ok = False
            self.error_in(
                doc, (*path, "compare"), f"{label}.compare", "only profile presets compare"
            )
        elif compare is not None and compare not in COMPARES:
            ok = False
            self.error_in(
                doc,
                (*path, "compare"),
                f"{label}.compare",
                f"must be one of {', '.join(COMPARES)}; got {_describe(compare)}",
            )
        settings = {k: v for k, v in table.items() if k not in _PRESET_KEYS}
        config = self.settings(doc, path, label, kind, settings, _PRESET_KEYS)
        if pid is None or title is None or look_for is None or config is None or not ok:
            return None
        return Preset(pid, title, kind, look_for, config, metric, compare)

    def settings(
        self,
        doc: _Doc,
        path: tuple[PathPart, ...],
        label: str,
        kind: str,
        settings: dict[str, Any],
        other_keys: tuple[str, ...] = (),
        owner: str = "preset",
    ) -> NetConfig | TrainConfig | RNNConfig | None:
        """The lab config from `settings` (found at `path`), reporting each bad one; None if any.

        `other_keys` are the owner's own keys, listed with the settings when one is unknown.
        """
        allowed = allowed_settings(kind)
        ok = True
        for key, value in settings.items():
            field = f"{label}.{visible(key)}"
            if key not in allowed:
                ok = False
                self.error_in(
                    doc,
                    (*path, key),
                    field,
                    f"unknown setting for a {kind} {owner}; "
                    f"allowed: {', '.join(other_keys + allowed)}",
                )
                continue
            try:
                config_from_settings(kind, {key: value})
            except (ValueError, TypeError) as exc:
                ok = False
                message = str(exc).removeprefix(f"{key}: ")
                if "Exceeds the limit" in message:
                    message = "must be a reasonable number; got a very large number"
                self.error_in(doc, (*path, key), field, message)
        if not ok:
            return None
        try:
            return config_from_settings(kind, settings)
        except (ValueError, TypeError) as exc:
            self.error_in(doc, path, label, str(exc))
            return None

    # -- lessons -------------------------------------------------------------------

    def load_lessons(self, manifest: _Doc, pack_id: str) -> list[Lesson]:
        if not manifest.data.get("lesson"):
            self.error(manifest.rel, None, "lesson", "no lessons: add [[lesson]] tables")
        lessons = []
        taken = self.lesson_ids
        for index, table in self.tables(manifest, manifest.data, (), "lesson", "lesson"):
            lesson = self.lesson(manifest, index, table, pack_id, taken)
            if lesson is not None:
                lessons.append(lesson)
        return lessons

    def lesson(
        self, doc: _Doc, index: int, table: dict[str, Any], pack_id: str, taken: set[str]
    ) -> Lesson | None:
        path: tuple[PathPart, ...] = ("lesson", index)
        label = self.label("lesson", table, index)
        self.unknown_keys(doc, table, path, label, _LESSON_KEYS)
        lesson_id = self.ident(doc, table, path, f"{label}.id", taken, "lesson")
        title = self.text(doc, table, path, "title", f"{label}.title")
        pages = self.pages(_Ref(doc, (*path, "reading"), f"{label}.reading"), table.get("reading"))
        presets = self.preset_refs(doc, path, label, table.get("presets"))
        questions: tuple[Question, ...] = ()
        if "questions" in table:
            ref = _Ref(doc, (*path, "questions"), f"{label}.questions")
            questions = self.load_questions(ref, table["questions"])
        else:
            self.error_in(doc, path, f"{label}.questions", "missing: name the lesson's quiz file")
        if lesson_id is None or title is None or not pages or not presets:
            return None
        return Lesson(lesson_id, title, pages, questions, presets, pack_id)

    def pages(self, ref: _Ref, value: Any) -> tuple[str, ...]:
        if value is None:
            self.error_in(ref.doc, ref.path, ref.field, "missing: name the lesson's Markdown file")
            return ()
        read = self.read(value, ref)
        if read is None:
            return ()
        rel, text = read
        pages = split_pages(self.cleaned(rel, None, ref.field, text))
        if not pages:
            self.error(rel, None, ref.field, "the reading is empty")
        return pages

    def preset_refs(
        self, doc: _Doc, path: tuple[PathPart, ...], label: str, value: Any
    ) -> tuple[str, ...]:
        where, field = (*path, "presets"), f"{label}.presets"
        if not isinstance(value, list) or not value:
            got = (
                "missing"
                if value is None
                else "empty"
                if value == []
                else f"got {_describe(value)}"
            )
            self.error_in(
                doc, where, field, f"a lesson needs a list of at least one preset id; {got}"
            )
            return ()
        found = []
        for item in value:
            if not isinstance(item, str) or item not in self.declared_presets:
                self.error_in(doc, where, field, f"no preset has the id {_describe(item)}")
            elif item in self.presets:
                found.append(item)
        return tuple(found)

    # -- questions -----------------------------------------------------------------

    def load_questions(self, ref: _Ref, value: Any) -> tuple[Question, ...]:
        doc = self.toml(value, ref)
        if doc is None:
            return ()
        self.unknown_keys(doc, doc.data, (), "", ("question",))
        tables = self.tables(doc, doc.data, (), "question", "question")
        if not doc.data.get("question"):
            self.error(doc.rel, None, "question", "no questions: add [[question]] tables")
        questions = (self.question(doc, index, table) for index, table in tables)
        return tuple(q for q in questions if q is not None)

    def question(self, doc: _Doc, index: int, table: dict[str, Any]) -> Question | None:
        path: tuple[PathPart, ...] = ("question", index)
        label = self.label("question", table, index)
        self.unknown_keys(doc, table, path, label, _QUESTION_KEYS)
        qid = self.ident(doc, table, path, f"{label}.id", self.question_ids, "question")
        prompt = self.text(doc, table, path, "prompt", f"{label}.prompt")
        preset = table.get("preset")
        if preset is not None and (
            not isinstance(preset, str) or preset not in self.declared_presets
        ):
            self.error_in(
                doc,
                (*path, "preset"),
                f"{label}.preset",
                f"no preset has the id {_describe(preset)}",
            )
        if not isinstance(preset, str) or preset not in self.presets:
            preset = None
        tables = self.tables(doc, table, path, "choice", f"{label}.choice")
        if not table.get("choice"):
            self.error_in(
                doc, path, f"{label}.choice", "no choices: add [[question.choice]] tables"
            )
        choices = [
            self.choice(doc, (*path, "choice", i), f"{label}.choice[{i + 1}]", c) for i, c in tables
        ]
        if qid is None or prompt is None or not tables or None in choices:
            return None
        return Question(qid, prompt, tuple(c for c in choices if c is not None), preset)

    def choice(
        self, doc: _Doc, path: tuple[PathPart, ...], label: str, table: dict[str, Any]
    ) -> Choice | None:
        self.unknown_keys(doc, table, path, label, _CHOICE_KEYS)
        text = self.text(doc, table, path, "text", f"{label}.text")
        explanation = self.text(doc, table, path, "explanation", f"{label}.explanation")
        correct = table.get("correct")
        if not isinstance(correct, bool):
            got = "missing" if correct is None else f"got {_describe(correct)}"
            self.error_in(
                doc, (*path, "correct"), f"{label}.correct", f"must be true or false; {got}"
            )
            return None
        if text is None or explanation is None:
            return None
        return Choice(text, correct, explanation)

    # -- exercises -----------------------------------------------------------------

    def load_exercises(self, manifest: _Doc, pack_id: str) -> dict[str, Exercise]:
        exercises: dict[str, Exercise] = {}
        for doc in self.data_files(manifest, "exercise_files", []):
            self.unknown_keys(doc, doc.data, (), "", ("exercise",))
            if not doc.data.get("exercise"):
                self.error(doc.rel, None, "exercise", "no exercises: add [[exercise]] tables")
            for index, table in self.tables(doc, doc.data, (), "exercise", "exercise"):
                exercise = self.exercise(doc, index, table, pack_id)
                if exercise is not None:
                    exercises[exercise.id] = exercise
        return exercises

    def exercise(
        self, doc: _Doc, index: int, table: dict[str, Any], pack_id: str
    ) -> Exercise | None:
        path: tuple[PathPart, ...] = ("exercise", index)
        label = self.label("exercise", table, index)
        self.unknown_keys(doc, table, path, label, _EXERCISE_KEYS)
        eid = self.ident(doc, table, path, f"{label}.id", self.exercise_ids, "exercise")
        title = self.text(doc, table, path, "title", f"{label}.title")
        task = self.text(doc, table, path, "task", f"{label}.task")
        lesson = table.get("lesson")
        lesson_ok = lesson is None or (isinstance(lesson, str) and lesson in self.lesson_ids)
        if not lesson_ok:
            self.error_in(
                doc,
                (*path, "lesson"),
                f"{label}.lesson",
                f"no lesson has the id {_describe(lesson)}",
            )
        hints = self.hints(doc, path, label, table.get("hints"))
        kind = table.get("kind")
        if kind not in EXERCISE_KINDS:
            got = "missing" if kind is None else f"got {_describe(kind)}"
            self.error_in(
                doc,
                (*path, "kind"),
                f"{label}.kind",
                f"must be one of {', '.join(EXERCISE_KINDS)}; {got}",
            )
            return None
        start = self.start(doc, path, label, kind, table.get("start"))
        locked = self.locked(doc, path, label, kind, table.get("locked", []))
        goals = self.goals(doc, path, label, kind, table.get("goal"))
        if (
            not lesson_ok
            or eid is None
            or title is None
            or task is None
            or hints is None
            or start is None
            or locked is None
            or goals is None
        ):
            return None
        return Exercise(eid, title, task, kind, start, goals, hints, locked, lesson, pack_id)

    def start(
        self, doc: _Doc, path: tuple[PathPart, ...], label: str, kind: str, value: Any
    ) -> NetConfig | TrainConfig | RNNConfig | None:
        where, field = (*path, "start"), f"{label}.start"
        if not isinstance(value, dict):
            got = "missing" if value is None else f"got {_describe(value)}"
            self.error_in(doc, where, field, f"must be a table of lab settings; {got}")
            return None
        return self.settings(doc, where, field, kind, value, owner="exercise")

    def locked(
        self, doc: _Doc, path: tuple[PathPart, ...], label: str, kind: str, value: Any
    ) -> tuple[str, ...] | None:
        where, field = (*path, "locked"), f"{label}.locked"
        if not isinstance(value, list):
            self.error_in(
                doc, where, field, f"must be a list of setting names; got {_describe(value)}"
            )
            return None
        allowed = allowed_settings(kind)
        bad = [item for item in value if not isinstance(item, str) or item not in allowed]
        for item in bad:
            self.error_in(
                doc,
                where,
                field,
                f"{_describe(item)} is not a setting of a {kind} exercise; "
                f"allowed: {', '.join(allowed)}",
            )
        return None if bad else tuple(dict.fromkeys(value))

    def goals(
        self, doc: _Doc, path: tuple[PathPart, ...], label: str, kind: str, value: Any
    ) -> tuple[Goal, ...] | None:
        where, field = (*path, "goal"), f"{label}.goal"
        metrics = GOAL_METRICS[kind]
        if not isinstance(value, dict) or not value:
            got = (
                "missing"
                if value is None
                else "empty"
                if value == {}
                else f"got {_describe(value)}"
            )
            self.error_in(
                doc,
                where,
                field,
                f"must be a table of conditions on {', '.join(metrics)}; {got}",
            )
            return None
        goals = []
        for metric, condition in value.items():
            goal = self.goal(
                doc, (*where, metric), f"{field}.{visible(metric)}", kind, metric, condition
            )
            if goal is not None:
                goals.append(goal)
        return tuple(goals) if len(goals) == len(value) else None

    def goal(
        self, doc: _Doc, where: tuple[PathPart, ...], field: str, kind: str, metric: str, value: Any
    ) -> Goal | None:
        metrics = GOAL_METRICS[kind]
        if metric not in metrics:
            self.error_in(
                doc,
                where,
                field,
                f"not a goal of a {kind} exercise; expected one of: {', '.join(metrics)}",
            )
            return None
        if metrics[metric] == FLAG:
            if isinstance(value, bool):
                return Goal(metric, flag=value)
            self.error_in(doc, where, field, f"must be true or false; got {_describe(value)}")
            return None
        if not isinstance(value, dict):
            self.error_in(
                doc,
                where,
                field,
                f"must be a table like {{ min = -1.0, max = 1.0 }}; got {_describe(value)}",
            )
            return None
        self.unknown_keys(doc, value, where, field, _RANGE_KEYS)
        ok = not set(value) - set(_RANGE_KEYS)
        bounds: dict[str, float] = {}
        for key in _RANGE_KEYS:
            bound = value.get(key)
            if bound is None:
                continue
            number = _finite_number(bound)
            if number is None:
                self.error_in(
                    doc,
                    (*where, key),
                    f"{field}.{key}",
                    f"must be a number; got {_describe(bound)}",
                )
                return None
            bounds[key] = number
        if not bounds:
            self.error_in(doc, where, field, "needs min, max or both")
            return None
        if bounds.get("min", -math.inf) > bounds.get("max", math.inf):
            self.error_in(doc, where, field, "min is larger than max: no value can meet it")
            return None
        if not ok:
            return None
        return Goal(metric, bounds.get("min"), bounds.get("max"))

    def hints(
        self, doc: _Doc, path: tuple[PathPart, ...], label: str, value: Any
    ) -> tuple[str, ...] | None:
        where, field = (*path, "hints"), f"{label}.hints"
        if not isinstance(value, list) or not value:
            got = (
                "missing"
                if value is None
                else "empty"
                if value == []
                else f"got {_describe(value)}"
            )
            self.error_in(doc, where, field, f"must be a list of at least one hint; {got}")
            return None
        hints = []
        for number, hint in enumerate(value, start=1):
            item = f"{field}[{number}]"
            if not isinstance(hint, str):
                self.error_in(doc, where, item, f"must be text; got {_describe(hint)}")
                continue
            line = doc.lines.line(*where) if find_unsafe(hint) else None
            cleaned = self.cleaned(doc.rel, line, item, hint)
            if not cleaned.strip():
                self.error_in(doc, where, item, "must not be empty")
                continue
            hints.append(cleaned)
        return tuple(hints) if len(hints) == len(value) else None
