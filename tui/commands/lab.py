"""`vgtutor lab`: the lab's per-layer gradient chart without the app, for slides and scripts.

Three modes share one set of net flags: a single profile at initialization (default),
`--compare` (one small chart per activation, init, fix or depth, all on the same axis) and
`--train STEPS` (the loss curve, then the gradient norms after the last step; with
`--boundary` the decision boundary at step 0 and at the end instead). `--script numpy|
pytorch` prints a script that measures the same net in the learner's own code. numpy and
plotext are imported inside run() so `vgtutor --help` stays fast.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Iterable
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

from lessons.lab.config import (
    ACTIVATIONS,
    DATASETS,
    INITS,
    METRICS,
    OPTIMIZERS,
    NetConfig,
    TrainConfig,
)
from lessons.lab.takehome import SCRIPT_KINDS
from tui.boundary_plot import LEGEND, draw_boundary, grid_size
from tui.charts import Bars, axis_range, chart_height, draw_bars
from tui.commands.chart_output import (
    Output,
    UsageError,
    add_output_flags,
    fail,
    flag_error,
    number,
    output_for,
    print_json,
    within_budget,
)
from tui.commands.compare_table import compare_table
from tui.commands.long_run import MAX_TRAIN_STEPS, STOPPED_EXIT, LongRun
from tui.commands.slides import (
    add_slide_flags,
    fit_title,
    print_for_slides,
    settings_line,
    svg_target,
    wrap,
    xrange_of,
)

if TYPE_CHECKING:  # numpy-bound; imported for real inside run()
    from lessons.lab.profile import GradientProfile
    from lessons.lab.train import TrainResult

PROG = "vgtutor lab"
COMPARE_AXES = {"activations": "activation", "inits": "init", "fixes": "fix", "depths": "depth"}
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
METRIC_TITLES = {
    "weight": "weight gradient ||dL/dW|| per layer (Frobenius, log10)",
    "signal": "backward signal ||dL/dh|| per layer (Frobenius, log10)",
}
OVERFLOW_NOTE = "! marks a layer whose numbers overflowed (inf or NaN): it has no bar"
LOSS_MIN_ROWS = 8
LOSS_LOG_ABOVE = 100.0
LOSS_FLOOR = 1e-300
BOUNDARY_GAP = 2
"""Columns between the step-0 and the final boundary when they sit side by side."""
SIDE_BY_SIDE_WIDTH = 80


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
        out = replace(output_for(args), axis=xrange_of(args))
        svg = svg_target(args)
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
        return print_for_slides(svg, out, lambda o: _train(training, args, o), PROG)
    if args.compare is not None:
        return print_for_slides(svg, out, lambda o: _compare(net, args, o), PROG)
    return print_for_slides(svg, out, lambda o: _profile(net, args, o), PROG)


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


def _profile(cfg: NetConfig, args: argparse.Namespace, out: Output) -> int:
    from lessons.lab.profile import one_line_reading, run_profile

    profile = run_profile(cfg)
    reading = one_line_reading(profile, args.metric)
    if args.json:
        print_json({"config": asdict(cfg), **_profile_json(profile, reading)})
        return 0
    bars = profile_bars(profile, args.metric)
    print(_bar_chart(bars, out))
    print(wrap(out, settings_line(cfg, args.metric)))
    _print_notes([bars], out)
    print(wrap(out, reading))
    return 0


def _compare(cfg: NetConfig, args: argparse.Namespace, out: Output) -> int:
    from lessons.lab.profile import compare_profiles, one_line_reading

    runs = compare_profiles(cfg, args.compare)
    readings = [one_line_reading(profile, args.metric) for _, profile in runs]
    if args.json:
        print_json(
            {
                "config": asdict(cfg),
                "compare": args.compare,
                "runs": [
                    {
                        "label": label,
                        "config": asdict(profile.config),
                        **_profile_json(profile, reading),
                    }
                    for (label, profile), reading in zip(runs, readings, strict=True)
                ],
            }
        )
        return 0
    charts = [replace(profile_bars(p, args.metric), title=label) for label, p in runs]
    axis = out.axis or axis_range([v for bars in charts for v in bars.log10])
    each = COMPARE_AXES[args.compare]
    if args.table:
        print(compare_table(cfg, runs, args.metric, each, out))
        return 0
    print(wrap(out, f"{METRIC_TITLES[args.metric]}; one chart per {each}, same axis"))
    for bars, reading, (_, profile) in zip(charts, readings, runs, strict=True):
        print(_bar_chart(bars, out, axis=axis))
        print(wrap(out, settings_line(profile.config, args.metric)))
        print(wrap(out, f"{bars.title}: {reading}"))
    _print_notes(charts, out)
    return 0


def _train(cfg: TrainConfig, args: argparse.Namespace, out: Output) -> int:
    from lessons.lab.train import train

    with LongRun("training", cfg.steps) as run:
        result = train(cfg, on_step=run.on_step, should_stop=run.should_stop)
    if run.stopped:
        print(f"{PROG}: stopped by Ctrl+C after {result.steps_done} steps", file=sys.stderr)
    final = result.grad_norms[-1] if result.steps_done else [None] * (cfg.net.depth + 1)
    norms = [None if v is None else float(v) for v in final]
    reading = _train_reading(result)
    if args.json:
        print_json(
            {
                "config": asdict(cfg),
                "layers": [
                    {"layer": layer, "weight_grad_norm": norm}
                    for layer, norm in enumerate(norms, start=1)
                ],
                "losses": [float(v) for v in result.losses],
                "accuracies": [float(v) for v in result.accuracies],
                "records": _train_records(result),
                "summary": {
                    "steps_done": result.steps_done,
                    "final_loss": float(result.losses[-1]) if result.steps_done else None,
                    "accuracy": float(result.accuracies[-1]) if result.steps_done else None,
                    "diverged_at": result.diverged_at,
                    "reading": reading,
                },
                "stopped": run.stopped,
            }
        )
        return STOPPED_EXIT if run.stopped else 0
    if args.boundary:
        print(_boundaries(result, out))
        print(wrap(out, reading))
        return STOPPED_EXIT if run.stopped else 0
    title = f"weight gradient ||dL/dW|| per layer after step {result.steps_done} (Frobenius, log10)"
    bars = Bars(_labels(cfg.net.depth, range(1, len(norms) + 1)), tuple(norms), title=title)
    if result.steps_done:
        rows = max(LOSS_MIN_ROWS, out.height - chart_height(bars) - 2)
        print(_loss_curve([float(v) for v in result.losses], out, rows))
    print(_bar_chart(bars, out))
    print(wrap(out, settings_line(cfg)))
    _print_notes([bars], out)
    print(wrap(out, reading))
    return STOPPED_EXIT if run.stopped else 0


def _train_records(result: TrainResult) -> list[dict[str, Any]]:
    """One object per completed step: the loss before it, and per layer the update-to-data
    ratio and the hidden layers' dead and saturated shares (null where they do not apply)."""
    depth = result.config.net.depth
    records = []
    for i in range(result.steps_done):
        layers = []
        for layer, ratio in enumerate(result.update_log10_ratios[i], start=1):
            hidden = layer <= depth
            layers.append(
                {
                    "layer": layer,
                    "update_log10_ratio": float(ratio),
                    "dead_frac": float(result.dead_fracs[i, layer - 1]) if hidden else None,
                    "saturated_frac": (
                        float(result.saturated_fracs[i, layer - 1]) if hidden else None
                    ),
                }
            )
        records.append(
            {
                "step": i + 1,
                "loss": float(result.losses[i]),
                "accuracy": float(result.accuracies[i]),
                "layers": layers,
            }
        )
    return records


def _boundaries(result: TrainResult, out: Output) -> str:
    """Step 0 and the final boundary, side by side in a wide terminal, else stacked."""
    import plotext

    from lessons.lab.boundary import start_and_end

    side_by_side = out.width >= SIDE_BY_SIDE_WIDTH
    width = (out.width - BOUNDARY_GAP) // 2 if side_by_side else out.width
    rows = max(out.height - 3, 8) if side_by_side else max((out.height - 4) // 2, 8)
    height = min(rows, width // 2 + 3)  # a character is about twice as tall as wide
    start, end = start_and_end(result, *grid_size(width, height))
    titles = ("step 0", f"after step {result.steps_done}")
    charts = []
    for grid, title in zip((start, end), titles, strict=True):
        draw_boundary(plotext, grid, width, height, title)
        charts.append(out.render(plotext).splitlines())
    if side_by_side:
        gap = " " * BOUNDARY_GAP
        lines = [f"{a.ljust(width)}{gap}{b}".rstrip() for a, b in zip(*charts, strict=False)]
    else:
        lines = charts[0] + charts[1]
    return "\n".join(lines + [out.text(f"the net's class over the plane; {LEGEND}")])


def profile_bars(profile: GradientProfile, metric: str) -> Bars:
    """One bar per weight matrix (L1..L{depth}, out); the output layer has no signal bar."""
    layers = profile.layers
    if metric == "signal":
        layers = tuple(layer for layer in layers if layer.layer <= profile.config.depth)
    norms = tuple(getattr(layer, f"{metric}_grad_norm") for layer in layers)
    labels = _labels(profile.config.depth, (layer.layer for layer in layers))
    return Bars(labels, norms, title=METRIC_TITLES[metric])


def _labels(depth: int, layers: Iterable[int]) -> tuple[str, ...]:
    return tuple("out" if layer > depth else f"L{layer}" for layer in layers)


def _bar_chart(bars: Bars, out: Output, axis: tuple[int, int] | None = None) -> str:
    import plotext

    bars = replace(bars, title=fit_title(bars.title, out.width))
    draw_bars(plotext, bars, width=out.width, axis=axis or out.axis)
    return out.render(plotext)


def _loss_curve(losses: list[float], out: Output, rows: int) -> str:
    import plotext

    steps = list(range(1, len(losses) + 1))
    title = "training loss (binary cross-entropy) per step"
    if max(losses) > LOSS_LOG_ABOVE:  # plotext cannot lay out huge values; decades it can
        losses = [math.log10(max(loss, LOSS_FLOOR)) for loss in losses]
        title = "training loss per step (binary cross-entropy, log10: it blew up)"
    plotext.clear_figure()
    plotext.plotsize(out.width, rows)
    plotext.plot(steps, losses, marker="*" if out.ascii_only else "braille", color="blue+")
    plotext.xticks(sorted({steps[round(i * (len(steps) - 1) / 4)] for i in range(5)}))
    plotext.title(fit_title(title, out.width))
    return out.render(plotext)


def _print_notes(charts: list[Bars], out: Output) -> None:
    if any(v is None for bars in charts for v in bars.log10):
        print(wrap(out, OVERFLOW_NOTE))


def _profile_json(profile: GradientProfile, reading: str) -> dict[str, Any]:
    return {
        "layers": [asdict(layer) for layer in profile.layers],
        "summary": {
            "weight_log10_ratio": profile.weight_log10_ratio,
            "signal_log10_ratio": profile.signal_log10_ratio,
            "overflow_layer": profile.overflow_layer,
            "loss": profile.loss,
            "reading": reading,
        },
    }


def _train_reading(result: TrainResult) -> str:
    cfg = result.config
    how = f"{cfg.optimizer}, lr {cfg.lr:g}"
    if cfg.clip_norm is not None:
        how += f", clip-norm {cfg.clip_norm:g}"
    net = cfg.net
    about = f"{net.activation}, {net.init} init, depth {net.depth}, {cfg.dataset}; {how}"
    if result.steps_done:
        said = (
            f"after {result.steps_done} steps: loss {result.losses[-1]:.3g}, "
            f"accuracy {result.accuracies[-1]:.0%}"
        )
    else:
        said = "no step completed"
    if result.diverged_at is not None:
        said += f"; diverged at step {result.diverged_at} (loss or gradients not finite)"
    if result.cancelled:
        said += f"; stopped by Ctrl+C, {cfg.steps} steps asked"
    return f"{said} ({about})"
