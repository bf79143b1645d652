"""Quiz rules with no UI: scoring a multiple-answer question, shuffling its choices,
and what an attempt or a review adds to the learner's progress.

A question may have any number of correct choices, so a learner's answer is a set of
choice indices. It is right only when it equals the correct set, but the result also
says, choice by choice, whether the learner decided well: the UI can show partial
understanding ("2 of 4 choices right").

The scoring rule: the course map's score is the best full attempt (every question of
the lesson, in one go). A review asks only the questions missed; it is shown as a
review ("review: 5 of 5 missed questions now right") and marks the questions it got
right as mastered, never replacing the best attempt.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from lessons.pack import Question
from lessons.progress import Progress


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

    @property
    def verdict(self) -> str:
        """What the choice is and what the learner did, led by the mark for the decision.

        The mark judges the decision and the words name the choice, so "✓ wrong choice,
        you left it" cannot be read as "this choice is right".
        """
        mark = "✓" if self.decided_right else "✗"
        what = "correct choice" if self.correct else "wrong choice"
        if self.selected:
            did = "you ticked it"
        else:
            did = "you missed it" if self.correct else "you left it"
        return f"{mark} {what}, {did}"


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

    @property
    def tally(self) -> str:
        """ "all 4 choices right" or "2 of 4 choices right"."""
        total = len(self.choices)
        if self.decided_right == total:
            return f"all {total} choices right" if total != 1 else "the choice right"
        return f"{self.decided_right} of {total} choices right"


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


def record_attempt(progress: Progress, key: str, right: int, total: int) -> Progress:
    """A full attempt: it becomes the latest score, and the best one if it beats it."""
    return progress.record_quiz(key, right, total)


def record_review(progress: Progress, key: str, now_right: list[str]) -> Progress:
    """A review: the questions it got right are mastered; the scores stay as they were."""
    lesson = progress.lesson(key)
    mastered = replace(lesson, quiz_mastered=(*lesson.quiz_mastered, *now_right))
    return replace(progress, lessons={**progress.lessons, key: mastered})


def attempt_line(right: int, total: int, best: int | None) -> str:
    """The finished screen's score line after a full attempt."""
    line = f"Quiz finished: {right} of {total} right"
    if best is not None and best > right:
        return f"{line} (your best attempt: {best} of {total})."
    return f"{line}."


def review_line(right: int, asked: int) -> str:
    """The finished screen's line after a review, worded so it is not read as a score."""
    missed = "missed question" if asked == 1 else "missed questions"
    return f"review: {right} of {asked} {missed} now right"
