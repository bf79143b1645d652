"""Quizzes: a lesson's TOML file of [[question]] tables, each with [[question.choice]]."""

from __future__ import annotations

from typing import Any

from lessons.catalog.fields import Checker, Ref, given, label
from lessons.catalog.files import Doc
from lessons.catalog.presets import PresetIndex
from lessons.pack import Choice, Question
from lessons.toml_lines import PathPart

_QUESTION_KEYS = ("id", "prompt", "preset", "choice")
_CHOICE_KEYS = ("text", "correct", "explanation")


def load_questions(
    check: Checker, presets: PresetIndex, taken: set[str], ref: Ref, value: Any
) -> tuple[Question, ...]:
    """The sound questions of the quiz file `value` names; their ids join `taken`."""
    doc = check.toml(value, ref)
    if doc is None:
        return ()
    check.unknown_keys(doc, doc.data, (), "", ("question",))
    tables = check.tables(doc, doc.data, (), "question", "question")
    if not doc.data.get("question"):
        check.error(doc.rel, None, "question", "no questions: add [[question]] tables")
    questions = (_question(check, presets, taken, doc, i, table) for i, table in tables)
    return tuple(q for q in questions if q is not None)


def _question(
    check: Checker,
    presets: PresetIndex,
    taken: set[str],
    doc: Doc,
    index: int,
    table: dict[str, Any],
) -> Question | None:
    path: tuple[PathPart, ...] = ("question", index)
    name = label("question", table, index)
    check.unknown_keys(doc, table, path, name, _QUESTION_KEYS)
    qid = check.ident(doc, table, path, f"{name}.id", taken, "question")
    prompt = check.text(doc, table, path, "prompt", f"{name}.prompt")
    preset = table.get("preset")
    if preset is not None:
        preset = presets.named(check, doc, (*path, "preset"), f"{name}.preset", preset)
    tables = check.tables(doc, table, path, "choice", f"{name}.choice")
    if not table.get("choice"):
        check.error_in(doc, path, f"{name}.choice", "no choices: add [[question.choice]] tables")
    choices = [
        _choice(check, doc, (*path, "choice", i), f"{name}.choice[{i + 1}]", c) for i, c in tables
    ]
    if qid is None or prompt is None or not tables or None in choices:
        return None
    return Question(qid, prompt, tuple(c for c in choices if c is not None), preset)


def _choice(
    check: Checker, doc: Doc, path: tuple[PathPart, ...], name: str, table: dict[str, Any]
) -> Choice | None:
    check.unknown_keys(doc, table, path, name, _CHOICE_KEYS)
    text = check.text(doc, table, path, "text", f"{name}.text")
    explanation = check.text(doc, table, path, "explanation", f"{name}.explanation")
    correct = table.get("correct")
    if not isinstance(correct, bool):
        check.error_in(
            doc, (*path, "correct"), f"{name}.correct", f"must be true or false; {given(correct)}"
        )
        return None
    if text is None or explanation is None:
        return None
    return Choice(text, correct, explanation)
