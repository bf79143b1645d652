"""`vgtutor class-report DIR`: what each learner of a served class has done.

DIR is the learners folder `vgtutor serve` prints at start. Imports only the standard
library and lessons/, so it answers instantly; it never writes to DIR.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lessons.learners import LearnerReport, read_learners
from lessons.sanitize import clean

PROG = "vgtutor class-report"
REPORT_VERSION = 1
HEADINGS = ("Learner", "Lessons read", "Best quiz scores", "Exercises solved")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "class-report",
        help="summarise every learner of a served class",
        description="Print each learner's lessons read, best quiz scores and exercises "
        "solved, from the learners folder `vgtutor serve` printed at start.",
    )
    parser.add_argument("folder", type=Path, metavar="DIR", help="the class's learners folder")
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--csv", action="store_true", help="one CSV row per learner")
    form.add_argument("--json", action="store_true", help="a JSON object with every learner")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    if not folder.is_dir():
        print(f"{PROG}: error: {clean(str(folder))} is not a folder", file=sys.stderr)
        return 2
    try:
        reports = read_learners(folder)
    except OSError as err:
        print(f"{PROG}: error: cannot read {clean(str(folder))}: {err.strerror}", file=sys.stderr)
        return 1
    for report in reports:
        if report.problem is not None:
            print(
                f"{PROG}: warning: {clean(report.learner)}: progress file unreadable "
                f"({clean(report.problem)}); shown as empty",
                file=sys.stderr,
            )
    if args.json:
        print(json.dumps(to_json(reports), indent=2))
    elif args.csv:
        sys.stdout.write(to_csv(reports))
    else:
        print(to_table(reports))
    return 0


def to_json(reports: list[LearnerReport]) -> dict[str, Any]:
    return {
        "version": REPORT_VERSION,
        "learners": [
            {
                "learner": report.learner,
                "lessons_read": list(report.lessons_read),
                "quiz_best": {
                    key: {"best": best, "total": total}
                    for key, (best, total) in report.quiz_best.items()
                },
                "exercises_solved": list(report.exercises_solved),
                "problem": report.problem,
            }
            for report in reports
        ],
    }


def to_csv(reports: list[LearnerReport]) -> str:
    """One row per learner; lists are joined with "; " so each stays one cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        (
            "learner",
            "lessons_read",
            "lessons_read_count",
            "quiz_best",
            "exercises_solved",
            "exercises_solved_count",
        )
    )
    for report in reports:
        writer.writerow(
            (
                report.learner,
                "; ".join(report.lessons_read),
                len(report.lessons_read),
                "; ".join(_scores(report)),
                "; ".join(report.exercises_solved),
                len(report.exercises_solved),
            )
        )
    return out.getvalue()


def to_table(reports: list[LearnerReport]) -> str:
    """A plain-text table, one block of lines per learner (lists can be long).

    When every key belongs to one pack, the pack is named once above the table and the
    keys are shown without it, so the table fits a terminal.
    """
    if not reports:
        return "No learners yet."
    packs = {
        key.partition("/")[0]
        for report in reports
        for key in (*report.lessons_read, *report.quiz_best, *report.exercises_solved)
    }
    pack = next(iter(packs)) if len(packs) == 1 else None

    def shown(key: str) -> str:
        return clean(key.partition("/")[2] if pack is not None else key)

    rows: list[tuple[str, ...]] = [HEADINGS]
    for report in reports:
        cells = [
            [clean(report.learner)],
            [f"{len(report.lessons_read)}"] + [shown(k) for k in report.lessons_read],
            _scores(report, shown) or ["-"],
            [f"{len(report.exercises_solved)}"] + [shown(k) for k in report.exercises_solved],
        ]
        height = max(len(column) for column in cells)
        for line in range(height):
            rows.append(tuple(column[line] if line < len(column) else "" for column in cells))
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADINGS))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if pack is not None:
        lines.insert(0, f"Pack: {clean(pack)}")
    return "\n".join(lines)


def _scores(report: LearnerReport, shown: Callable[[str], str] = clean) -> list[str]:
    return [
        f"{shown(key)} {best}" + ("" if total is None else f"/{total}")
        for key, (best, total) in report.quiz_best.items()
    ]
