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
