"""Charts ready for a slide: SVG export, a fixed axis, settings lines, fitted titles.

Shared by `vgtutor lab`, `rnn` and `exercise`. `--svg FILE` records exactly the text the
terminal gets (with colour, unless --ascii) and writes it with Rich's SVG export;
`--xrange LO:HI` fixes the log10 axis of the bar charts so two slides compare; every
chart gets a settings line; titles are shortened to the width, never dropped by plotext.
Rich is imported only when an SVG is written.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from tui.charts import Bars, draw_bars
from tui.commands.chart_output import ANSI, Output, UsageError, output_for

XRANGE = re.compile(r"\s*([+-]?\d+)\s*:\s*([+-]?\d+)\s*")
MAX_DECADES = 400
"""Beyond any float64 norm (1e-324 to 1e308), so any real chart fits."""
XRANGE_RULE = (
    f"must be LO:HI in whole decades (log10) with LO < HI, from -{MAX_DECADES} "
    f"to {MAX_DECADES}, e.g. --xrange=-12:0"
)
TITLE_MARGIN = 4
"""Columns plotext needs beside a title; a longer title it silently leaves out."""
SHORTER_TITLES = ((r" \(Frobenius, log10\)", " (log10)"), (r" per (layer|time step)", ""))
CELL_NAMES = {"rnn": "vanilla RNN", "lstm": "LSTM", "gru": "GRU"}


def add_slide_flags(parser: argparse._ActionsContainer, *, xrange: bool = True) -> None:
    parser.add_argument(
        "--svg", metavar="FILE", help="also write the chart, as printed, to FILE as SVG"
    )
    if xrange:
        parser.add_argument(
            "--xrange",
            metavar="LO:HI",
            help="fix the bar charts' log10 axis, e.g. --xrange=-12:0 (default: fit the data)",
        )


def xrange_of(args: argparse.Namespace) -> tuple[int, int] | None:
    """The --xrange axis in decades; UsageError if malformed."""
    text = getattr(args, "xrange", None)
    if text is None:
        return None
    match = XRANGE.fullmatch(text)
    if match is None:
        raise UsageError(f"--xrange: {XRANGE_RULE}; got {text!r}")
    low, high = int(match[1]), int(match[2])
    if not -MAX_DECADES <= low < high <= MAX_DECADES:
        raise UsageError(f"--xrange: {XRANGE_RULE}; got {text!r}")
    return low, high


def svg_target(args: argparse.Namespace) -> Path | None:
    """The --svg file, checked before any lab runs; UsageError if it cannot be written."""
    text = getattr(args, "svg", None)
    if text is None:
        return None
    if getattr(args, "json", False):
        raise UsageError("--svg: writes the chart; it does not go with --json")
    path = Path(text)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UsageError(f"--svg: {text} is a folder; give a file name")
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise UsageError(f"--svg: cannot write in {folder}: not a writable folder")
    return path


def slide_output(args: argparse.Namespace) -> tuple[Output, Path | None]:
    """Where a chart command prints (size, colour, --xrange) and its --svg file, if any;
    UsageError on a bad flag, before any lab runs."""
    out = replace(output_for(args), axis=xrange_of(args))
    return out, svg_target(args)


def bar_chart(bars: Bars, out: Output, axis: tuple[int, int] | None = None) -> str:
    """`bars` drawn at the output's width, its title fitted, on `axis` (else --xrange's)."""
    import plotext

    bars = replace(bars, title=fit_title(bars.title, out.width))
    draw_bars(plotext, bars, width=out.width, axis=axis or out.axis)
    return out.render(plotext)


def fit_title(title: str, width: int) -> str:
    """The title, shortened step by step until plotext has room to draw it."""
    room = width - TITLE_MARGIN
    for pattern, shorter in SHORTER_TITLES:
        if len(title) <= room:
            return title
        title = re.sub(pattern, shorter, title)
    return title if len(title) <= room else title[: max(room - 3, 1)].rstrip() + "..."


def wrap(out: Output, text: str) -> str:
    """A reading or note wrapped to the chart's width (at spaces, never inside a word)."""
    import textwrap

    return out.text(textwrap.fill(text, width=out.width, break_long_words=False))


def net_settings(cfg: Any) -> str:
    """A NetConfig in one line, e.g. "relu, he init, depth 20, width 64, batch norm, seed 0"."""
    parts = [cfg.activation, f"{cfg.init} init", f"depth {cfg.depth}", f"width {cfg.width}"]
    parts += [name for name, on in (("batch norm", cfg.batchnorm), ("skips", cfg.residual)) if on]
    return ", ".join([*parts, f"seed {cfg.seed}"])


def settings_line(cfg: Any, metric: str | None = None) -> str:
    """What a chart shows, for the line under it: net, training or recurrent settings."""
    if hasattr(cfg, "cell"):
        parts = [CELL_NAMES.get(cfg.cell, cfg.cell), f"{cfg.seq_len} steps", f"hidden {cfg.hidden}"]
        if cfg.cell == "lstm":
            parts.append(f"forget bias {cfg.forget_bias:g}")
        parts += [f"{cfg.recurrent_init} W_hh", f"seed {cfg.seed}"]
        return "settings: " + ", ".join(parts)
    if hasattr(cfg, "net"):
        how = [cfg.optimizer, f"lr {cfg.lr:g}", f"{cfg.steps} steps", cfg.dataset]
        if cfg.clip_norm is not None:
            how.append(f"clip-norm {cfg.clip_norm:g}")
        if cfg.clip_value is not None:
            how.append(f"clip-value {cfg.clip_value:g}")
        return f"settings: {net_settings(cfg.net)}; {', '.join(how)}"
    shown = f"settings: {net_settings(cfg)}"
    return shown if metric is None else f"{shown}; metric {metric}"


def print_for_slides(
    svg: Path | None, out: Output, body: Callable[[Output], int], title: str
) -> int:
    """Run `body` (which prints a chart); with `svg`, also write what it printed as SVG.

    The SVG gets colour unless --ascii was asked for; the terminal gets what it would
    have got without --svg (no escape codes on a pipe or with NO_COLOR).
    """
    if svg is None:
        return body(out)
    recorded = replace(out, colour=not out.ascii_only)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = body(recorded)
    text = buffer.getvalue()
    if not out.colour:
        text_out = "\n".join(line.rstrip() for line in ANSI.sub("", text).splitlines())
        sys.stdout.write(text_out + ("\n" if text_out else ""))
    else:
        sys.stdout.write(text)
    try:
        write_svg(svg, text, out.width, title)
    except OSError as err:
        print(
            f"vgtutor: error: --svg: could not write {svg}: {err.strerror or err}", file=sys.stderr
        )
        return 1
    return code


def svg_of(text: str, width: int, title: str) -> str:
    """`text` (with ANSI colours) as an SVG terminal picture, via Rich's export."""
    from rich.console import Console
    from rich.text import Text

    console = Console(
        record=True,
        width=width,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
    )
    console.print(Text.from_ansi(text.rstrip("\n")), no_wrap=True, overflow="ignore", crop=False)
    return console.export_svg(title=title)


def write_svg(path: Path, text: str, width: int, title: str) -> None:
    """Write the SVG atomically: a reader never sees half a file."""
    data = svg_of(text, width, title)
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
