"""The lab by keyboard: every control, every view, fixed axes, ghosts, presets, workers."""

from dataclasses import replace

import numpy as np
import pytest

from lessons.lab.config import ACTIVATIONS, INITS
from lessons.lab.lab_state import profile_key
from lessons.lab.train_curves import TrainCurves, train_model
from tui.app import make_app
from tui.screens.lab import LabScreen
from tui.widgets.compare_table import CompareTable
from tui.widgets.line_plot import LinePlot
from tui.widgets.profile_view import ProfilePlot, ProfileView

SIZE = (80, 24)
BIG = (120, 40)


async def open_lab(pilot, preset_id: str | None = None) -> LabScreen:
    """Push the lab for the lesson that owns `preset_id` (lesson 1 without one)."""
    app = pilot.app
    lessons = app.course.lessons()
    pack, lesson = next(((p, le) for p, le in lessons if preset_id in le.presets), lessons[0])
    lab = LabScreen(pack, lesson, preset_id)
    await app.push_screen(lab)
    await settle(pilot)
    return lab


async def settle(pilot) -> None:
    """Let thread workers finish and their messages be handled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def reading(lab: LabScreen) -> str:
    return str(lab.query_one("#lab-reading").render())


def chart(lab: LabScreen, selector: str = "#view-bars"):
    return lab.query_one(selector, ProfileView).chart


def drawn(lab: LabScreen, selector: str = "#view-bars") -> list[str]:
    return lab.query_one(selector, ProfileView).query_one(ProfilePlot).render().plain.splitlines()


CONTROLS = [
    ("a", "activation"),
    ("A", "activation"),
    ("i", "init"),
    ("I", "init"),
    ("d", "depth"),
    ("D", "depth"),
    ("w", "width"),
    ("W", "width"),
    ("b", "batchnorm"),
    ("r", "residual"),
    ("s", "seed"),
    ("S", "seed"),
]


async def test_every_control_changes_the_config_and_the_bars():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        for key, field in CONTROLS:
            config, values = lab.config, chart(lab).series[0].values
            await pilot.press(key)
            await settle(pilot)
            assert getattr(lab.config, field) != getattr(config, field), key
            assert chart(lab).series[0].values != values, key
        assert str(lab.config.depth) in str(lab.query_one("#lab-controls").render())


async def test_the_axis_stays_fixed_while_settings_change_and_e_refits_it():
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        ticks = drawn(lab)[-1]
        axis = chart(lab).axis
        for key in ["a", "i", "b", "r", "d"]:
            await pilot.press(key)
            await settle(pilot)
            assert chart(lab).axis == axis, key
            assert drawn(lab)[-1] == ticks, key
        await pilot.press("e")
        assert chart(lab).axis != axis


async def test_values_beyond_the_axis_are_clipped_with_their_number():
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        low = chart(lab).axis[0]
        await pilot.press("I", "I", "d")  # xavier -> standard -> small init, depth 20
        await settle(pilot)
        clipped = chart(lab).clipped()
        assert clipped and all(v < low for _, v in clipped)
        text = "\n".join(drawn(lab))
        assert f"{clipped[0][1]:+.0f}" in text


async def test_a_change_leaves_ghost_marks_and_a_before_after_legend():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        assert len(chart(lab).series) == 1
        await pilot.press("a")
        ghost = chart(lab).series[1]
        assert ghost.ghost and ghost.values != chart(lab).series[0].values
        legend = str(lab.query_one("#view-bars .profile-legend").render())
        assert "█ now: tanh · ◆ before: sigmoid" in legend
        assert "◆" in "\n".join(drawn(lab))


async def test_the_header_marks_a_changed_preset_and_p_steps_through_presets():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        start = lab.settings
        assert lab.title == "Lab: 10-layer sigmoid net, Xavier init" and lab.sub_title == ""
        await pilot.press("a", "d")
        assert lab.title == "Lab: you changed activation, depth"
        assert lab.sub_title == "preset: 10-layer sigmoid net, Xavier init"
        look_for = str(lab.query_one("#lab-look-for").render())
        assert look_for == f"Preset: {lab.state.preset.look_for}"
        await pilot.press("p")
        await settle(pilot)
        second = lab.state.preset
        assert second.id != "sigmoid-10" and lab.settings == second.settings
        assert lab.sub_title == "" and lab.title == f"Lab: {second.title}"
        while lab.state.preset.id != "sigmoid-10":
            await pilot.press("p")
            await settle(pilot)
        assert lab.settings == start and len(chart(lab).series) == 1


async def test_metric_switch_changes_the_title_and_drops_the_output_bar():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        weight = chart(lab)
        await pilot.press("m")
        signal = chart(lab)
        assert lab.settings.metric == "signal"
        assert "dL/dh" in signal.title and "dL/dW" in weight.title
        assert len(weight.rows) == lab.config.depth + 1
        assert signal.rows == tuple(f"L{i}" for i in range(1, lab.config.depth + 1))


@pytest.mark.parametrize("size", [SIZE, BIG], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_deep_net_is_one_line_plot_with_every_layer_on_screen(size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        while lab.config.depth < 50:
            await pilot.press("d")
        assert chart(lab).rows == (*(f"L{i}" for i in range(1, 51)), "out")
        view = lab.query_one("#view-bars", ProfileView)
        assert view.mode == "line"
        lines = drawn(lab)
        assert "L1" in lines[-1] and "out" in lines[-1]  # the layer axis is on screen
        assert view.query_one(ProfilePlot).region.bottom <= lab.query_one("#lab-reading").region.y
        await pilot.press("y", "y")  # auto -> bars -> line: forced bars scroll
        assert lab.settings.plot == "line" and view.mode == "line"


async def test_compare_keys_work_on_open_and_the_cursor_follows_the_setting():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "compare-activations")
        table = lab.query_one(CompareTable)
        assert [row.label for row in table.rows] == list(ACTIVATIONS)
        assert table.picked == ACTIVATIONS.index(lab.config.activation)
        await pilot.press("down")  # no Tab needed
        assert table.picked == ACTIVATIONS.index(lab.config.activation) + 1
        assert reading(lab).startswith(f"{ACTIVATIONS[table.picked]}:")
        picked = chart(lab, "#compare-chart")
        assert len(picked.rows) == lab.config.depth + 1
        await pilot.press("g")
        await settle(pilot)
        assert [row.label for row in table.rows] == list(INITS)
        assert table.picked == INITS.index(lab.config.init)
        await pilot.press("g", "g")
        await settle(pilot)
        assert [row.label for row in table.rows] == ["5", "10", "20", "50"]
        assert table.rows[table.picked].label == str(lab.config.depth)


async def test_compare_rows_are_all_labelled_at_depth_5():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "compare-activations")
        await pilot.press("g", "g", "g")
        await settle(pilot)
        await pilot.press("up", "up")  # from depth 20 to depth 5
        await settle(pilot)
        picked = chart(lab, "#compare-chart")
        assert picked.rows == ("L1", "L2", "L3", "L4", "L5", "out")
        # by depths the ratio-against-depth line stands in for the picked profile
        assert not lab.query_one("#compare-chart", ProfileView).display
        assert lab.query_one("#compare-depths").display


async def test_the_profile_at_training_step_1_equals_the_bars_view():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "train-deep-sigmoid")
        run = lab.train_result
        assert run is not None and run.steps_done == lab.train_config.steps
        await pilot.press("1")
        await settle(pilot)
        profile = lab.state.result(profile_key(lab.settings))
        norms = [layer.weight_grad_norm for layer in profile.layers]
        np.testing.assert_allclose(run.grad_norms[0], norms, rtol=1e-12)
        assert "spirals 2-d" in str(lab.query_one("#lab-controls").render())


async def test_the_train_axes_come_from_the_finished_run_not_from_its_first_report(
    monkeypatch,
):
    import tui.screens.lab_training as lab_training

    monkeypatch.setattr(lab_training, "PROGRESS_EVERY", 0.0)  # every step is drawn live
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "train-deep-sigmoid")
        run = lab.train_result
        assert run is not None and run.steps_done == lab.train_config.steps
        final = train_model(TrainCurves.from_result(run), lab.settings.net.depth)
        assert final.moved is not None
        assert lab.state.axes["train"] == final.norm_axis
        assert lab.state.axes["train-moved"] == final.moved.axis
        assert chart(lab, "#train-moved").axis == final.moved.axis


async def test_training_setting_keys_do_not_start_a_run_and_enter_does():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "train-deep-sigmoid")
        lab.state.apply(replace(lab.settings, training=replace(lab.settings.training, steps=20)))
        for key in ["c", "o", "l", "a"]:
            before = lab.train_config
            await pilot.press(key)
            await settle(pilot)
            assert lab.train_config != before, key
            assert lab.train_result is None and not lab.training(), key
            assert reading(lab).startswith("settings changed: enter runs 20 steps"), key
        await pilot.press("enter")
        await settle(pilot)
        result = lab.train_result
        assert result.steps_done == 20 and result.config == lab.train_config
        assert "in 20 steps" in reading(lab)
        loss = lab.query_one("#train-loss", LinePlot).lines.series[0]
        assert loss.xs[-1] == 20


async def test_cancel_stops_a_long_run_and_escape_does_not_leave_while_training():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        long_run = replace(lab.settings.training, steps=5000)  # the most the budget allows
        lab.state.apply(replace(lab.settings, training=long_run))
        await pilot.press("3", "enter")
        await pilot.pause(0.5)
        assert lab.training()
        await pilot.press("1")  # the run goes on; its progress stays off the bars' reading
        await pilot.pause(0.5)
        assert lab.training() and reading(lab).startswith("layer 1 gets")
        await pilot.press("3")
        assert reading(lab).startswith("training: step")
        await pilot.press("escape")  # stops the run, stays in the lab
        await settle(pilot)
        assert app.screen is lab
        assert lab.train_result.cancelled and lab.train_result.steps_done < 5000
        assert "stopped at step" in reading(lab)


async def test_the_rnn_view_draws_three_cells_on_one_axis():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "rnn-tanh-25")
        assert lab.view == "rnn"
        rnn = chart(lab, "#view-rnn")
        assert rnn.rows == tuple(f"t{t}" for t in range(1, 26))
        assert [s.label for s in rnn.series] == ["rnn", "lstm", "gru"]
        assert lab.query_one("#view-rnn", ProfileView).mode == "line"
        await pilot.press("n")
        assert lab.rnn_config.cell == "lstm" and "(lstm)" in reading(lab)
        assert [s.label for s in chart(lab, "#view-rnn").series] == ["lstm", "rnn", "gru"]
        await pilot.press("t", "t")
        rows = chart(lab, "#view-rnn").rows
        assert len(rows) == 100 and "t100" in drawn(lab, "#view-rnn")[-1]


async def test_activation_view_prints_the_derivative_maximum():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "activation-curves")
        assert lab.view == "curves" and lab.config.activation == "sigmoid"
        assert "max sigmoid'(x) = 0.25, at x = 0" in reading(lab)
        await pilot.press("a")
        assert "max tanh'(x) = 1," in reading(lab)


@pytest.mark.parametrize(
    ("preset_id", "view"),
    [
        ("sigmoid-10", "bars"),
        ("compare-activations", "compare"),
        ("train-deep-sigmoid", "train"),
        ("rnn-tanh-25", "rnn"),
        ("activation-curves", "curves"),
    ],
)
async def test_a_preset_opens_its_view_with_its_look_for_line(preset_id, view):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, preset_id)
        assert lab.view == view
        assert lab.query_one("#lab-views").current == f"view-{view}"
        look_for = str(lab.query_one("#lab-look-for").render())
        assert lab.state.preset.look_for[:40] in look_for.replace("\n", " ")
        await pilot.press("v")  # another view: the preset's look-for line makes way
        assert not lab.query_one("#lab-look-for").display
        lab.action_cancel()


async def test_a_diverging_run_is_marked_without_exceptions():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "train-exploding")
        assert lab.train_result.diverged_at is not None
        assert reading(lab).startswith(f"! diverged at step {lab.train_result.diverged_at}")


async def test_depth_200_is_drawn_on_one_screen_with_an_underflow_sentence():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        await pilot.press("I", "I")  # the tiny N(0, 0.01^2) init
        while lab.config.depth < 200:
            await pilot.press("d")
        await settle(pilot)
        assert len(chart(lab).rows) == 201
        assert lab.query_one("#view-bars", ProfileView).mode == "line"
        assert "underflowed to exactly 0" in reading(lab) and "10^" not in reading(lab)


async def test_an_overflow_is_marked_on_the_bars_and_under_them(monkeypatch):
    """float64 overflow (inf/NaN) is flagged where it happens, never raised."""
    import lessons.lab.profile as profile_module

    real = profile_module.run_profile

    def overflowing(cfg, data="random"):
        profile = real(cfg, data)
        layers = [replace(s, weight_grad_norm=None) if s.layer <= 3 else s for s in profile.layers]
        return replace(profile, layers=tuple(layers), weight_log10_ratio=None, overflow_layer=3)

    monkeypatch.setattr(profile_module, "run_profile", overflowing)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        assert reading(lab).startswith("! overflow at layer 3")
        assert any("L3 !" in line for line in drawn(lab))


async def test_the_train_view_tells_its_lines_apart_and_draws_the_chance_line():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "train-deep-sigmoid")
        key = str(lab.query_one("#train-norms-key").render())
        assert "* L1  o L5  + L10" in key
        drawn_norms = lab.query_one("#train-norms", LinePlot).render().plain
        assert all(marker in drawn_norms for marker in "*o+")
        assert "chance ln 2 = 0.693" in str(lab.query_one("#train-loss-key").render())
        drawn_loss = lab.query_one("#train-loss", LinePlot).render().plain
        assert "-----" in drawn_loss and "step (log scale)" in drawn_loss
        moved = chart(lab, "#train-moved")
        assert moved.rows == (*(f"L{i}" for i in range(1, lab.config.depth + 1)), "out")


SCENES = {
    "bars": ("sigmoid-10", ()),
    "ghost": ("sigmoid-10", ("a",)),
    "compare": ("compare-activations", ()),
    "train": ("train-deep-sigmoid", ()),
    "rnn": ("rnn-tanh-25", ()),
    "rnn-T100": ("rnn-tanh-25", ("t", "t")),
    "curves": ("activation-curves", ()),
    "depth-50": ("sigmoid-10", ("d", "d", "d")),
    "depth-200": ("sigmoid-10", ("d", "d", "d", "d", "d")),
}
"""Every view, and the deep nets and long sequences that must fit one screen."""


@pytest.mark.parametrize("ascii_only", [False, True], ids=["unicode", "ascii"])
@pytest.mark.parametrize("size", [SIZE, BIG], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scene", list(SCENES))
class TestLabSnapshots:
    def test_view(self, snap_compare, scene, size, ascii_only):
        preset_id, keys = SCENES[scene]

        async def open_view(pilot) -> None:
            await open_lab(pilot, preset_id)
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            await pilot.pause(0.3)  # a busy machine: let the last layout pass land

        app = make_app(ascii_plots=ascii_only)
        assert snap_compare(app, run_before=open_view, terminal_size=size)


async def test_a_key_that_would_take_the_net_over_its_budget_is_refused_with_a_notice():
    from lessons.lab.config import budget_problem

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        big = replace(lab.settings.net, batch=4096, width=256, depth=10)
        assert budget_problem(big) is None
        assert budget_problem(replace(big, depth=20)) is not None
        lab.state.apply(replace(lab.settings, net=big))
        notices_before = len(app._notifications)
        await pilot.press("d")
        await pilot.pause()
        assert lab.settings.net.depth == 10
        notices = list(app._notifications)[notices_before:]
        assert any("Not run: batch: too big a run" in n.message for n in notices)
