"""The chart `vgtutor exercise ID --svg FILE` draws: the lab run the goal was measured on.

Profile exercises show the per-layer bars of the metric the goal names, train exercises
the weight gradients after the last step, rnn exercises the gradient per time step; a
settings line goes under each. numpy and plotext load only when a chart is drawn.
"""

from __future__ import annotations

from typing import Any

from tui.commands.chart_output import Output
from tui.commands.lab_output import profile_bars, train_bars
from tui.commands.slides import bar_chart, settings_line, wrap


def exercise_chart(exercise: Any, config: Any, result: Any, out: Output) -> str:
    """The chart of `result` and the settings line under it."""
    if exercise.kind == "rnn":
        from tui.commands.rnn import chart

        drawn = chart(result, out)
    elif exercise.kind == "train":
        drawn = bar_chart(train_bars(result), out)
    else:
        signal = any(g.metric == "signal_log10_ratio" for g in exercise.goals)
        drawn = bar_chart(profile_bars(result, "signal" if signal else "weight"), out)
    return "\n".join([drawn, wrap(out, settings_line(config))])
