"""Printing lab charts from the command line: terminal size, colour, ASCII, JSON, errors.

Shared by `vgtutor lab` and `vgtutor rnn` so both answer the same flags the same way:
charts fit the terminal's width (or --size), pipes and NO_COLOR get no escape codes,
--ascii gets 7-bit text, JSON never contains NaN, and misuse is one line with exit 2.
Only the standard library is imported here; plotext arrives as the `plt` argument.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tui.charts import ascii_text

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
SIZE = re.compile(r"(\d+)[xX](\d+)")
MIN_WIDTH, MAX_SIZE, MIN_HEIGHT = 30, 1000, 5
SIZE_RULE = (
    f"must be WIDTHxHEIGHT with WIDTH from {MIN_WIDTH} to {MAX_SIZE} "
    f"and HEIGHT from {MIN_HEIGHT} to {MAX_SIZE}, e.g. 80x24"
)


class UsageError(Exception):
    """A bad flag value; the message starts with the flag's name."""


@dataclass(frozen=True)
class Output:
    """Where the chart goes: its size, whether colour is allowed, whether to stay 7-bit."""

    width: int
    height: int
    colour: bool
    ascii_only: bool
    axis: tuple[int, int] | None = None
    """The bar charts' log10 axis in decades when --xrange fixes it."""

    def render(self, plt: Any) -> str:
        """The figure drawn on `plt` as text, without a background and with colour only on a TTY."""
        plt.theme("clear")
        text = plt.build().removesuffix("\n")  # print() adds the last newline
        if not self.colour:
            text = "\n".join(line.rstrip() for line in ANSI.sub("", text).splitlines())
        return self.text(text)

    def text(self, text: str) -> str:
        return ascii_text(text) if self.ascii_only else text


def add_output_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    parser.add_argument(
        "--ascii",
        action="store_true",
        default=argparse.SUPPRESS,  # keeps `vgtutor --ascii lab` working too
        help="plain 7-bit ASCII output",
    )
    parser.add_argument(
        "--size",
        metavar="WxH",
        help="chart size in characters (default: the terminal's; deeper charts grow taller)",
    )


def output_for(args: argparse.Namespace) -> Output:
    """The Output the flags and the terminal ask for; UsageError on a bad --size."""
    if args.size is None:
        columns, lines = shutil.get_terminal_size()
    else:
        match = SIZE.fullmatch(args.size.strip())
        if match is None:
            raise UsageError(f"--size: {SIZE_RULE}; got {args.size!r}")
        columns, lines = int(match[1]), int(match[2])
        if not (MIN_WIDTH <= columns <= MAX_SIZE and MIN_HEIGHT <= lines <= MAX_SIZE):
            raise UsageError(f"--size: {SIZE_RULE}; got {args.size!r}")
    ascii_only = bool(getattr(args, "ascii", False)) or not _unicode_out()
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR") and not ascii_only
    return Output(max(columns, MIN_WIDTH), max(lines, MIN_HEIGHT), colour, ascii_only)


def _unicode_out() -> bool:
    """Whether stdout can take the charts' block and box characters.

    `PYTHONIOENCODING=ascii` or a C locale gets the --ascii output instead of a
    UnicodeEncodeError.
    """
    try:
        "█─┤┬·→".encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def number(text: str | None) -> Any:
    """A flag's text as int or float when it reads as one, else the text itself.

    The config dataclasses then reject what is out of range or not a number with a
    message that states the allowed values, so every bad number reads the same way.
    """
    if text is None:
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def flag_error(err: ValueError, flags: Mapping[str, str]) -> UsageError:
    """A config's "field: message" ValueError, renamed to the flag that set the field."""
    field, sep, message = str(err).partition(": ")
    if sep and field in flags:
        return UsageError(f"{flags[field]}: {message}")
    return UsageError(str(err))


def within_budget(cfg: Any, flags: Mapping[str, str]) -> None:
    """UsageError naming the flag to lower when the run `cfg` describes is over budget."""
    from lessons.lab.config import budget_problem

    problem = budget_problem(cfg)
    if problem is not None:
        raise flag_error(ValueError(problem), flags)


def fail(prog: str, error: UsageError) -> int:
    from lessons.sanitize import clean  # messages quote paths and ids the user gave

    print(f"{prog}: error: {clean(str(error))}", file=sys.stderr)
    return 2


def finite(value: Any) -> Any:
    """The value with every non-finite float replaced by None, recursively, for JSON."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {key: finite(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def print_json(obj: Mapping[str, Any]) -> None:
    """`obj` under the versioned JSON contract (tui/schemas), NaN and inf as null."""
    from tui.schemas import JSON_VERSION

    print(json.dumps(finite({"version": JSON_VERSION, **obj}), indent=2, allow_nan=False))


def signed_decades(log10: float) -> str:
    """A ratio as a power of ten for a summary line, e.g. "10^-6.6"."""
    return f"10^{log10:+.1f}" if log10 > 0 else f"10^{log10:.1f}"
