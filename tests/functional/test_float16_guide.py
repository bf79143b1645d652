"""The bars view's float16 guide: F draws float16's smallest normal and subnormal values."""

import math

from test_diagnostics_views import open_lab, settle

from lessons.lab.lab_views import FLOAT16_GUIDES
from tui.app import make_app
from tui.widgets.profile_view import ProfilePlot


def test_the_guides_are_float16s_smallest_normal_and_subnormal():
    assert dict(FLOAT16_GUIDES) == {
        "normal": math.log10(float.fromhex("0x1p-14")),
        "subnormal": math.log10(float.fromhex("0x1p-24")),
    }
    assert round(dict(FLOAT16_GUIDES)["normal"], 2) == -4.21
    assert round(dict(FLOAT16_GUIDES)["subnormal"], 2) == -7.22


async def test_f_toggles_the_float16_guide_with_its_legend():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        lab = await open_lab(pilot, "sigmoid-20-float16")
        plot = lab.query_one(ProfilePlot)
        legend = lab.query_one(".profile-legend")
        assert plot.chart.guides == () and "float16" not in str(legend.render())
        await pilot.press("F")
        await settle(pilot)
        assert lab.settings.float16 and plot.chart.guides == FLOAT16_GUIDES
        assert "float16 floor: normal 10^-4.2, subnormal 10^-7.2" in str(legend.render())
        drawn = str(plot.render())
        assert drawn.count("╌") > 20 if plot.mode == "line" else drawn.count("┊") > 20
        await pilot.press("F")
        await settle(pilot)
        assert plot.chart.guides == () and "┊" not in str(plot.render())


async def test_the_guide_is_vertical_across_bars():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        lab = await open_lab(pilot, "sigmoid-20-float16")
        await pilot.press("F")
        await settle(pilot)
        plot = lab.query_one(ProfilePlot)
        assert plot.mode == "bars"
        lines = str(plot.render()).splitlines()
        rows = [line for line in lines if line.lstrip().startswith(("L", "out"))]
        columns = {line.index("┊") for line in rows}
        assert len(rows) == 21 and len(columns) == 1  # one column, every row: a vertical line


def test_float16_guide_80x24(snap_compare):
    async def open_guide(pilot) -> None:
        await open_lab(pilot, "sigmoid-20-float16")
        await pilot.press("F")
        await settle(pilot)

    assert snap_compare(make_app(), run_before=open_guide, terminal_size=(80, 24))
