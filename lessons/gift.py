"""A pack's quiz questions in Moodle's GIFT format, so a class can take them in its LMS.

GIFT (docs.moodle.org/en/GIFT_format) writes one question per paragraph:
`::id:: prompt { =right#feedback ~wrong#feedback }`. A question with one correct choice
becomes a single-answer question; with several, a multiple-answer one whose correct
choices share +100 % and whose wrong choices share -100 %, so ticking everything
scores nothing (Moodle's own convention). A question whose every statement is false
(in vgtutor: tick none) becomes single-answer with one more choice, NONE_CHOICE, the
right one. Each choice's explanation is its feedback.
"""

from __future__ import annotations

from dataclasses import dataclass

from lessons.pack import Lesson, Pack, Question
from lessons.sanitize import clean

SPECIAL = "\\~=#{}:"
"""Characters GIFT gives a meaning; a backslash makes them literal (backslash first)."""
WEIGHT_DECIMALS = 5
"""Moodle's grade list uses five decimals (33.33333 %)."""
NONE_CHOICE = "None of these statements is true."
NONE_FEEDBACK = "Right: every statement is false (each one's feedback says why)."


@dataclass(frozen=True)
class GiftExport:
    text: str
    questions: int


def escape(text: str) -> str:
    """`text` as literal GIFT text: specials escaped, on one line (newlines as `\\n`)."""
    out = clean(text)
    for char in SPECIAL:
        out = out.replace(char, "\\" + char)
    return out.replace("\r", "").replace("\n", "\\n")


def weight(share: float) -> str:
    """A percentage written as Moodle's grade list writes it: 50, 33.33333, -100."""
    text = f"{share:.{WEIGHT_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def export_pack(pack: Pack) -> GiftExport:
    """Every question of `pack`, each lesson under its own `$CATEGORY`."""
    blocks = [f"// {escape(pack.title)} ({pack.id}), exported by vgtutor"]
    count = 0
    for lesson in pack.lessons:
        if not lesson.questions:
            continue
        blocks.append(category(pack, lesson))
        for question in lesson.questions:
            blocks.append(question_block(question))
            count += 1
    return GiftExport("\n\n".join(blocks) + "\n", count)


def category(pack: Pack, lesson: Lesson) -> str:
    """The Moodle question-bank category a lesson's questions go in (ids hold no "/")."""
    return f"// {escape(lesson.title)}\n$CATEGORY: $course$/{pack.id}/{lesson.id}"


def question_block(question: Question) -> str:
    lines = []
    if question.preset is not None:
        lines.append(f"// vgtutor lab preset to try: {question.preset}")
    lines.append(f"::{escape(question.id)}::{escape(question.prompt)} {{")
    right = len(question.correct_indices)
    wrong = len(question.choices) - right
    single = right <= 1
    for choice in question.choices:
        if single:
            mark = "=" if choice.correct else "~"
        else:
            share = 100 / right if choice.correct else -100 / wrong
            mark = f"~%{weight(share)}%"
        feedback = f"#{escape(choice.explanation)}" if choice.explanation.strip() else ""
        lines.append(f"\t{mark}{escape(choice.text)}{feedback}")
    if right == 0:
        lines.append(f"\t={escape(NONE_CHOICE)}#{escape(NONE_FEEDBACK)}")
    lines.append("}")
    return "\n".join(lines)
