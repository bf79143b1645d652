"""`vgtutor export-quiz DIR --gift`: a pack's quizzes for an LMS (Moodle's GIFT format).

Imports only lessons/ (no Textual), and writes to stdout so it composes with `>` file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lessons.catalog import load_pack
from lessons.gift import export_pack
from lessons.sanitize import clean

PROG = "vgtutor export-quiz"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export-quiz",
        help="write a pack's quiz questions for an LMS (--gift: Moodle)",
        description="Write every quiz question of the pack in DIR to stdout, in Moodle's "
        "GIFT format (import it under Question bank > Import > GIFT). Each choice's "
        "explanation becomes its feedback; questions with several right choices share "
        "+100%% among them and -100%% among the wrong ones; a question whose every "
        "statement is false gets a right choice 'None of these statements is true.'",
    )
    parser.add_argument("folder", type=Path, metavar="DIR", help="the lesson pack folder")
    parser.add_argument("--gift", action="store_true", help="GIFT format (the only one so far)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.gift:
        return _fail("choose an output format: --gift")
    if not args.folder.is_dir():
        return _fail(f"{clean(str(args.folder))} is not a folder")
    pack, errors = load_pack(args.folder)
    if pack is None:
        for error in errors:
            print(f"{PROG}: error: {clean(str(error))}", file=sys.stderr)
        return 1
    if errors:
        print(
            f"{PROG}: warning: {len(errors)} problem(s) in the pack; parts of it may be "
            f"missing (run `vgtutor check --pack {clean(str(args.folder))}`)",
            file=sys.stderr,
        )
    export = export_pack(pack)
    sys.stdout.write(export.text)
    print(f"{PROG}: {export.questions} question(s) written", file=sys.stderr)
    return 0


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2
