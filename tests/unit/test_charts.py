"""The bar layout: one labelled row per layer at any depth, input on top, no crash on inf."""

import math
import re

import plotext
import pytest

from tui.charts import Bars, axis_range, chart_height, draw_bars, to_ascii

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def render(bars: Bars, width: int = 70) -> list[str]:
    draw_bars(plotext, bars, width=width)
    return ANSI.sub("", plotext.build()).splitlines()


def bar_rows(lines: list[str]) -> dict[str, int]:
    """Label → bar length, read off the rendered chart."""
    rows = {}
    for line in lines:
        if "┤" in line:
            label, _, rest = line.partition("┤")
            rows[label.strip()] = rest.count("█")
    return rows


@pytest.mark.parametrize("layers", [2, 3, 11, 21, 51, 201])
def test_every_layer_gets_its_own_labelled_row_in_order(layers):
    labels = tuple(f"L{i}" for i in range(1, layers + 1))
    norms = tuple(10.0 ** -(i % 13) for i in range(layers))
    lines = render(Bars(labels, norms))
    assert len(lines) == chart_height(Bars(labels, norms))
    rows = bar_rows(lines)
    assert list(rows) == list(labels)  # input layer first, top to bottom
    # Equal norms give equal bars; a bigger norm never gives a shorter bar.
    by_norm: dict[float, set[int]] = {}
    for label, norm in zip(labels, norms, strict=True):
        by_norm.setdefault(norm, set()).add(rows[label])
    assert all(len(lengths) == 1 for lengths in by_norm.values())
    ordered = [next(iter(by_norm[n])) for n in sorted(by_norm)]
    assert ordered == sorted(ordered)


def test_overflow_and_underflow_are_drawn_not_crashed_on():
    bars = Bars(("L1", "L2", "L3", "out"), (math.inf, None, 0.0, 1e-3))
    rows = bar_rows(render(bars))
    assert set(rows) == {"L1 !", "L2 !", "L3", "out"}
    assert rows["out"] > rows["L3"]


def test_axis_spans_whole_decades_around_the_data():
    assert axis_range([-12.3, -0.2]) == (-14, 0)
    assert axis_range([None, -math.inf]) == (-10, 0)
    assert axis_range([-3.5, -2.5]) == (-12, -2)  # level bars stay visibly level


def test_ascii_output_is_seven_bit():
    lines = render(Bars(("L1", "out"), (1e-5, 1.0), title="weight gradient"))
    text = to_ascii(ANSI.sub("", "\n".join(lines)))
    assert text.isascii()
    assert "#" in text


@pytest.mark.parametrize("layers", [2, 11, 51])
def test_spaced_bars_keep_one_row_each_with_a_blank_row_between(layers):
    labels = tuple(f"L{i}" for i in range(1, layers + 1))
    bars = Bars(labels, tuple(10.0 ** -(i % 13) for i in range(layers)))
    draw_bars(plotext, bars, width=70, rows_per_bar=2)
    lines = ANSI.sub("", plotext.build()).splitlines()
    assert len(lines) == chart_height(bars, 2)
    body = lines[1 : 1 + 2 * layers - 1]
    assert [line.partition("┤")[0].strip() for line in body[::2]] == list(labels)
    assert all("█" not in line for line in body[1::2])
    assert bar_rows(lines) == bar_rows(render(bars))  # same lengths as the compact chart


LINE_PLOTS = [(depth, width) for depth in (5, 12, 20, 50, 200) for width in (30, 42, 78, 118)]
DRAW_X_LABELS = r"""
import json, re, sys
from textual_plotext.plot import Plot
from lessons.lab.lab_views import ProfileChart, Series
from tui.charts import draw_profile_lines
out = []
for depth, width in json.loads(sys.argv[1]):
    rows = (*(f"L{i}" for i in range(1, depth + 1)), "out")
    values = tuple(-0.05 * i for i in range(len(rows)))
    plot = Plot()
    draw_profile_lines(plot, ProfileChart("", rows, (Series("s", values),), (-12, 1)),
                       width=width, height=12)
    plot.clear_color()
    out.append(re.sub(r"\x1b\[[0-9;]*m", "", plot.build().splitlines()[-1]).split())
print(json.dumps(out))
"""


@pytest.mark.slow
@pytest.mark.parametrize("seed", ["1", "5", "11"])
def test_a_line_plot_names_every_tick_it_asks_for_whatever_the_hash_seed(seed):
    """plotext drops one of two overlapping x labels, picked by the hash seed: the
    ticks leave room for each label, so every one asked for is drawn, first and last."""
    import json
    import os
    import subprocess
    import sys

    from tui.charts import PLOT_FRAME_COLUMNS, row_ticks

    drawn = subprocess.run(
        [sys.executable, "-c", DRAW_X_LABELS, json.dumps(LINE_PLOTS)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": seed},
        check=True,
    ).stdout
    for (depth, width), shown in zip(LINE_PLOTS, json.loads(drawn), strict=True):
        rows = [*(f"L{i}" for i in range(1, depth + 1)), "out"]
        ticks = row_ticks(rows, width - PLOT_FRAME_COLUMNS)
        assert ticks[0] == 1 and ticks[-1] == len(rows)
        assert shown == [rows[t - 1] for t in ticks], (depth, width)
