"""The learner's progress as frozen, self-checking values; updates return new values.

Every field is checked on construction, so a Progress built from a hand-edited file
holds only valid entries, and holders share it without copying.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any


def lesson_key(pack_id: str, item_id: str) -> str:
    """The "<pack_id>/<id>" key a lesson or exercise is stored under."""
    return check_key(f"{pack_id}/{item_id}")


def check_key(key: object) -> str:
    """`key` if it is a "<pack_id>/<id>" key; ValueError otherwise."""
    if isinstance(key, str):
        pack, sep, item = key.partition("/")
        if sep and pack and item and "/" not in item and not any(c.isspace() for c in key):
            return key
    raise ValueError(f"expected a 'pack/id' key, got {key!r}")


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(message)


@dataclass(frozen=True)
class LessonProgress:
    """How far the learner got in one lesson."""

    read: bool = False
    pages_seen: int = 0
    """How many pages were seen: the highest 0-based page index seen, plus one."""
    quiz_right: int | None = None
    quiz_total: int | None = None
    """The latest quiz attempt: `quiz_right` right answers out of `quiz_total`."""
    quiz_best: int | None = None
    """The most right answers in any attempt."""
    lab_visited: bool = False
    quiz_mastered: tuple[str, ...] = ()
    """Ids of questions answered right in a review of missed ones (lessons/quiz.py)."""

    def __post_init__(self) -> None:
        mastered = self.quiz_mastered  # a JSON list when read from a file
        _require(
            isinstance(mastered, (list, tuple)) and all(isinstance(q, str) for q in mastered),
            "quiz_mastered: expected a list of question ids",
        )
        object.__setattr__(self, "quiz_mastered", tuple(sorted(set(mastered))))
        _require(isinstance(self.read, bool), "read: expected true or false")
        _require(_is_count(self.pages_seen), "pages_seen: expected a whole number >= 0")
        for name in ("quiz_right", "quiz_total", "quiz_best"):
            value = getattr(self, name)
            _require(
                value is None or _is_count(value), f"{name}: expected null or a whole number >= 0"
            )
        _require(isinstance(self.lab_visited, bool), "lab_visited: expected true or false")


@dataclass(frozen=True)
class ExerciseProgress:
    """Whether an exercise was done, and when."""

    done: bool
    at: str
    """ISO 8601 time of the (first) completion."""

    def __post_init__(self) -> None:
        _require(isinstance(self.done, bool), "done: expected true or false")
        _require(isinstance(self.at, str), "at: expected an ISO 8601 time")
        try:
            datetime.fromisoformat(self.at)
        except ValueError:
            raise ValueError("at: expected an ISO 8601 time") from None


@dataclass(frozen=True)
class Position:
    """Where the learner was last: a lesson key and a 0-based page index."""

    lesson: str
    page: int

    def __post_init__(self) -> None:
        _require(isinstance(self.lesson, str), "lesson: expected a 'pack/lesson' key")
        check_key(self.lesson)
        _require(_is_count(self.page), "page: expected a whole number >= 0")


@dataclass(frozen=True)
class Progress:
    """Everything recorded for one learner; the update methods return a new Progress."""

    lessons: Mapping[str, LessonProgress] = field(default_factory=dict)
    exercises: Mapping[str, ExerciseProgress] = field(default_factory=dict)
    last: Position | None = None

    def __post_init__(self) -> None:
        # Read-only copies, so a frozen Progress really cannot change under its holders.
        for name, kind in (("lessons", LessonProgress), ("exercises", ExerciseProgress)):
            entries = dict(getattr(self, name))
            for key, value in entries.items():
                check_key(key)
                _require(isinstance(value, kind), f"{name}[{key!r}]: expected {kind.__name__}")
            object.__setattr__(self, name, MappingProxyType(entries))
        _require(self.last is None or isinstance(self.last, Position), "last: expected Position")

    def lesson(self, key: str) -> LessonProgress:
        """The lesson's progress, or an untouched one if nothing was recorded."""
        return self.lessons.get(key, LessonProgress())

    def mark_read(self, key: str) -> Progress:
        return self._with_lesson(key, read=True)

    def record_page(self, key: str, page: int) -> Progress:
        """Note that the 0-based `page` of the lesson was seen."""
        _require(_is_count(page), f"page must be a whole number >= 0, got {page!r}")
        return self._with_lesson(key, pages_seen=max(self.lesson(key).pages_seen, page + 1))

    def record_quiz(self, key: str, right: int, total: int) -> Progress:
        """Record a quiz attempt as the latest one, keeping the best score."""
        _require(
            _is_count(right) and _is_count(total) and 0 < total and right <= total,
            f"expected 0 <= right <= total and total > 0, got {right}/{total}",
        )
        best = self.lesson(key).quiz_best
        return self._with_lesson(
            key,
            quiz_right=right,
            quiz_total=total,
            quiz_best=right if best is None else max(best, right),
        )

    def mark_lab_visited(self, key: str) -> Progress:
        return self._with_lesson(key, lab_visited=True)

    def mark_exercise_done(self, key: str, at: datetime | None = None) -> Progress:
        """Mark an exercise done; an exercise already done keeps its first completion time."""
        current = self.exercises.get(check_key(key))
        if current is not None and current.done:
            return self
        when = (at or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        return replace(self, exercises={**self.exercises, key: ExerciseProgress(True, when)})

    def set_last(self, key: str, page: int) -> Progress:
        return replace(self, last=Position(key, page))

    def _with_lesson(self, key: str, **changes: Any) -> Progress:
        lessons = {**self.lessons, check_key(key): replace(self.lesson(key), **changes)}
        return replace(self, lessons=lessons)
