"""The progress file format: versioned JSON, decoded entry by entry.

One bad entry costs only itself: parse() keeps the rest and says what it dropped.
"""

from __future__ import annotations

import json
from dataclasses import MISSING, asdict, fields
from typing import Any, TypeVar

from lessons.progress.model import ExerciseProgress, LessonProgress, Position, Progress, check_key

SCHEMA_VERSION = 1
_TOP_LEVEL = {"version", "lessons", "exercises", "last"}
_T = TypeVar("_T")


class ProgressFileError(ValueError):
    """A progress file with nothing salvageable in it."""


def to_json(progress: Progress) -> dict[str, Any]:
    """The versioned JSON object stored on disk."""
    return {
        "version": SCHEMA_VERSION,
        "lessons": {
            key: {**asdict(entry), "quiz_mastered": list(entry.quiz_mastered)}
            for key, entry in sorted(progress.lessons.items())
        },
        "exercises": {key: asdict(progress.exercises[key]) for key in sorted(progress.exercises)},
        "last": asdict(progress.last) if progress.last is not None else None,
    }


def parse(data: bytes) -> tuple[Progress, list[str]]:
    """Decode a progress file, keeping every valid entry.

    Returns the progress and one line per dropped part (empty if the file was clean).
    Raises ProgressFileError when nothing can be salvaged: not UTF-8, not JSON, not an
    object, or a missing or unknown format version.
    """
    try:
        # utf-8-sig: an editor that saved the file with a byte order mark broke nothing.
        obj = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ProgressFileError("not UTF-8 text") from None
    except (ValueError, RecursionError) as err:
        where = f" at line {err.lineno}" if isinstance(err, json.JSONDecodeError) else ""
        raise ProgressFileError(f"not valid JSON{where}") from None
    if not isinstance(obj, dict):
        raise ProgressFileError("not a JSON object")
    version = obj.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProgressFileError("no valid format version")
    if version > SCHEMA_VERSION:
        raise ProgressFileError(f"written by a newer vgtutor, format version {version}")
    problems = [f"unknown field {name!r}" for name in sorted(obj.keys() - _TOP_LEVEL)]
    lessons = _decode_section(obj, "lessons", LessonProgress, problems)
    exercises = _decode_section(obj, "exercises", ExerciseProgress, problems)
    last = None
    if obj.get("last") is not None:
        try:
            last = _decode_entry(Position, obj["last"])
        except ValueError as err:
            problems.append(f"last: {err}")
    return Progress(lessons, exercises, last), problems


def _decode_section(
    obj: dict[str, Any], name: str, kind: type[_T], problems: list[str]
) -> dict[str, _T]:
    raw = obj.get(name, {})
    if not isinstance(raw, dict):
        problems.append(f"{name!r} is not an object")
        return {}
    entries = {}
    for key, entry in raw.items():
        try:
            entries[check_key(key)] = _decode_entry(kind, entry)
        except ValueError as err:
            problems.append(f"{name}[{key!r}]: {err}")
    return entries


def _decode_entry(kind: type[_T], entry: object) -> _T:
    if not isinstance(entry, dict):
        raise ValueError("expected an object")
    names = [f.name for f in fields(kind)]  # type: ignore[arg-type]
    unknown = sorted(entry.keys() - set(names))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")
    missing = [
        f.name
        for f in fields(kind)  # type: ignore[arg-type]
        if f.default is MISSING and f.name not in entry
    ]
    if missing:
        raise ValueError(f"missing field {missing[0]!r}")
    return kind(**entry)
