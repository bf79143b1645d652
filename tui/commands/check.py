"""`vgtutor check [DIR...] [--pack DIR]...`: validate lesson packs for authors and CI.

It checks what the app would open (the built-in course plus every --pack) or, given
folders, just those; two packs with one id are an error naming both folders; every
exercise is run at its start and its solution (lessons.exercise_goals.prove). Only the
standard library and numpy-free lessons modules load at import, so `--help` stays
fast; the catalog loads when the command runs and numpy when an exercise is proven.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessons.pack import Lesson, Pack, PackError
from lessons.sanitize import clean
from tui.schemas import JSON_VERSION


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="validate lesson packs",
        description="Validate what `vgtutor --pack DIR` would open: the built-in course plus "
        "every --pack (or, given DIR, just those folders). Prints one line per problem as "
        "file:line: field: message, then a summary per pack. Every exercise is run at its "
        "start (which must miss the goal) and its solution (which must meet it). "
        "Exit status: 0 valid (warnings allowed), 1 errors found, 2 misuse.",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="DIR", help="a lesson-pack folder to check on its own"
    )
    parser.add_argument(
        "--pack",
        action="append",
        default=[],
        dest="check_packs",
        metavar="DIR",
        help="a pack the app would open, checked with the built-in course (repeatable)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the packs and problems as one JSON object"
    )
    parser.set_defaults(func=run)


def check_command(packs: Sequence[Path | str]) -> str:
    """The exact `vgtutor check` command that checks what `vgtutor --pack ...` opened."""
    return " ".join(["vgtutor check", *(f"--pack {shlex.quote(str(p))}" for p in packs)])


@dataclass
class _Checked:
    """One folder's outcome: the pack (if it loaded) and its problems."""

    shown: str
    pack: Pack | None
    problems: list[PackError]


def run(args: argparse.Namespace) -> int:
    packs = [*getattr(args, "pack", []), *getattr(args, "check_packs", [])]
    # Paths are shown cleaned like pack text: a folder's name may hold escapes too.
    folders = [(Path(p), clean(str(p))) for p in [*packs, *args.paths]]
    if packs or not args.paths:
        folders.insert(0, _builtin())
    for path, shown in folders:
        if not path.is_dir():
            print(f"vgtutor check: {clean(shown)} is not a folder", file=sys.stderr)
            return 2
    checked = _check_all(folders)
    problems = [problem for one in checked for problem in one.problems]
    if args.json:
        print(json.dumps(_json(checked), indent=2))
    else:
        for one in checked:
            print("\n".join([*(clean(str(p)) for p in one.problems), _summary(one)]))
    return 1 if any(problem.severity == "error" for problem in problems) else 0


def _check_all(folders: list[tuple[Path, str]]) -> list[_Checked]:
    from lessons.catalog import MANIFEST, load_pack

    checked: list[_Checked] = []
    owners: dict[str, str] = {}
    for path, shown in folders:
        pack, errors = load_pack(path)
        problems = [_under(shown, error) for error in errors]
        if pack is not None and pack.id in owners:
            problems.append(
                PackError(
                    os.path.join(shown, MANIFEST),
                    _id_line(path / MANIFEST),
                    "id",
                    f'duplicate pack id "{pack.id}": {owners[pack.id]} has it too; '
                    f"the app opens only the first, so {shown} is left out",
                )
            )
        elif pack is not None:
            owners[pack.id] = shown
        if pack is not None:
            problems += _proofs(pack, shown)
        checked.append(_Checked(shown, pack, problems))
    return checked


def _proofs(pack: Pack, shown: str) -> list[PackError]:
    """Each exercise run at its start and solution: what keeps it from being solvable."""
    from lessons.exercise_goals import prove

    return [
        PackError(
            os.path.join(shown, exercise.file),
            exercise.line,
            finding.field,
            finding.message,
            finding.severity,
        )
        for exercise in pack.exercises.values()
        for finding in prove(exercise)
    ]


def _id_line(manifest: Path) -> int | None:
    from lessons.toml_lines import TomlLines

    try:
        return TomlLines(manifest.read_text(encoding="utf-8")).line("id")
    except (OSError, UnicodeDecodeError):
        return None


def _builtin() -> tuple[Path, str]:
    """The built-in course, shown relative to the current folder when inside it."""
    from lessons.catalog import builtin_pack_path

    path = builtin_pack_path()
    relative = os.path.relpath(path)
    return path, clean(str(path) if relative.startswith("..") else relative)


def _under(folder: str, error: PackError) -> PackError:
    """The error with its file named from where the user stands, so it can be opened."""
    return PackError(
        os.path.join(folder, error.file), error.line, error.field, error.message, error.severity
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _counts(one: _Checked) -> tuple[int, int]:
    errors = sum(problem.severity == "error" for problem in one.problems)
    return errors, len(one.problems) - errors


def _summary(one: _Checked) -> str:
    errors, warnings = _counts(one)
    tail = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    if one.pack is None:
        return clean(f"{one.shown}: not loaded, {tail}")
    pack = one.pack
    lessons = _plural(len(pack.lessons), "lesson")
    questions = _plural(sum(len(lesson.questions) for lesson in pack.lessons), "question")
    exercises = _plural(len(pack.exercises), "exercise")
    return clean(f"{pack.id} ({one.shown}): {lessons}, {questions}, {exercises}, {tail}")


def _json(checked: list[_Checked]) -> dict[str, Any]:
    packs, problems = [], []
    for one in checked:
        pack_id = one.pack.id if one.pack is not None else None
        errors, warnings = _counts(one)
        packs.append(
            {
                "id": pack_id,
                "folder": one.shown,
                "loaded": one.pack is not None,
                "lessons": [] if one.pack is None else [_lesson_json(x) for x in one.pack.lessons],
                "exercises": [] if one.pack is None else sorted(one.pack.exercises),
                "errors": errors,
                "warnings": warnings,
            }
        )
        problems += [
            {
                "pack": pack_id,
                "file": problem.file,
                "line": problem.line,
                "field": problem.field,
                "message": problem.message,
                "severity": problem.severity,
            }
            for problem in one.problems
        ]
    return {"version": JSON_VERSION, "packs": packs, "problems": problems}


def _lesson_json(lesson: Lesson) -> dict[str, Any]:
    return {
        "id": lesson.id,
        "title": lesson.title,
        "pages": len(lesson.pages),
        "presets": list(lesson.presets),
        "questions": [
            {
                "id": question.id,
                "prompt": question.prompt,
                "choices": [
                    {"text": c.text, "correct": c.correct, "explanation": c.explanation}
                    for c in question.choices
                ],
            }
            for question in lesson.questions
        ],
    }
