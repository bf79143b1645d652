"""`vgtutor rnn`: how the last step's gradient fades going back in time, as a chart or JSON.

For slides and scripts: one bar per time step (t=1 on top) of ||dL/dh_t||, and a
one-line reading. numpy and plotext are imported inside run() so `--help` stays fast.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING

from lessons.lab.config import CELLS, RECURRENT_INITS, RNNConfig
from tui.charts import Bars
from tui.commands.chart_output import (
    Output,
    UsageError,
    add_output_flags,
    fail,
    flag_error,
    number,
    print_json,
    signed_decades,
    within_budget,
)
from tui.commands.slides import (
    CELL_NAMES,
    add_slide_flags,
    bar_chart,
    print_for_slides,
    settings_line,
    slide_output,
    wrap,
)

if TYPE_CHECKING:  # numpy-bound; imported for real inside run()
    from lessons.lab.rnn import TimeProfile

PROG = "vgtutor rnn"
FLAGS = {
    "cell": "--cell",
    "seq_len": "--steps",
    "hidden": "--hidden",
    "forget_bias": "--forget-bias",
    "recurrent_init": "--recurrent-init",
    "seed": "--seed",
}
TITLE = "hidden-state gradient ||dL/dh_t|| per time step (Frobenius, log10)"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    defaults = RNNConfig()
    parser = subparsers.add_parser(
        "rnn",
        help="chart how a recurrent net's gradient fades over time steps",
        description="Unroll a recurrent net over T steps with the loss on the last one and "
        "chart ||dL/dh_t|| for every step t (t=1 on top), then print a one-line reading.",
    )
    parser.add_argument("--cell", required=True, choices=CELLS, help="the recurrent cell")
    parser.add_argument(
        "--steps", metavar="T", help=f"time steps to unroll (default {defaults.seq_len})"
    )
    parser.add_argument(
        "--forget-bias",
        metavar="B",
        help=f"added to the LSTM forget gate's bias (default {defaults.forget_bias:g})",
    )
    parser.add_argument("--hidden", metavar="H", help=f"hidden units (default {defaults.hidden})")
    parser.add_argument("--seed", metavar="S", help=f"random seed (default {defaults.seed})")
    parser.add_argument(
        "--recurrent-init",
        choices=RECURRENT_INITS,
        default=defaults.recurrent_init,
        help="how W_hh starts (default %(default)s)",
    )
    add_output_flags(parser)
    add_slide_flags(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        out, svg = slide_output(args)
        cfg = config_from(args)
        within_budget(cfg, FLAGS)
    except UsageError as err:
        return fail(PROG, err)
    return print_for_slides(svg, out, lambda o: _show(cfg, args, o), PROG)


def _show(cfg: RNNConfig, args: argparse.Namespace, out: Output) -> int:
    from lessons.lab.rnn import time_profile

    profile = time_profile(cfg)
    reading = one_line_reading(profile)
    if args.json:
        print_json(
            {
                "config": asdict(cfg),
                "steps": [
                    {"step": t, "hidden_grad_norm": norm}
                    for t, norm in enumerate(profile.norms, start=1)
                ],
                "summary": {
                    "log10_ratio": profile.log10_ratio,
                    "overflow_step": profile.overflow_step,
                    "reading": reading,
                },
            }
        )
        return 0
    print(chart(profile, out))
    print(wrap(out, settings_line(cfg)))
    print(wrap(out, reading))
    return 0


def config_from(args: argparse.Namespace) -> RNNConfig:
    given = {
        "seq_len": args.steps,
        "hidden": args.hidden,
        "forget_bias": args.forget_bias,
        "seed": args.seed,
    }
    settings = {k: number(v) for k, v in given.items() if v is not None}
    if args.forget_bias is not None and args.cell != "lstm":
        raise UsageError(
            f"--forget-bias: only applies to --cell lstm; a {CELL_NAMES[args.cell]} "
            "has no forget gate"
        )
    try:
        return RNNConfig(cell=args.cell, recurrent_init=args.recurrent_init, **settings)
    except ValueError as err:
        raise flag_error(err, FLAGS) from None


def chart(profile: TimeProfile, out: Output) -> str:
    labels = tuple(f"t{t}" for t in range(1, len(profile.norms) + 1))
    return bar_chart(Bars(labels, profile.norms, title=TITLE), out)


def one_line_reading(profile: TimeProfile) -> str:
    """The chart in words, e.g. "step 1 gets 10^-6.6 of step 25's gradient (LSTM, ...)"."""
    cfg = profile.config
    about = [CELL_NAMES[cfg.cell]]
    if cfg.cell == "lstm":
        about.append(f"forget bias {cfg.forget_bias:g}")
    if cfg.recurrent_init != "pytorch":
        about.append(f"{cfg.recurrent_init} W_hh")
    about.append(f"hidden {cfg.hidden}")
    last = len(profile.norms)
    ratio = profile.log10_ratio
    if profile.overflow_step is not None:
        said = (
            f"the gradient overflowed by step {profile.overflow_step} going back from step {last} "
            "(not a finite number: it exploded)"
        )
    elif last == 1:
        said = "one step only: there is nothing for the gradient to fade through"
    elif ratio == float("-inf"):
        said = f"step 1 gets none of step {last}'s gradient (it underflowed to 0)"
    else:
        said = f"step 1 gets {signed_decades(ratio)} of step {last}'s gradient"
    return f"{said} ({', '.join(about)})"
