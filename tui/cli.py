"""The `vgtutor` command: the app by default, plus non-interactive subcommands.

Only argparse and the standard library are imported at module level so that
`vgtutor --help` and `--version` stay fast; Textual and numpy load on demand.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import io
import os
import signal
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from tui import __version__

if TYPE_CHECKING:
    from textual.app import App

# Subcommand modules, each exposing add_parser(subparsers) and run(args) -> int.
SUBCOMMANDS = (
    "check",
    "progress",
    "lab",
    "rnn",
    "exercise",
    "new-pack",
    "serve",
    "class-report",
    "export-quiz",
)


OUT_OF_MEMORY = "out of memory: this machine cannot hold the run; try smaller settings"


class _Parser(argparse.ArgumentParser):
    """argparse that reports misuse as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vgtutor",
        description="See the vanishing gradient problem happen: lessons, quizzes and a live lab.",
        epilog="Run without a command to open the interactive tutorial.",
    )
    parser.add_argument("--version", action="version", version=f"vgtutor {__version__}")
    parser.add_argument(
        "--pack",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="add a lesson pack folder to the course map (repeatable)",
    )
    charset = parser.add_mutually_exclusive_group()
    charset.add_argument(
        "--ascii",
        action="store_true",
        help="draw the whole screen in 7-bit ASCII (default where TERM=linux or the "
        "locale is not UTF-8)",
    )
    charset.add_argument(
        "--unicode",
        action="store_true",
        help="draw with Unicode even where --ascii would be the default",
    )
    subparsers = parser.add_subparsers(
        title="commands", metavar="COMMAND", dest="command", parser_class=_Parser
    )
    for name in SUBCOMMANDS:
        importlib.import_module(f"tui.commands.{name.replace('-', '_')}").add_parser(subparsers)
    return parser


def _isatty(stream: TextIO | None) -> bool:
    return stream is not None and stream.isatty()


def _run_app(args: argparse.Namespace) -> int:
    # Textual reads keys from stdin and draws on stderr: with any of the three
    # redirected the tutorial would wait, unseen, for keys (stdout is checked so that
    # `vgtutor > file` in a script fails fast too).
    streams = (sys.stdin, sys.stdout, sys.stderr)
    if not all(_isatty(stream) for stream in streams):
        # Say so where the learner will see it: stderr, or the terminal stdout is on.
        shown = sys.stdout if _isatty(sys.stdout) and not _isatty(sys.stderr) else sys.stderr
        print(
            "vgtutor: the tutorial needs an interactive terminal on stdin, stdout and "
            "stderr; for scripts use `vgtutor lab` or `vgtutor check`.",
            file=shown,
        )
        return 2
    from lessons.sanitize import clean

    for pack in args.pack:
        if not pack.is_dir():
            print(f"vgtutor: error: --pack: {clean(str(pack))} is not a folder", file=sys.stderr)
            return 2
    from tui.app import make_app
    from tui.ascii_screen import wants_ascii

    choice = "ascii" if args.ascii else "unicode" if args.unicode else None
    ascii_only = wants_ascii(choice, os.environ, sys.stdout.encoding)
    app = make_app(packs=args.pack, ascii_plots=ascii_only)
    _quit_on_signals(app)
    app.run()
    return app.return_code or 0


def _quit_on_signals(app: App[int]) -> None:
    """SIGTERM and SIGHUP end the app as ctrl+c does: the terminal is restored (no
    alternate screen or mouse tracking left on) and saved progress stays saved."""

    import asyncio  # here, not at the top: `vgtutor --help` stays free of asyncio

    def quit_app(signum: int, _frame: FrameType | None) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # before the app's loop runs, or after it ended
            raise KeyboardInterrupt from None
        # A handler runs between two bytecodes of the loop: hand over, do not act here.
        loop.call_soon_threadsafe(partial(app.exit, return_code=128 + signum))

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, quit_app)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # --help and --version end here, quickly
    from lessons.lab.runtime import tune_process

    tune_process()  # before anything imports numpy
    func = getattr(args, "func", None)
    if func is None:
        return _run_app(args)
    for stream in (sys.stdout, sys.stderr):  # an ASCII-only locale: never a traceback
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        code = int(func(args))
        sys.stdout.flush()  # a full disk or closed pipe shows here, not at exit
        return code
    except MemoryError:
        # The budgets in lessons.lab.config keep runs far below this; a machine short
        # of memory can still get here.
        print(f"vgtutor {args.command}: {OUT_OF_MEMORY}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`vgtutor check --json | head`): stop quietly, as
        # the Python docs advise, without a traceback at interpreter exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as err:
        if not _is_stdout_error(err):
            raise
        # `vgtutor check > /dev/full`: say so in one line, and drop what is unwritten
        # so the interpreter's own flush at exit does not fail again.
        print(f"vgtutor {args.command}: could not write the output: {_why(err)}", file=sys.stderr)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _is_stdout_error(err: OSError) -> bool:
    """Whether `err` came from writing standard output (not from a file a command uses)."""
    return err.filename is None and err.errno in (
        errno.ENOSPC,
        errno.EIO,
        errno.EDQUOT,
        errno.EFBIG,
    )


def _why(err: OSError) -> str:
    return err.strerror or str(err)


if __name__ == "__main__":
    sys.exit(main())
