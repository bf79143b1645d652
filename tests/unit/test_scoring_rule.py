"""The scoring rule and the feedback words (lessons/quiz.py), and the progress field the
rule adds (`quiz_mastered`): read from old files, merged, saved."""

from __future__ import annotations

import json

import pytest

from lessons.pack import Choice, Question
from lessons.progress import LessonProgress, Progress, ProgressStore, merge, parse, to_json
from lessons.quiz import attempt_line, record_attempt, record_review, review_line, score

KEY = "pack/lesson"


def question(correct: tuple[bool, ...] = (True, False, True, False)) -> Question:
    choices = tuple(Choice(f"choice {i}", c, f"why {i}") for i, c in enumerate(correct))
    return Question("q", "Which?", choices)


def test_each_choice_says_what_it_is_and_what_you_did() -> None:
    result = score(question(), {0, 1})
    assert [choice.verdict for choice in result.choices] == [
        "✓ correct choice, you ticked it",
        "✗ wrong choice, you ticked it",
        "✗ correct choice, you missed it",
        "✓ wrong choice, you left it",
    ]


def test_the_tally_counts_the_choices_decided_right() -> None:
    assert score(question(), {0, 2}).tally == "all 4 choices right"
    assert score(question(), {0, 1}).tally == "2 of 4 choices right"
    assert score(question((True,)), set()).tally == "0 of 1 choices right"
    assert score(question((True,)), {0}).tally == "the choice right"


def test_the_best_full_attempt_is_kept_and_a_worse_one_is_only_the_latest() -> None:
    progress = record_attempt(Progress(), KEY, 4, 6)
    progress = record_attempt(progress, KEY, 2, 6)
    lesson = progress.lesson(KEY)
    assert (lesson.quiz_best, lesson.quiz_right, lesson.quiz_total) == (4, 2, 6)


def test_a_review_marks_questions_mastered_and_leaves_the_scores_alone() -> None:
    progress = record_attempt(Progress(), KEY, 1, 6)
    progress = record_review(progress, KEY, ["q3", "q2"])
    progress = record_review(progress, KEY, ["q2", "q5"])
    lesson = progress.lesson(KEY)
    assert (lesson.quiz_best, lesson.quiz_right, lesson.quiz_total) == (1, 1, 6)
    assert lesson.quiz_mastered == ("q2", "q3", "q5")


def test_finish_lines_tell_an_attempt_from_a_review() -> None:
    assert attempt_line(3, 5, 3) == "Quiz finished: 3 of 5 right."
    assert attempt_line(2, 5, 4) == "Quiz finished: 2 of 5 right (your best attempt: 4 of 5)."
    assert review_line(5, 5) == "review: 5 of 5 missed questions now right"
    assert review_line(0, 1) == "review: 0 of 1 missed question now right"


def test_an_old_progress_file_without_the_field_reads_as_nothing_mastered() -> None:
    old = {"version": 1, "lessons": {KEY: {"read": True, "quiz_best": 2, "quiz_total": 3}}}
    progress, problems = parse(json.dumps(old).encode())
    assert problems == []
    assert progress.lesson(KEY).quiz_mastered == ()


def test_mastered_questions_survive_a_save_and_a_merge(tmp_path) -> None:
    store = ProgressStore(tmp_path)
    store.update(lambda p: record_review(record_attempt(p, KEY, 0, 3), KEY, ["b", "a"]))
    saved = json.loads((tmp_path / "progress.json").read_text())
    assert saved["lessons"][KEY]["quiz_mastered"] == ["a", "b"]
    assert ProgressStore(tmp_path).load().lesson(KEY).quiz_mastered == ("a", "b")
    other = record_review(Progress(), KEY, ["c"])
    assert merge(store.load(), other).lesson(KEY).quiz_mastered == ("a", "b", "c")
    assert parse(json.dumps(to_json(store.load())).encode())[0] == store.load()


@pytest.mark.parametrize("bad", ["q1", [1, 2], None])
def test_a_bad_mastered_list_is_refused_with_the_field_named(bad) -> None:
    with pytest.raises(ValueError, match="quiz_mastered"):
        LessonProgress(quiz_mastered=bad)
