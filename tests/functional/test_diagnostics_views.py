"""The lab's why view and the train view's diagnostics panels, driven as a learner would."""

import pytest
from test_lab_screen import open_lab, settle

from lessons.lab.lab_state import profile_key
from lessons.lab.why import why_model
from tui.app import make_app
from tui.widgets.train_health import BoundaryPlot, TrainHealthView
from tui.widgets.why_view import WhyChart

SIZES = [(80, 24), (120, 40)]


async def open_why(pilot) -> None:
    await open_lab(pilot)
    await pilot.press("6")
    await settle(pilot)


async def open_train_panels(pilot) -> None:
    await open_lab(pilot, "train-deep-sigmoid")  # a training preset runs on opening
    await pilot.press("u")
    await settle(pilot)


async def test_why_view_draws_the_profile_the_bars_view_measured():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        lab = await open_lab(pilot)
        await pilot.press("6")
        await settle(pilot)
        chart = lab.query_one(WhyChart)
        profile = lab.state.result(profile_key(lab.settings))
        assert chart.model == why_model(profile, lab.state.axes["why"])
        assert len(chart.model.rows) == lab.settings.net.depth
        reading = str(lab.query_one("#lab-reading").render())
        assert "costliest: the activation's slope" in reading
        await pilot.press("b")  # batch norm: a norm stage appears, the axis stays
        await settle(pilot)
        axis = lab.state.axes["why"]
        assert all(row.norm is not None and row.norm > 0 for row in chart.model.rows[1:])
        assert chart.model.axis == axis


async def test_u_switches_the_train_panels_and_the_boundaries_arrive_with_the_run():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        lab = await open_lab(pilot, "train-deep-sigmoid")
        switcher = lab.query_one("#view-train")
        assert switcher.current == "train-curves"
        await pilot.press("u")
        await settle(pilot)
        assert switcher.current == "train-health"
        start = lab.query_one("#health-start", BoundaryPlot)
        end = lab.query_one("#health-end", BoundaryPlot)
        result = lab.train_result
        assert start.grid is not None and end.grid is not None
        assert end.title == f"after step {result.steps_done}"
        ratio = lab.query_one("#health-ratio").lines
        assert ratio.hline == ("rule of thumb -3", -3.0)
        assert ratio.series[0].ys[-1] == float(result.update_log10_ratios[-1, 0])
        await pilot.press("u")
        assert switcher.current == "train-curves"
        await pilot.press("1", "u")  # u means nothing outside the train view
        assert lab.settings.view == "bars" and switcher.current == "train-curves"


async def test_the_random_batch_says_it_has_no_boundary():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        lab = await open_lab(pilot)
        await pilot.press("3", "enter")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert lab.query_one("#health-start", BoundaryPlot).title == "not 2-D: no boundary"
        assert lab.query_one(TrainHealthView).query_one("#health-shares").lines is not None


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("ascii_plots", [False, True], ids=["unicode", "ascii"])
class TestDiagnosticsSnapshots:
    def test_why_view_with_unit_health(self, snap_compare, size, ascii_plots):
        assert snap_compare(make_app(ascii_plots=ascii_plots), run_before=open_why,
                            terminal_size=size)  # fmt: skip

    def test_train_panels_update_ratio_and_boundary(self, snap_compare, size, ascii_plots):
        assert snap_compare(make_app(ascii_plots=ascii_plots), run_before=open_train_panels,
                            terminal_size=size)  # fmt: skip
