"""The lab: a real numpy net's per-layer gradient norms, redrawn as the learner changes it."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from lessons.lab.config import ACTIVATIONS, METRICS, NetConfig, TrainConfig
from lessons.pack import Lesson, Pack, Preset
from lessons.progress import lesson_key
from tui.charts import Bars
from tui.widgets.gradient_bars import GradientBars

METRIC_TITLES = {
    "weight": "weight gradient ||dL/dW|| per layer (Frobenius, log10)",
    "signal": "backward signal ||dL/dh|| per layer (Frobenius, log10)",
}


def _cycle(options: tuple[str, ...], current: str) -> str:
    return options[(options.index(current) + 1) % len(options)]


class LabScreen(Screen[None]):
    BINDINGS = [
        Binding("a", "next_activation", "Activation"),
        Binding("m", "next_metric", "Weight/signal"),
        Binding("z", "quiz", "Quiz", show=False),
        Binding("escape,b", "back", "Back", key_display="esc"),
    ]

    config: reactive[NetConfig] = reactive(NetConfig, init=False)
    metric: reactive[str] = reactive("weight", init=False)

    def __init__(self, pack: Pack, lesson: Lesson, preset_id: str | None = None) -> None:
        super().__init__()
        self.pack = pack
        self.lesson = lesson
        preset: Preset | None = pack.presets.get(preset_id or lesson.presets[0])
        self.preset = preset
        config = preset.config if preset is not None else NetConfig()
        if isinstance(config, TrainConfig):
            config = config.net
        self.set_reactive(LabScreen.config, config if isinstance(config, NetConfig) else NetConfig())
        if preset is not None:
            self.set_reactive(LabScreen.metric, preset.metric)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="lab-config")
        if self.preset is not None:
            yield Static(f"Look for: {self.preset.look_for}", id="lab-look-for", markup=False)
        with VerticalScroll(id="lab-chart"):
            yield GradientBars(ascii_only=self.app.ascii_plots, id="lab-bars")
        yield Static(id="lab-reading")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Lab" if self.preset is None else f"Lab: {self.preset.title}"
        self.redraw()
        key = lesson_key(self.pack.id, self.lesson.id)
        self.app.record(lambda progress: progress.mark_lab_visited(key))

    def watch_config(self) -> None:
        self.redraw()

    def watch_metric(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        from lessons.lab.profile import one_line_reading, run_profile

        cfg = self.config
        profile = run_profile(cfg)
        self.query_one(GradientBars).show(_bars(profile, self.metric))
        fixes = cfg.fix if cfg.fix != "none" else "no fixes"
        self.query_one("#lab-config", Static).update(
            f"[b]{cfg.activation}[/b] · {cfg.init} init · depth {cfg.depth} · "
            f"width {cfg.width} · {fixes} · seed {cfg.seed}"
        )
        self.query_one("#lab-reading", Static).update(one_line_reading(profile, self.metric))

    def action_next_activation(self) -> None:
        self.config = replace(self.config, activation=_cycle(ACTIVATIONS, self.config.activation))

    def action_next_metric(self) -> None:
        self.metric = _cycle(METRICS, self.metric)

    def action_quiz(self) -> None:
        from tui.screens.quiz import QuizScreen

        self.app.switch_screen(QuizScreen(self.pack, self.lesson))

    def action_back(self) -> None:
        self.dismiss()


def _bars(profile, metric: str) -> Bars:  # noqa: ANN001 - GradientProfile, imported lazily
    layers = profile.layers
    if metric == "signal":
        layers = [layer for layer in layers if layer.signal_grad_norm is not None]
        norms = tuple(layer.signal_grad_norm for layer in layers)
    else:
        norms = tuple(layer.weight_grad_norm for layer in layers)
    depth = profile.config.depth
    labels = tuple("out" if layer.layer > depth else f"L{layer.layer}" for layer in layers)
    return Bars(labels=labels, norms=norms, title=METRIC_TITLES[metric])
