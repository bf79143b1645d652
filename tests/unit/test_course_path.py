"""The next step of the course (what `c` opens and the course map names) and one
numbering of a pack's lessons."""

from __future__ import annotations

from pathlib import Path

from lessons.catalog import builtin_pack_path, load_pack
from lessons.course_path import lesson_number, next_lesson, next_step
from lessons.progress import Progress, lesson_key

MINIMAL = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"


def builtin():
    pack, errors = load_pack(builtin_pack_path())
    assert pack is not None and not errors
    return pack


def test_a_new_learner_starts_on_the_first_page() -> None:
    pack = builtin()
    step = next_step([pack], Progress())
    assert (step.lesson.id, step.kind, step.page) == (pack.lessons[0].id, "page", 0)
    assert step.describe() == f"page 1 of {len(pack.lessons[0].pages)}"


def test_a_lesson_goes_pages_quiz_lab_exercises_then_the_next_lesson() -> None:
    pack = builtin()
    lesson = pack.lesson("batchnorm")
    key = lesson_key(pack.id, lesson.id)
    progress = Progress().record_page(key, 1).set_last(key, 1)
    assert (next_step([pack], progress).kind, next_step([pack], progress).page) == ("page", 1)
    progress = progress.mark_read(key)
    assert next_step([pack], progress).kind == "quiz"
    progress = progress.record_quiz(key, 0, len(lesson.questions))
    assert next_step([pack], progress).kind == "lab"
    progress = progress.mark_lab_visited(key)
    step = next_step([pack], progress)
    assert step.kind == "exercise" and step.exercise.lesson == "batchnorm"
    assert step.describe() == f"exercise: {step.exercise.title}"
    for exercise in pack.exercises.values():
        if exercise.lesson == "batchnorm":
            progress = progress.mark_exercise_done(lesson_key(pack.id, exercise.id))
    step = next_step([pack], progress)
    following = pack.lessons[pack.lessons.index(lesson) + 1]
    assert (step.lesson.id, step.kind, step.page) == (following.id, "page", 0)


def test_a_lesson_skipped_earlier_is_offered_once_the_later_ones_are_done() -> None:
    pack = builtin()
    progress = Progress()
    for lesson in pack.lessons[1:]:
        key = lesson_key(pack.id, lesson.id)
        progress = progress.mark_read(key).record_quiz(key, 1, 1).mark_lab_visited(key)
        for exercise in pack.exercises.values():
            progress = progress.mark_exercise_done(lesson_key(pack.id, exercise.id))
    last = pack.lessons[-1]
    progress = progress.set_last(lesson_key(pack.id, last.id), 0)
    assert next_step([pack], progress).lesson.id == pack.lessons[0].id
    first = lesson_key(pack.id, pack.lessons[0].id)
    done = progress.mark_read(first).record_quiz(first, 0, 1).mark_lab_visited(first)
    assert next_step([pack], done) is None


def test_lessons_are_numbered_within_their_pack_and_next_lesson_crosses_packs() -> None:
    pack = builtin()
    extra, _ = load_pack(MINIMAL)
    assert [lesson_number(extra, lesson) for lesson in extra.lessons] == [1, 2]
    assert lesson_number(pack, pack.lessons[11]) == 12
    assert next_lesson([pack, extra], pack, pack.lessons[-1]) == (extra, extra.lessons[0])
    assert next_lesson([pack, extra], extra, extra.lessons[-1]) is None
