"""`vgtutor lab`: the lab's per-layer gradient chart without the app, for slides and scripts.

Three modes share one set of net flags: a single profile at initialization (default),
`--compare` (one small chart per activation, init, fix or depth, all on the same axis) and
`--train STEPS` (the loss curve, then the gradient norms after the last step; with
`--boundary` the decision boundary at step 0 and at the end instead). `--script numpy|
pytorch` prints a script that measures the same net in the learner's own code.

This module reads the flags (settings, mode, misuse, all before any lab runs);
tui/commands/lab_output.py prints what each mode shows, importing numpy and plotext
only then, so `vgtutor --help` stays fast.
"""

from __future__ import annotations

import argparse

from lessons.lab.config import (
    ACTIVATIONS,
    COMPARE_AXES,
    DATASETS,
    INITS,
    METRICS,
    OPTIMIZERS,
    NetConfig,
    TrainConfig,
)
from lessons.lab.takehome import SCRIPT_KINDS
from tui.commands.chart_output import (
    UsageError,
    add_output_flags,
    fail,
    flag_error,
    number,
    within_budget,
)
from tui.commands.lab_output import PROG, print_compare, print_profile, print_train
from tui.commands.long_run import MAX_TRAIN_STEPS
from tui.commands.slides import add_slide_flags, print_for_slides, slide_output

FLAGS = {
    "activation": "--activation",
    "init": "--init",
    "depth": "--depth",
    "width": "--width",
    "seed": "--seed",
    "layernorm": "--layernorm",
    "steps": "--train",
    "optimizer": "--optimizer",
    "lr": "--lr",
    "clip_norm": "--clip-norm",
    "dataset": "--dataset",
}
TRAIN_ONLY = {field: FLAGS[field] for field in ("optimizer", "lr", "clip_norm", "dataset")}


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    net, training = NetConfig(), TrainConfig()
    parser = subparsers.add_parser(
        "lab",
        help="print the lab's per-layer gradient chart (for slides and scripts)",
        description="Build a feed-forward net, measure every layer's gradient norm at "
        "initialization and print it as a bar chart (input layer on top) with a one-line "
        "reading; or compare settings, or train the net and show what changed.",
    )
    parser.add_argument(
        "--activation", choices=ACTIVATIONS, default=net.activation, help="(default %(default)s)"
    )
    parser.add_argument("--init", choices=INITS, default=net.init, help="(default %(default)s)")
    parser.add_argument("--depth", metavar="N", help=f"hidden layers (default {net.depth})")
    parser.add_argument("--width", metavar="N", help=f"units per layer (default {net.width})")
    parser.add_argument("--batchnorm", action="store_true", help="batch norm in every hidden layer")
    parser.add_argument(
        "--layernorm", action="store_true", help="layer norm in every hidden layer (not with BN)"
    )
    parser.add_argument("--residual", action="store_true", help="skip connections around layers")
    parser.add_argument("--seed", metavar="S", help=f"random seed (default {net.seed})")
    parser.add_argument(
        "--metric",
        choices=METRICS,
        default="weight",
        help="weight gradient ||dL/dW|| or backward signal ||dL/dh|| (default %(default)s)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--compare",
        choices=tuple(COMPARE_AXES),
        help="one chart per activation, init, fix or depth (5, 10, 20, 50), as the app's",
    )
    mode.add_argument(
        "--train", metavar="STEPS", help=f"train for STEPS (at most {MAX_TRAIN_STEPS}), then chart"
    )
    parser.add_argument(
        "--optimizer", choices=OPTIMIZERS, help=f"with --train (default {training.optimizer})"
    )
    parser.add_argument("--lr", metavar="RATE", help=f"with --train (default {training.lr:g})")
    parser.add_argument(
        "--clip-norm", metavar="MAX", help="with --train: clip the global gradient norm to MAX"
    )
    parser.add_argument(
        "--dataset", choices=DATASETS, help=f"with --train (default {training.dataset})"
    )
    parser.add_argument(
        "--table", action="store_true", help="with --compare: one compact row per setting"
    )
    parser.add_argument(
        "--boundary",
        action="store_true",
        help="with --train: draw the decision boundary at step 0 and at the end",
    )
    parser.add_argument(
        "--script",
        choices=SCRIPT_KINDS,
        help="print a self-contained Python script that measures this net's gradients",
    )
    add_output_flags(parser)
    add_slide_flags(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        out, svg = slide_output(args)
        net = net_config(args)
        training = train_config(args, net)
        within_budget(training or net, FLAGS)
        _check_extras(args)
        if args.table and args.compare is None:
            raise UsageError("--table: only applies with --compare")
    except UsageError as err:
        return fail(PROG, err)
    if args.script is not None:
        from lessons.lab.takehome import take_home_script

        print(take_home_script(net, args.script), end="")
        return 0
    if training is not None:
        return print_for_slides(svg, out, lambda o: print_train(training, args, o), PROG)
    if args.compare is not None:
        return print_for_slides(svg, out, lambda o: print_compare(net, args, o), PROG)
    return print_for_slides(svg, out, lambda o: print_profile(net, args, o), PROG)


def _check_extras(args: argparse.Namespace) -> None:
    """--boundary needs a run to draw; --script writes one net at initialization only."""
    if args.boundary and args.train is None:
        raise UsageError("--boundary: only applies with --train STEPS")
    if args.boundary and args.json:
        raise UsageError("--boundary: draws a chart; leave out --json")
    if args.script is None:
        return
    if args.layernorm:
        raise UsageError("--layernorm: the take-home scripts have no layer norm yet; leave it out")
    for flag, given in (("--compare", args.compare), ("--train", args.train)):
        if given is not None:
            raise UsageError(f"--script: writes one net at initialization; leave out {flag}")
    if args.json:
        raise UsageError("--script: prints a Python script; leave out --json")


def net_config(args: argparse.Namespace) -> NetConfig:
    given = {"depth": args.depth, "width": args.width, "seed": args.seed}
    try:
        return NetConfig(
            activation=args.activation,
            init=args.init,
            batchnorm=args.batchnorm,
            layernorm=args.layernorm,
            residual=args.residual,
            **{k: number(v) for k, v in given.items() if v is not None},
        )
    except ValueError as err:
        raise flag_error(err, FLAGS) from None


def train_config(args: argparse.Namespace, net: NetConfig) -> TrainConfig | None:
    """The TrainConfig for --train, None without it; training flags alone are misuse."""
    given = {key: getattr(args, key) for key in TRAIN_ONLY}
    given = {key: value for key, value in given.items() if value is not None}
    if args.train is None:
        if given:
            flag = TRAIN_ONLY[next(iter(given))]
            raise UsageError(f"{flag}: only applies with --train STEPS")
        return None
    if args.metric != "weight":
        raise UsageError("--metric: training records the weight gradient only; use weight")
    numbers = {k: number(v) if k in ("lr", "clip_norm") else v for k, v in given.items()}
    try:
        cfg = TrainConfig(net=net, steps=number(args.train), **numbers)
    except ValueError as err:
        raise flag_error(err, FLAGS) from None
    if cfg.steps > MAX_TRAIN_STEPS:
        raise UsageError(
            f"--train: at most {MAX_TRAIN_STEPS} steps here (longer runs take minutes); "
            f"got {cfg.steps}"
        )
    return cfg
