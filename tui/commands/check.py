"""`vgtutor check [PATH...]`: validate lesson packs for authors and CI.

Imports only the standard library and lessons.catalog (which is numpy-free), so it
runs without paying for Textual or numpy; the catalog itself loads only when the
command runs, keeping `vgtutor --help` fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from lessons.pack import Lesson, Pack, PackError
from lessons.sanitize import clean


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="validate lesson packs",
        description="Validate lesson-pack folders (the built-in course when no PATH is "
        "given). Prints one line per problem as file:line: field: message, then a summary. "
        "Exit status: 0 valid, 1 problems found, 2 misuse.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="a lesson-pack folder")
    parser.add_argument(
        "--json", action="store_true", help="print the lessons and problems as one JSON object"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lessons.catalog import load_pack

    # Paths are shown cleaned like pack text: a folder's name may hold escapes too.
    folders = [(Path(p), clean(p)) for p in args.paths] or [_builtin()]
    for path, shown in folders:
        if not path.is_dir():
            print(f"vgtutor check: {shown} is not a folder", file=sys.stderr)
            return 2
    lessons: list[dict[str, Any]] = []
    errors: list[str] = []
    for path, shown in folders:
        pack, pack_errors = load_pack(path)
        lines = [clean(str(_under(shown, error))) for error in pack_errors]
        errors += lines
        if pack is not None:
            lessons += [_lesson_json(lesson) for lesson in pack.lessons]
        if not args.json:
            print("\n".join([*lines, clean(_summary(shown, pack, len(lines)))]))
    if args.json:
        print(json.dumps({"lessons": lessons, "errors": errors}, indent=2))
    return 1 if errors else 0


def _builtin() -> tuple[Path, str]:
    """The built-in course, shown relative to the current folder when inside it."""
    from lessons.catalog import builtin_pack_path

    path = builtin_pack_path()
    relative = os.path.relpath(path)
    return path, clean(str(path) if relative.startswith("..") else relative)


def _under(folder: str, error: PackError) -> PackError:
    """The error with its file named from where the user stands, so it can be opened."""
    return PackError(os.path.join(folder, error.file), error.line, error.field, error.message)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _summary(folder: str, pack: Pack | None, error_count: int) -> str:
    errors = _plural(error_count, "error")
    if pack is None:
        return f"{folder}: not loaded, {errors}"
    lessons = _plural(len(pack.lessons), "lesson")
    questions = _plural(sum(len(lesson.questions) for lesson in pack.lessons), "question")
    return f"{pack.id}: {lessons}, {questions}, {errors}"


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
