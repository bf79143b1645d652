"""The lab: a real numpy net in five views, redrawn as the learner changes its settings.

The screen holds one lessons.lab.lab_state.LabState and does three things with it:
turns a key into new settings (KEY_ACTIONS, here, with the widgets it composes), gets
the result the view lacks and hands the view's widget the model lessons.lab.lab_views
builds (LabDrawing, tui/screens/lab_drawing.py). Training runs only on enter (or when
a training preset opens), never because a setting changed (LabTraining).

In exercise mode the lab starts from the exercise's settings, refuses changes to the
ones it locks, and checks the goal against the result it already shows (never a
second run), recording the exercise as done the first time the goal is met.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import ContentSwitcher, Footer, Header, Static
from textual.worker import Worker

from lessons.exercise_goals import Exercise, locked_changes
from lessons.lab.config import NetConfig, RNNConfig, TrainConfig, budget_problem
from lessons.lab.lab_state import (
    KEY_ACTIONS,
    VIEWS,
    VIEWS_OF_ACTION,
    LabSettings,
    LabState,
    Opening,
    opening_settings,
    train_key,
)
from lessons.pack import Lesson, Pack, Preset
from lessons.progress import lesson_key
from tui.navigation import QuizPage
from tui.screens.lab_drawing import LabDrawing
from tui.screens.lab_exercise import LabExercise, exercise_config
from tui.screens.lab_training import LabTraining
from tui.screens.tutor_screen import TutorScreen
from tui.widgets.compare_table import CompareTable
from tui.widgets.curve_view import CurveView
from tui.widgets.exercise_panel import ExercisePanel
from tui.widgets.lab_controls import LabControls
from tui.widgets.line_plot import LinePlot
from tui.widgets.profile_view import ProfileView
from tui.widgets.train_health import TrainHealthView
from tui.widgets.train_view import TrainView
from tui.widgets.why_view import WhyView

SETTING_NAMES = {
    "batchnorm": "batch norm",
    "layernorm": "layer norm",
    "residual": "residual (skip connections)",
    "lr": "the learning rate",
    "clip_norm": "clipping",
    "clip_value": "clipping",
    "seq_len": "the sequence length",
    "forget_bias": "the forget-gate bias",
    "recurrent_init": "the recurrent init",
}
"""How a locked setting is named in the notice refusing a change to it."""
FOCUS = {
    "bars": "#view-bars",
    "compare": "#compare-table",
    "train": "#view-train",
    "rnn": "#view-rnn",
    "why": "#view-why",
}


def _key(key: str, action: str, delta: int, description: str) -> Binding:
    return Binding(key, f"setting('{action}', {delta})", description, show=False)


class LabScreen(LabDrawing, LabTraining, LabExercise, TutorScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", key_display="esc"),
        Binding("v", "setting('cycle_view', 1)", "View"),
        _key("V", "cycle_view", -1, "Previous view"),
        *(_key(str(i), "view", i - 1, v) for i, v in enumerate(VIEWS, 1)),
        _key("a", "next_activation", 1, "Activation"),
        _key("A", "next_activation", -1, "Previous activation"),
        _key("i", "next_init", 1, "Init"),
        _key("I", "next_init", -1, "Previous init"),
        _key("d", "depth", 1, "Deeper"),
        _key("D", "depth", -1, "Shallower"),
        _key("w", "width", 1, "Wider"),
        _key("W", "width", -1, "Narrower"),
        _key("b", "toggle_batchnorm", 1, "Batch norm"),
        _key("B", "toggle_layernorm", 1, "Layer norm"),
        _key("r", "toggle_residual", 1, "Residual"),
        _key("s", "seed", 1, "Next seed"),
        _key("S", "seed", -1, "Previous seed"),
        Binding("m", "setting('next_metric', 1)", "Weight/signal"),
        _key("g", "next_axis", 1, "Compare by"),
        _key("G", "next_axis", -1, "Compare by"),
        _key("y", "next_plot", 1, "Bars/line"),
        _key("F", "toggle_float16", 1, "float16 guide"),
        _key("c", "next_clip", 1, "Clipping"),
        _key("C", "next_clip", -1, "Clipping"),
        _key("o", "next_optimizer", 1, "Optimizer"),
        _key("l", "rate", 1, "Larger step"),
        _key("L", "rate", -1, "Smaller step"),
        _key("n", "next_cell", 1, "Cell"),
        _key("N", "next_cell", -1, "Previous cell"),
        _key("t", "seq_len", 1, "Longer"),
        _key("T", "seq_len", -1, "Shorter"),
        _key("f", "toggle_forget_bias", 1, "Forget bias"),
        Binding("e", "refit", "Re-fit axis", show=False),
        Binding("p", "preset(1)", "Next preset", show=False),
        Binding("P", "preset(-1)", "Previous preset", show=False),
        Binding("enter", "run", "Run", show=False),
        Binding("x", "cancel", "Stop", show=False),
        Binding("u", "train_panels", "Panels", show=False),
        Binding("z", "quiz", "Quiz", show=False),
        Binding("h", "hint(1)", "Hint"),
        Binding("H", "hint(-1)", "Previous hint", show=False),
    ]

    def __init__(
        self,
        pack: Pack,
        lesson: Lesson | None,
        preset_id: str | None = None,
        exercise_id: str | None = None,
    ) -> None:
        """`exercise_id` opens one of the pack's exercises (its preset is then ignored);
        `lesson` may be None only for an exercise that belongs to no lesson."""
        super().__init__()
        self.pack, self.lesson = pack, lesson
        exercise = pack.exercises[exercise_id] if exercise_id is not None else None
        self.exercise: Exercise | None = exercise
        if exercise is not None:
            self.state = LabState(opening_settings(exercise.kind, exercise.start))
        elif lesson is not None:
            presets = [pack.presets[p] for p in lesson.presets if p in pack.presets]
            openings = [
                Opening(
                    p.id,
                    p.title,
                    p.look_for,
                    opening_settings(p.kind, p.config, p.metric, p.compare),
                )
                for p in presets
            ]
            ids = [o.id for o in openings]
            first = ids.index(preset_id) if preset_id in ids else 0
            self.state = LabState.from_openings(openings, first)
        else:
            self.state = LabState(LabSettings())
        self._run = 0
        self._progress = None
        """(train key, records so far, total steps) of the run going on."""
        self._train_shown: tuple[Any, ...] | None = None
        """The key of the run the train view shows (it may be for other settings)."""
        self._train_worker: Worker[None] | None = None
        self._compare_shown: tuple[Any, ...] | None = None
        """The comparison on the table: a new one puts the cursor on the current setting."""
        self.hint_shown = 0
        """The exercise hint on show: 0 is the task, 1 the first hint, and so on."""

    @property
    def settings(self) -> LabSettings:
        return self.state.settings

    @property
    def view(self) -> str:
        return self.settings.view

    @property
    def config(self) -> NetConfig:
        return self.settings.net

    @property
    def train_config(self) -> TrainConfig:
        return self.settings.train

    @property
    def rnn_config(self) -> RNNConfig:
        return self.settings.rnn

    @property
    def preset(self) -> Preset | None:
        """The pack's preset last opened or restored (None in an exercise)."""
        opening = self.state.preset
        return None if opening is None else self.pack.presets[opening.id]

    @property
    def train_result(self) -> Any:
        """The finished (or stopped) run of the current training settings, if any."""
        return self.state.result(train_key(self.settings))

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        ascii_only = self.tutor.ascii_plots
        yield Header()
        yield Static(id="lab-look-for", markup=False)
        if self.exercise is not None:
            yield ExercisePanel(id="lab-exercise")
        yield LabControls(id="lab-controls")
        with ContentSwitcher(initial=f"view-{self.settings.view}", id="lab-views"):
            yield ProfileView(ascii_only=ascii_only, id="view-bars")
            with Horizontal(id="view-compare"):
                yield CompareTable(id="compare-table")
                yield ProfileView(ascii_only=ascii_only, id="compare-chart")
                yield LinePlot(ascii_only=ascii_only, id="compare-depths")
            with ContentSwitcher(initial="train-curves", id="view-train"):
                yield TrainView(ascii_only=ascii_only, id="train-curves")
                yield TrainHealthView(ascii_only=ascii_only, id="train-health")
            yield ProfileView(ascii_only=ascii_only, id="view-rnn")
            yield CurveView(ascii_only=ascii_only, id="view-curves")
            yield WhyView(ascii_only=ascii_only, id="view-why")
        yield Static(id="lab-reading")
        yield Footer()

    def on_mount(self) -> None:
        if self.exercise is not None:
            self.query_one(ExercisePanel).show_note(self.exercise, self.hint_shown)
        self._opened()
        if self.lesson is not None:
            key = lesson_key(self.pack.id, self.lesson.id)
            self.tutor.record(lambda progress: progress.mark_lab_visited(key))

    def _opened(self) -> None:
        """After opening or restoring a preset: draw, focus, and run a training preset."""
        self.redraw()
        self._focus_view()
        if self.settings.view == "train":
            self.action_run()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hint":
            return self.exercise is not None
        if action == "quiz":
            return self.lesson is not None
        if action == "preset":
            return len(self.state.openings) > 1
        if action == "train_panels":
            return self.settings.view == "train"
        name = str(parameters[0]) if action == "setting" and parameters else action
        views = VIEWS_OF_ACTION.get(name)
        return views is None or self.settings.view in views

    # -- keys ----------------------------------------------------------------------

    def action_setting(self, action: str, delta: int) -> None:
        new = KEY_ACTIONS[action](self.settings, delta)
        if self.exercise is not None:
            changed = locked_changes(self.exercise, exercise_config(self.exercise, new))
            if changed:
                name = SETTING_NAMES.get(changed[0], changed[0])
                self.notify(f"{name} is fixed in this exercise", severity="warning", timeout=3)
                return
        runs: list[NetConfig | TrainConfig | RNNConfig] = [new.net, new.rnn]
        if new.view == "train":
            runs.append(new.train)
        problem = next((p for p in map(budget_problem, runs) if p is not None), None)
        if problem is not None:
            self.notify(f"Not run: {problem}", severity="warning", timeout=5, markup=False)
            return
        view = self.settings.view
        if self.state.apply(new):
            self.redraw()
            if new.view != view:
                self.refresh_bindings()
                self._focus_view()

    def _focus_view(self) -> None:
        focus = FOCUS.get(self.settings.view)
        self.set_focus(self.query_one(focus) if focus else None)

    def action_refit(self) -> None:
        self.state.refit(self.settings.view)
        self.redraw()

    def action_preset(self, delta: int) -> None:
        index = (self.state.opening or 0) + delta
        self.state.restore(index)
        self.refresh_bindings()
        self._opened()

    def action_quiz(self) -> None:
        if self.lesson is not None:
            self.tutor.nav.visit(QuizPage(self.pack, self.lesson))

    def help_topic(self) -> str:
        """The help opens on this view's keys and what each of its elements means."""
        return f"lab/{self.view}"

    def action_back(self) -> None:
        """Escape stops a running training first; pressed again, it leaves the lab."""
        if self.training():
            self.action_cancel()
        else:
            self.dismiss()
