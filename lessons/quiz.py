"""Quiz rules with no UI: scoring a multiple-answer question, shuffling its choices.

A question may have any number of correct choices, so a learner's answer is a set of
choice indices. It is right only when it equals the correct set, but the result also
says, choice by choice, whether the learner decided well: the UI can show partial
understanding ("you were right about three of the four statements").
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from lessons.pack import Question


@dataclass(frozen=True)
class ChoiceResult:
    """How the learner treated one choice, by its index in the question's own order."""

    index: int
    selected: bool
    correct: bool

    @property
    def decided_right(self) -> bool:
        """Ticked a correct choice or left an incorrect one unticked."""
        return self.selected == self.correct


@dataclass(frozen=True)
class QuizResult:
    question_id: str
    right: bool
    """The selected set equals the correct set."""
    choices: tuple[ChoiceResult, ...]

    @property
    def decided_right(self) -> int:
        """How many choices the learner decided right."""
        return sum(choice.decided_right for choice in self.choices)


def score(question: Question, selected: set[int] | frozenset[int]) -> QuizResult:
    """Score an answer; `selected` holds indices into `question.choices` (not display order)."""
    outside = sorted(i for i in selected if not 0 <= i < len(question.choices))
    if outside:
        raise ValueError(f"choice index {outside[0]} out of range for question {question.id!r}")
    choices = tuple(
        ChoiceResult(i, i in selected, choice.correct) for i, choice in enumerate(question.choices)
    )
    return QuizResult(question.id, set(selected) == question.correct_indices, choices)


def shuffled_order(question: Question, seed: int) -> list[int]:
    """Choice indices in display order for one attempt.

    The same question and seed always give the same order, on every machine (a str seed
    is hashed with SHA-512, not Python's randomised hash); a retry with another seed
    reshuffles; the question id is mixed in so questions do not all share one pattern.
    """
    order = list(range(len(question.choices)))
    random.Random(f"{seed}:{question.id}").shuffle(order)
    return order
