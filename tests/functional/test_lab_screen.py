"""The lab at 80x24, by keyboard: every control, every view, presets, workers, overflow."""

from dataclasses import replace

import pytest

from lessons.lab.config import ACTIVATIONS, INITS, RNNConfig
from tui.app import make_app
from tui.screens.lab import LabScreen
from tui.widgets.compare_table import CompareTable
from tui.widgets.gradient_bars import GradientBars
from tui.widgets.line_plot import LinePlot

SIZE = (80, 24)


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


def bars(lab: LabScreen, selector: str = "#lab-bars"):
    return lab.query_one(selector, GradientBars).bars


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
            config, norms = lab.config, bars(lab).norms
            await pilot.press(key)
            await settle(pilot)
            assert getattr(lab.config, field) != getattr(config, field), key
            assert bars(lab).norms != norms, key
        assert str(lab.config.depth) in str(lab.query_one("#lab-controls").render())


async def test_metric_switch_changes_the_title_and_drops_the_output_bar():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        assert lab.metric == "weight"
        weight = bars(lab)
        await pilot.press("m")
        signal = bars(lab)
        assert lab.metric == "signal"
        assert "dL/dh" in signal.title and "dL/dW" in weight.title
        assert len(weight.labels) == lab.config.depth + 1
        assert len(signal.labels) == lab.config.depth
        assert "out" not in signal.labels


async def test_depth_50_scrolls_and_labels_every_layer():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        while lab.config.depth < 50:
            await pilot.press("d")
        assert lab.config.depth == 50
        assert bars(lab).labels == (*(f"L{i}" for i in range(1, 51)), "out")
        scroll = lab.query_one("#view-bars")
        assert scroll.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y > 0


async def test_compare_view_has_one_row_per_activation_and_follows_the_pick():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        await pilot.press("2")
        await settle(pilot)
        table = lab.query_one(CompareTable)
        assert [row.label for row in table.rows] == list(ACTIVATIONS)
        assert bars(lab, "#compare-bars").title.startswith("sigmoid")
        await pilot.press("down")
        assert bars(lab, "#compare-bars").title.startswith("tanh")
        assert reading(lab).startswith("tanh:")
        await pilot.press("g")
        await settle(pilot)
        assert [row.label for row in table.rows] == list(INITS)
        await pilot.press("g")
        await settle(pilot)
        assert [row.label for row in table.rows] == ["plain", "BN", "res", "BN+res"]


async def test_training_runs_in_a_worker_and_shows_the_loss():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        lab.train_config = replace(lab.train_config, steps=20)
        await pilot.press("3")
        await settle(pilot)
        result = lab.train_result
        assert result.steps_done == 20 and not result.cancelled
        assert "in 20 steps" in reading(lab) and "loss" in reading(lab)
        loss = lab.query_one("#train-loss", LinePlot).lines.series[0]
        assert loss.xs[-1] == 20 and len(loss.ys) == 20
        moved = bars(lab, "#train-moved")
        assert moved.labels[0] == "L1" and len(moved.norms) == lab.config.depth + 1
        for key, field in [("c", "clip_norm"), ("o", "optimizer"), ("l", "lr")]:
            before = lab.train_config
            await pilot.press(key)
            await settle(pilot)
            assert getattr(lab.train_config, field) != getattr(before, field), key
            assert lab.train_result.config == lab.train_config, key


async def test_cancel_stops_a_long_run_and_escape_does_not_leave_while_training():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        lab.train_config = replace(lab.train_config, steps=100_000)
        await pilot.press("3")
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
        assert lab.train_result.cancelled
        assert lab.train_result.steps_done < 100_000
        assert "stopped at step" in reading(lab)
        await pilot.press("enter")  # run again, then x stops it
        await pilot.pause(0.3)
        await pilot.press("x")
        await settle(pilot)
        assert lab.train_result.cancelled


async def test_recurrent_view_has_one_bar_per_step_and_follows_the_cell():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "rnn-tanh-25")
        assert lab.view == "rnn"
        rnn = bars(lab, "#rnn-bars")
        assert rnn.labels == tuple(f"t{t}" for t in range(1, 26))
        await pilot.press("n")
        assert lab.rnn_config.cell == "lstm"
        assert bars(lab, "#rnn-bars").norms != rnn.norms
        assert "(lstm)" in reading(lab)
        await pilot.press("t", "f")
        assert lab.rnn_config == replace(
            RNNConfig(cell="lstm", seq_len=50, forget_bias=1.0), seed=lab.rnn_config.seed
        )
        assert len(bars(lab, "#rnn-bars").labels) == 50


async def test_activation_view_prints_the_derivative_maximum():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "activation-curves")
        assert lab.view == "curves" and lab.config.activation == "sigmoid"
        assert "max sigmoid'(x) = 0.25, at x = 0" in reading(lab)
        series = lab.query_one("#curve-plot", LinePlot).lines.series
        assert [s.label for s in series] == ["sigmoid(x)", "sigmoid'(x)"]
        await pilot.press("a")
        assert "max tanh'(x) = 1," in reading(lab)
        await pilot.press("a")
        assert "max relu'(x) = 1, for every x > 0" in reading(lab)


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
        assert lab.preset.look_for[:40] in look_for.replace("\n", " ")
        await pilot.press("v")  # another view: the preset's look-for line makes way
        assert not lab.query_one("#lab-look-for").display
        lab.action_cancel()


async def test_a_diverging_run_is_marked_without_exceptions():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "train-exploding")
        assert lab.train_result.diverged_at is not None
        assert reading(lab).startswith(f"! diverged at step {lab.train_result.diverged_at}")


async def test_an_exploding_profile_is_drawn_without_exceptions():
    """Standard N(0, 1) init at depth 200: tanh's gradient grows ~60 decades toward layer 1."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        await pilot.press("I", "a")  # xavier -> standard, sigmoid -> tanh
        while lab.config.depth < 200:
            await pilot.press("d")
        await settle(pilot)
        config = lab.config
        assert (config.init, config.activation, config.depth) == ("standard", "tanh", 200)
        assert len(bars(lab).labels) == 201
        assert "layer 1 gets 10^+" in reading(lab)


async def test_an_overflow_is_marked_on_the_bars_and_under_them(monkeypatch):
    """float64 overflow (inf/NaN) is flagged where it happens, never raised."""
    import lessons.lab.profile as profile_module

    real = profile_module.run_profile

    def overflowing(cfg):
        profile = real(cfg)
        layers = [replace(s, weight_grad_norm=None) if s.layer <= 3 else s for s in profile.layers]
        return replace(profile, layers=tuple(layers), weight_log10_ratio=None, overflow_layer=3)

    monkeypatch.setattr(profile_module, "run_profile", overflowing)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "sigmoid-10")
        assert reading(lab).startswith("! overflow at layer 3")
        chart = lab.query_one("#lab-bars", GradientBars)
        assert "L3 !" in chart.render().plain


LAB_VIEWS = {
    "bars": "sigmoid-10",
    "compare": "compare-activations",
    "training": "train-deep-sigmoid",
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("view", list(LAB_VIEWS))
class TestLabSnapshots:
    def test_view(self, snap_compare, view, size):
        async def open_view(pilot) -> None:
            await open_lab(pilot, LAB_VIEWS[view])

        assert snap_compare(make_app(), run_before=open_view, terminal_size=size)


async def test_a_loss_spanning_many_decades_is_drawn_as_its_log10():
    """The clipped explosion falls to ~1e-50: a log-scale plot would stay blank."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot, "train-exploding-clipped")
        plot = lab.query_one("#train-loss", LinePlot)
        assert plot.lines.title.startswith("log10 loss")
        assert min(plot.lines.series[0].ys) < -10
        drawn = str(plot.render())
        assert any("\u2800" < ch <= "\u28ff" for ch in drawn)  # braille dots of the curve
