"""`vgtutor progress`: show, export or reset the learner's saved progress.

Imports only the standard library and lessons.progress, so it answers instantly
without loading Textual or numpy.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from lessons.progress import LessonProgress, Progress, ProgressStore, to_json
from lessons.sanitize import clean
from tui.schemas import JSON_VERSION


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "progress",
        help="show your saved progress",
        description="Show the lessons you have read, your best quiz scores and the labs you "
        "visited, keyed by pack/lesson.",
    )
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--json", action="store_true", help="print the saved progress as JSON")
    what.add_argument(
        "--reset", action="store_true", help="start over (the old file is kept as a backup)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.reset:
        return _reset(ProgressStore())
    store = ProgressStore(read_only=True)  # showing progress never moves or writes a file
    progress = store.load()
    for warning in store.take_warnings():
        print(f"warning: {clean(warning)}", file=sys.stderr)
    if args.json:
        # ensure_ascii: escapes every control
        print(json.dumps(progress_json(progress, store.path), indent=2))
    else:
        print(clean(render(progress, store.path)))  # keys are checked; the path may not be
    return 0


def progress_json(progress: Progress, path: Path) -> dict[str, Any]:
    """The saved progress for readers (tui/schemas/progress.schema.json): pages count
    from 1, as in the text output, where the file itself counts from 0."""
    data = to_json(progress)
    last = data["last"]
    if last is not None:
        last = {**last, "page": last["page"] + 1}
    return {**data, "version": JSON_VERSION, "file": str(path), "last": last}


def _reset(store: ProgressStore) -> int:
    try:
        backup = store.reset()
    except OSError as err:
        print(
            f"vgtutor progress: could not reset {clean(str(store.path))}: {err.strerror or err}",
            file=sys.stderr,
        )
        return 1
    if backup is None:
        print(clean(f"Nothing to reset: there is no progress file at {store.path}."))
    else:
        print(clean(f"Progress reset. Your previous progress was kept as {backup}."))
    return 0


def render(progress: Progress, path: Path) -> str:
    """The human summary: one row per lesson, then exercises, last position and the file."""
    lines = []
    if progress.lessons:
        rows = [("Lesson", "Read", "Pages", "Quiz best", "Lab")]
        for key in sorted(progress.lessons):
            lesson = progress.lessons[key]
            rows.append(
                (
                    key,
                    _yes(lesson.read),
                    str(lesson.pages_seen),
                    _score(lesson),
                    _yes(lesson.lab_visited),
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines += [
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows
        ]
    else:
        lines.append("No progress recorded yet.")
    done = sorted(key for key, exercise in progress.exercises.items() if exercise.done)
    if done:
        lines.append(f"Exercises done: {', '.join(done)}")
    if progress.last is not None:
        lines.append(f"Last position: {progress.last.lesson}, page {progress.last.page + 1}")
    lines.append(f"Progress file: {path}")
    return "\n".join(lines)


def _score(lesson: LessonProgress) -> str:
    if lesson.quiz_best is None:
        return "-"
    return str(lesson.quiz_best) + ("" if lesson.quiz_total is None else f"/{lesson.quiz_total}")


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
