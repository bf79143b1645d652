"""What `vgtutor lab` prints in each of its modes: the charts, the JSON and the readings.

tui/commands/lab.py turns the flags into settings and picks a mode; the writers here
run the lab and print (a chart with its settings line, notes and one-line reading, or
one JSON object). numpy and plotext are imported inside them, so `--help` stays fast.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

from lessons.lab.chart_rows import METRIC_TITLES, layer_labels, profile_norms
from lessons.lab.config import COMPARE_AXES, NetConfig, TrainConfig
from tui.boundary_plot import LEGEND, draw_boundary, grid_size
from tui.charts import Bars, axis_range, chart_height
from tui.commands.chart_output import Output, print_json
from tui.commands.compare_table import compare_table
from tui.commands.long_run import STOPPED_EXIT, LongRun
from tui.commands.slides import bar_chart, fit_title, settings_line, wrap

if TYPE_CHECKING:  # numpy-bound; imported for real inside the writers
    from lessons.lab.profile import GradientProfile
    from lessons.lab.train import TrainResult

PROG = "vgtutor lab"
OVERFLOW_NOTE = "! marks a layer whose numbers overflowed (inf or NaN): it has no bar"
LOSS_MIN_ROWS = 8
LOSS_LOG_ABOVE = 100.0
LOSS_FLOOR = 1e-300
BOUNDARY_GAP = 2
"""Columns between the step-0 and the final boundary when they sit side by side."""
SIDE_BY_SIDE_WIDTH = 80


def print_profile(cfg: NetConfig, args: argparse.Namespace, out: Output) -> int:
    from lessons.lab.profile import one_line_reading, run_profile

    profile = run_profile(cfg)
    reading = one_line_reading(profile, args.metric)
    if args.json:
        print_json({"config": asdict(cfg), **_profile_json(profile, reading)})
        return 0
    bars = profile_bars(profile, args.metric)
    print(bar_chart(bars, out))
    print(wrap(out, settings_line(cfg, args.metric)))
    _print_notes([bars], out)
    print(wrap(out, reading))
    return 0


def print_compare(cfg: NetConfig, args: argparse.Namespace, out: Output) -> int:
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
        print(bar_chart(bars, out, axis=axis))
        print(wrap(out, settings_line(profile.config, args.metric)))
        print(wrap(out, f"{bars.title}: {reading}"))
    _print_notes(charts, out)
    return 0


def print_train(cfg: TrainConfig, args: argparse.Namespace, out: Output) -> int:
    from lessons.lab.train import train

    with LongRun("training", cfg.steps) as run:
        result = train(cfg, on_step=run.on_step, should_stop=run.should_stop)
    if run.stopped:
        print(f"{PROG}: stopped by Ctrl+C after {result.steps_done} steps", file=sys.stderr)
    bars = train_bars(result)
    reading = _train_reading(result)
    if args.json:
        print_json(
            {
                "config": asdict(cfg),
                "layers": [
                    {"layer": layer, "weight_grad_norm": norm}
                    for layer, norm in enumerate(bars.norms, start=1)
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
    if result.steps_done:
        rows = max(LOSS_MIN_ROWS, out.height - chart_height(bars) - 2)
        print(_loss_curve([float(v) for v in result.losses], out, rows))
    print(bar_chart(bars, out))
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
    return Bars(*profile_norms(profile, metric), title=METRIC_TITLES[metric])


def train_bars(result: TrainResult) -> Bars:
    """The weight gradient of every layer after a run's last step (no values before one)."""
    depth = result.config.net.depth
    final = result.grad_norms[-1] if result.steps_done else [None] * (depth + 1)
    norms = tuple(None if v is None else float(v) for v in final)
    title = f"weight gradient ||dL/dW|| per layer after step {result.steps_done} (Frobenius, log10)"
    return Bars(layer_labels(depth, range(1, len(norms) + 1)), norms, title=title)


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
