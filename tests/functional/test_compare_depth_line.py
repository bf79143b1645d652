"""Comparing by depth draws the first-to-last ratio against depth as a line (lesson 4)."""

import numpy as np
from test_diagnostics_views import open_lab, settle

from tui.app import make_app
from tui.widgets.line_plot import LinePlot
from tui.widgets.profile_view import ProfileView


async def open_compare(pilot, axis: str):
    lab = await open_lab(pilot)
    await pilot.press("2")
    while lab.settings.compare_axis != axis:
        await pilot.press("g")
    await settle(pilot)
    return lab


async def test_compare_by_depths_draws_the_ratio_against_depth_as_a_straight_line():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        lab = await open_compare(pilot, "depths")
        line = lab.query_one("#compare-depths", LinePlot)
        assert line.display and not lab.query_one("#compare-chart", ProfileView).display
        (series,) = line.lines.series
        assert series.xs == (5.0, 10.0, 20.0, 50.0)
        ratios = [p.weight_log10_ratio for _, p in lab.state.result(("compare", *_key(lab)))]
        assert series.ys == tuple(ratios)
        assert "decades" in line.lines.title and line.lines.xlabel == "depth"
        slope, offset = np.polyfit(series.xs, series.ys, 1)  # sigmoid: the same cost per layer
        assert (
            max(abs(slope * x + offset - y) for x, y in zip(series.xs, series.ys, strict=True))
            < 1.0
        )
        assert "depth" in str(line.render())
        await pilot.press("g")  # another axis: the picked net's profile again
        await settle(pilot)
        assert not line.display and lab.query_one("#compare-chart", ProfileView).display


def _key(lab):
    s = lab.settings
    return (s.net, s.compare_axis, s.data)
