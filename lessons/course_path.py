"""The learner's path through the course, with no UI: lesson numbers and the next step.

The course map's `c` key and its "next" line both come from `next_step`, so what the
map announces is where `c` goes. A lesson's steps come in the order it is meant to be
done in: read its pages, take its quiz, visit its lab, do each of its exercises.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lessons.exercise_goals import Exercise
from lessons.pack import Lesson, Pack
from lessons.progress import Progress, lesson_key


def lesson_number(pack: Pack, lesson: Lesson) -> int:
    """The lesson's number as the course map, the exercise list and the quiz show it.

    Lessons are numbered within their pack (each pack is listed under its title).
    """
    return next(i for i, other in enumerate(pack.lessons, 1) if other.id == lesson.id)


def lesson_exercises(pack: Pack, lesson: Lesson) -> list[Exercise]:
    """The pack's exercises that belong to `lesson`, in file order."""
    return [exercise for exercise in pack.exercises.values() if exercise.lesson == lesson.id]


def exercise_done(progress: Progress, exercise: Exercise) -> bool:
    entry = progress.exercises.get(lesson_key(exercise.pack_id, exercise.id))
    return entry is not None and entry.done


def next_lesson(packs: Sequence[Pack], pack: Pack, lesson: Lesson) -> tuple[Pack, Lesson] | None:
    """The lesson after `lesson` in course order (into the next pack), or None at the end."""
    order = [(p, entry) for p in packs for entry in p.lessons]
    keys = [(p.id, entry.id) for p, entry in order]
    at = keys.index((pack.id, lesson.id))
    return order[at + 1] if at + 1 < len(order) else None


@dataclass(frozen=True)
class Step:
    """One thing to do next: a lesson page, its quiz, its lab, or one of its exercises."""

    pack: Pack
    lesson: Lesson
    kind: str
    """"page", "quiz", "lab" or "exercise"."""
    page: int = 0
    exercise: Exercise | None = None

    def describe(self) -> str:
        """A few words for the course map: "page 3 of 5", "quiz", "exercise: ..."."""
        if self.kind == "page":
            return f"page {self.page + 1} of {len(self.lesson.pages)}"
        if self.kind == "exercise" and self.exercise is not None:
            return f"exercise: {self.exercise.title}"
        return self.kind


def lesson_step(progress: Progress, pack: Pack, lesson: Lesson) -> Step | None:
    """The lesson's first unfinished step, or None when all of them are done."""
    key = lesson_key(pack.id, lesson.id)
    done = progress.lesson(key)
    if not done.read:
        last = progress.last
        if last is not None and last.lesson == key:
            page = last.page
        else:
            page = max(done.pages_seen - 1, 0)
        return Step(pack, lesson, "page", min(page, len(lesson.pages) - 1))
    if lesson.questions and done.quiz_total is None:
        return Step(pack, lesson, "quiz")
    if lesson.presets and not done.lab_visited:
        return Step(pack, lesson, "lab")
    for exercise in lesson_exercises(pack, lesson):
        if not exercise_done(progress, exercise):
            return Step(pack, lesson, "exercise", exercise=exercise)
    return None


def next_step(packs: Sequence[Pack], progress: Progress) -> Step | None:
    """The next unfinished step: in the lesson last worked on, else in the ones after it.

    The search starts at the lesson of `progress.last` (the first lesson if there is
    none or its pack is not loaded) and wraps around, so a lesson skipped earlier is
    offered once the later ones are done. None means the whole course is done.
    """
    order = [(pack, lesson) for pack in packs for lesson in pack.lessons]
    if not order:
        return None
    start = 0
    if progress.last is not None:
        keys = [lesson_key(pack.id, lesson.id) for pack, lesson in order]
        if progress.last.lesson in keys:
            start = keys.index(progress.last.lesson)
    for pack, lesson in order[start:] + order[:start]:
        step = lesson_step(progress, pack, lesson)
        if step is not None:
            return step
    return None
