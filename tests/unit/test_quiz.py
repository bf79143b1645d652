"""Scoring a multiple-answer question and shuffling its choices."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import pytest

from lessons.pack import Choice, Question
from lessons.quiz import score, shuffled_order


def question(qid: str = "q", correct: tuple[bool, ...] = (True, False, True, False)) -> Question:
    choices = tuple(Choice(f"choice {i}", c, f"why {i}") for i, c in enumerate(correct))
    return Question(qid, "Which?", choices)


def test_exactly_the_correct_set_is_right() -> None:
    result = score(question(), {0, 2})
    assert result.right
    assert result.question_id == "q"
    assert result.decided_right == 4


def test_a_subset_of_the_correct_set_is_wrong_but_partly_understood() -> None:
    result = score(question(), {0})
    assert not result.right
    assert result.decided_right == 3
    assert [(c.index, c.selected, c.correct, c.decided_right) for c in result.choices] == [
        (0, True, True, True),
        (1, False, False, True),
        (2, False, True, False),
        (3, False, False, True),
    ]


def test_a_superset_is_wrong() -> None:
    result = score(question(), {0, 1, 2})
    assert not result.right
    assert [c.decided_right for c in result.choices] == [True, False, True, True]


def test_no_correct_choice_means_selecting_nothing_is_right() -> None:
    none_correct = question(correct=(False, False))
    assert score(none_correct, set()).right
    assert not score(none_correct, {1}).right


def test_all_correct() -> None:
    assert score(question(correct=(True, True)), {0, 1}).right


def test_a_result_cannot_be_changed_after_scoring() -> None:
    """The screen and the progress record read one result: neither may edit it."""
    result = score(question(), {0})
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.right = True  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.choices[0].selected = False  # type: ignore[misc]


def test_an_index_outside_the_choices_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="out of range"):
        score(question(), {4})


def test_shuffle_is_a_deterministic_permutation() -> None:
    q = question(correct=(True,) * 8)
    order = shuffled_order(q, seed=7)
    assert sorted(order) == list(range(8))
    assert shuffled_order(q, seed=7) == order


def test_another_seed_reshuffles() -> None:
    q = question(correct=(True,) * 8)
    orders = {tuple(shuffled_order(q, seed)) for seed in range(20)}
    assert len(orders) > 15


def test_questions_with_the_same_seed_shuffle_independently() -> None:
    a, b = question("alpha", (True,) * 8), question("beta", (True,) * 8)
    differing = sum(shuffled_order(a, s) != shuffled_order(b, s) for s in range(20))
    assert differing > 15


def test_the_shuffle_does_not_depend_on_the_python_hash_seed() -> None:
    code = (
        "from lessons.pack import Choice, Question; from lessons.quiz import shuffled_order; "
        "q = Question('pinned', 'p', tuple(Choice(str(i), True, 'e') for i in range(5))); "
        "print(shuffled_order(q, 1))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
