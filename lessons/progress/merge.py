"""Merging two views of one learner's progress so that completed work never shrinks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import TypeVar

from lessons.progress.model import ExerciseProgress, LessonProgress, Progress


def merge(a: Progress, b: Progress) -> Progress:
    """Combine two views of one learner's progress without losing completed work.

    Completed work (read, lab visited, pages seen, best quiz score, exercises done) is
    the union or maximum of both, so it never shrinks and does not depend on the
    order. The latest quiz attempt and `last` come from `b`, the newer view, when it
    has them.
    """
    lessons = {
        key: _merge_optional(a.lessons.get(key), b.lessons.get(key), _merge_lesson)
        for key in sorted(a.lessons.keys() | b.lessons.keys())
    }
    exercises = {
        key: _merge_optional(a.exercises.get(key), b.exercises.get(key), _merge_exercise)
        for key in sorted(a.exercises.keys() | b.exercises.keys())
    }
    return Progress(lessons, exercises, b.last if b.last is not None else a.last)


_T = TypeVar("_T")


def _merge_optional(x: _T | None, y: _T | None, both: Callable[[_T, _T], _T]) -> _T:
    if x is None or y is None:
        result = y if x is None else x
        assert result is not None  # the key came from one of the two mappings
        return result
    return both(x, y)


def _merge_lesson(x: LessonProgress, y: LessonProgress) -> LessonProgress:
    latest = y if y.quiz_total is not None else x
    bests = [s for s in (x.quiz_best, y.quiz_best) if s is not None]
    return LessonProgress(
        read=x.read or y.read,
        pages_seen=max(x.pages_seen, y.pages_seen),
        quiz_right=latest.quiz_right,
        quiz_total=latest.quiz_total,
        quiz_best=max(bests) if bests else None,
        lab_visited=x.lab_visited or y.lab_visited,
        quiz_mastered=(*x.quiz_mastered, *y.quiz_mastered),
    )


def _merge_exercise(x: ExerciseProgress, y: ExerciseProgress) -> ExerciseProgress:
    if x.done and y.done:
        return x if _instant(x.at) <= _instant(y.at) else y
    return x if x.done else y


def _instant(iso: str) -> datetime:
    moment = datetime.fromisoformat(iso)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
