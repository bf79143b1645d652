"""Exercises: [[exercise]] tables giving lab settings to start from, goals and hints."""

from __future__ import annotations

import math
from typing import Any

from lessons.catalog.fields import Checker, describe, finite_number, given, label
from lessons.catalog.files import Doc
from lessons.catalog.presets import lab_config
from lessons.exercise_goals import EXERCISE_KINDS, FLAG, GOAL_METRICS, Exercise, Goal
from lessons.lab.config import NetConfig, RNNConfig, TrainConfig, allowed_settings
from lessons.sanitize import visible
from lessons.toml_lines import PathPart

_EXERCISE_KEYS = (
    "id",
    "title",
    "lesson",
    "task",
    "kind",
    "start",
    "locked",
    "goal",
    "hints",
    "solution",
)
_RANGE_KEYS = ("min", "max")


def load_exercises(
    check: Checker, manifest: Doc, pack_id: str, lesson_ids: set[str]
) -> dict[str, Exercise]:
    """The sound exercises of the files the manifest lists, by id.

    `lesson_ids` holds every lesson with a valid id, kept or not, for exercises to name.
    """
    exercises: dict[str, Exercise] = {}
    taken: set[str] = set()
    for doc in check.listed_files(manifest, "exercise_files", []):
        check.unknown_keys(doc, doc.data, (), "", ("exercise",))
        if not doc.data.get("exercise"):
            check.error(doc.rel, None, "exercise", "no exercises: add [[exercise]] tables")
        for index, table in check.tables(doc, doc.data, (), "exercise", "exercise"):
            exercise = _exercise(check, doc, index, table, pack_id, lesson_ids, taken)
            if exercise is not None:
                exercises[exercise.id] = exercise
    return exercises


def _exercise(
    check: Checker,
    doc: Doc,
    index: int,
    table: dict[str, Any],
    pack_id: str,
    lesson_ids: set[str],
    taken: set[str],
) -> Exercise | None:
    path: tuple[PathPart, ...] = ("exercise", index)
    name = label("exercise", table, index)
    check.unknown_keys(doc, table, path, name, _EXERCISE_KEYS)
    eid = check.ident(doc, table, path, f"{name}.id", taken, "exercise")
    title = check.text(doc, table, path, "title", f"{name}.title")
    task = check.text(doc, table, path, "task", f"{name}.task")
    lesson = table.get("lesson")
    lesson_ok = lesson is None or (isinstance(lesson, str) and lesson in lesson_ids)
    if not lesson_ok:
        check.error_in(
            doc, (*path, "lesson"), f"{name}.lesson", f"no lesson has the id {describe(lesson)}"
        )
    hints = _hints(check, doc, path, name, table.get("hints"))
    kind = table.get("kind")
    if not check.choice(kind, EXERCISE_KINDS, doc, (*path, "kind"), f"{name}.kind"):
        return None
    start = _start(check, doc, path, name, kind, table.get("start"))
    solution_ok, solution = (
        _solution(check, doc, path, name, kind, table) if start is not None else (True, None)
    )
    locked = _locked(check, doc, path, name, kind, table.get("locked", []))
    goals = _goals(check, doc, path, name, kind, table.get("goal"))
    if (
        not lesson_ok
        or eid is None
        or title is None
        or task is None
        or hints is None
        or start is None
        or locked is None
        or goals is None
        or not solution_ok
    ):
        return None
    line = doc.lines.line(*path)
    return Exercise(
        eid,
        title,
        task,
        kind,
        start,
        goals,
        hints,
        locked,
        lesson,
        pack_id,
        solution,
        doc.rel,
        line,
    )


def _start(
    check: Checker, doc: Doc, path: tuple[PathPart, ...], name: str, kind: str, value: Any
) -> NetConfig | TrainConfig | RNNConfig | None:
    where, field = (*path, "start"), f"{name}.start"
    if not isinstance(value, dict):
        check.error_in(doc, where, field, f"must be a table of lab settings; {given(value)}")
        return None
    return lab_config(check, doc, where, field, kind, value, owner="exercise")


def _solution(
    check: Checker, doc: Doc, path: tuple[PathPart, ...], name: str, kind: str, table: Any
) -> tuple[bool, NetConfig | TrainConfig | RNNConfig | None]:
    """Whether the solution is sound, and the start with its settings applied (if given)."""
    value, start = table.get("solution"), table["start"]
    if value is None:
        return True, None
    where, field = (*path, "solution"), f"{name}.solution"
    if not isinstance(value, dict):
        check.error_in(doc, where, field, f"must be a table of lab settings; {given(value)}")
        return False, None
    config = lab_config(check, doc, where, field, kind, {**start, **value}, owner="exercise")
    return config is not None, config


def _locked(
    check: Checker, doc: Doc, path: tuple[PathPart, ...], name: str, kind: str, value: Any
) -> tuple[str, ...] | None:
    where, field = (*path, "locked"), f"{name}.locked"
    if not isinstance(value, list):
        check.error_in(doc, where, field, f"must be a list of setting names; got {describe(value)}")
        return None
    allowed = allowed_settings(kind)
    bad = [item for item in value if not isinstance(item, str) or item not in allowed]
    for item in bad:
        check.error_in(
            doc,
            where,
            field,
            f"{describe(item)} is not a setting of a {kind} exercise; "
            f"allowed: {', '.join(allowed)}",
        )
    return None if bad else tuple(dict.fromkeys(value))


def _goals(
    check: Checker, doc: Doc, path: tuple[PathPart, ...], name: str, kind: str, value: Any
) -> tuple[Goal, ...] | None:
    where, field = (*path, "goal"), f"{name}.goal"
    metrics = GOAL_METRICS[kind]
    if not isinstance(value, dict) or not value:
        check.error_in(
            doc,
            where,
            field,
            f"must be a table of conditions on {', '.join(metrics)}; {given(value, {})}",
        )
        return None
    goals = []
    for metric, condition in value.items():
        goal = _goal(
            check, doc, (*where, metric), f"{field}.{visible(metric)}", kind, metric, condition
        )
        if goal is not None:
            goals.append(goal)
    return tuple(goals) if len(goals) == len(value) else None


def _goal(
    check: Checker,
    doc: Doc,
    where: tuple[PathPart, ...],
    field: str,
    kind: str,
    metric: str,
    value: Any,
) -> Goal | None:
    metrics = GOAL_METRICS[kind]
    if metric not in metrics:
        check.error_in(
            doc,
            where,
            field,
            f"not a goal of a {kind} exercise; expected one of: {', '.join(metrics)}",
        )
        return None
    if metrics[metric] == FLAG:
        if isinstance(value, bool):
            return Goal(metric, flag=value)
        check.error_in(doc, where, field, f"must be true or false; got {describe(value)}")
        return None
    if not isinstance(value, dict):
        check.error_in(
            doc,
            where,
            field,
            f"must be a table like {{ min = -1.0, max = 1.0 }}; got {describe(value)}",
        )
        return None
    check.unknown_keys(doc, value, where, field, _RANGE_KEYS)
    ok = not set(value) - set(_RANGE_KEYS)
    bounds: dict[str, float] = {}
    for key in _RANGE_KEYS:
        bound = value.get(key)
        if bound is None:
            continue
        number = finite_number(bound)
        if number is None:
            check.error_in(
                doc, (*where, key), f"{field}.{key}", f"must be a number; got {describe(bound)}"
            )
            return None
        bounds[key] = number
    if not bounds:
        check.error_in(doc, where, field, "needs min, max or both")
        return None
    if bounds.get("min", -math.inf) > bounds.get("max", math.inf):
        check.error_in(doc, where, field, "min is larger than max: no value can meet it")
        return None
    if not ok:
        return None
    return Goal(metric, bounds.get("min"), bounds.get("max"))


def _hints(
    check: Checker, doc: Doc, path: tuple[PathPart, ...], name: str, value: Any
) -> tuple[str, ...] | None:
    where, field = (*path, "hints"), f"{name}.hints"
    if not isinstance(value, list) or not value:
        check.error_in(
            doc, where, field, f"must be a list of at least one hint; {given(value, [])}"
        )
        return None
    hints = []
    for number, hint in enumerate(value, start=1):
        item = f"{field}[{number}]"
        if not isinstance(hint, str):
            check.error_in(doc, where, item, f"must be text; got {describe(hint)}")
            continue
        cleaned = check.text_item(doc, where, item, hint)
        if cleaned is not None:
            hints.append(cleaned)
    return tuple(hints) if len(hints) == len(value) else None
