"""The chart `vgtutor exercise ID --svg FILE` draws: the lab run the goal was measured on.

Profile exercises show the per-layer bars of the metric the goal names, train exercises
the weight gradients after the last step, rnn exercises the gradient per time step; a
settings line goes under each. numpy and plotext load only when a chart is drawn.
"""

from __future__ import annotations

from typing import Any

from tui.charts import Bars, draw_bars
from tui.commands.chart_output import Output
from tui.commands.lab import METRIC_TITLES
from tui.commands.slides import fit_title, settings_line, wrap


def lab_result(config: Any) -> Any:
    """The lab's own result for the exercise's configuration (a profile, run or time profile)."""
    from lessons.lab.config import RNNConfig, TrainConfig

    if isinstance(config, RNNConfig):
        from lessons.lab.rnn import time_profile

        return time_profile(config)
    if isinstance(config, TrainConfig):
        from lessons.lab.train import train

        return train(config)
    from lessons.lab.profile import run_profile

    return run_profile(config)


def exercise_chart(exercise: Any, config: Any, result: Any, out: Output) -> str:
    """The chart of `result` and the settings line under it."""
    if exercise.kind == "rnn":
        from tui.commands.rnn import chart

        return "\n".join([chart(result, out), wrap(out, settings_line(config))])
    if exercise.kind == "train":
        norms = result.grad_norms[-1] if result.steps_done else [None] * (config.net.depth + 1)
        depth = config.net.depth
        title = f"weight gradient ||dL/dW|| per layer after step {result.steps_done} (log10)"
    else:
        metric = (
            "signal" if any(g.metric == "signal_log10_ratio" for g in exercise.goals) else "weight"
        )
        layers = result.layers
        if metric == "signal":
            layers = [layer for layer in layers if layer.layer <= config.depth]
        norms = [getattr(layer, f"{metric}_grad_norm") for layer in layers]
        depth, title = config.depth, METRIC_TITLES[metric]
    labels = tuple("out" if n > depth else f"L{n}" for n in range(1, len(norms) + 1))
    values = tuple(None if v is None else float(v) for v in norms)
    return "\n".join(
        [_bars(Bars(labels, values, title=title), out), wrap(out, settings_line(config))]
    )


def _bars(bars: Bars, out: Output) -> str:
    import plotext

    draw_bars(
        plotext,
        Bars(bars.labels, bars.norms, fit_title(bars.title, out.width)),
        width=out.width,
        axis=out.axis,
    )
    return out.render(plotext)
