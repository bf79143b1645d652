"""The lab's exercise mode: locked settings, the goal line, hints.

A mixin of LabScreen: it reads the screen's LabState and its widgets, and checks the
goal against the result already on screen (never a second run).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lessons.course_path import exercise_done
from lessons.exercise_goals import Config, Exercise, ExerciseCheck, check_exercise
from lessons.lab.lab_state import LabSettings, LabState, profile_key, rnn_key, train_key
from lessons.progress import lesson_key
from tui.widgets.exercise_panel import ExercisePanel

if TYPE_CHECKING:
    from lessons.lab.train import StepRecord
    from tui.screens.tutor_screen import TutorScreen

    _Base = TutorScreen
else:
    _Base = object


class LabExercise(_Base):
    exercise: Exercise | None
    state: LabState
    hint_shown: int
    _progress: tuple[tuple[Any, ...], tuple[StepRecord, ...], int] | None

    @property
    def settings(self) -> LabSettings:
        return self.state.settings

    def _show_controls(self) -> None:
        raise NotImplementedError

    def _locked_here(self) -> set[str]:
        """The exercise's locked settings, if the current view's controls change them."""
        exercise = self.exercise
        if exercise is None or (self.settings.view == "rnn") != (exercise.kind == "rnn"):
            return set()
        return set(exercise.locked)

    def _goal_check(self) -> ExerciseCheck | str:
        """The verdict on the result already on screen, or why there is none yet."""
        assert self.exercise is not None
        s, kind = self.settings, self.exercise.kind
        config = exercise_config(self.exercise, s)
        if kind == "rnn":
            profiles = self.state.result(rnn_key(s))
            result = None if profiles is None else profiles[s.rnn.cell]
            elsewhere = "measured in the rnn view (4)"
        elif kind == "train":
            result = self.state.result(train_key(s))
            if self._progress is not None and self._progress[0] == train_key(s):
                return "checked when this run finishes"
            if result is not None and result.cancelled:
                return "the run was stopped; enter runs it again"
            elsewhere = "measured by a run in the train view (3): press enter"
        else:
            if self.state.cache.pending(profile_key(s)):
                return "measuring..."
            result = self.state.result(profile_key(s))
            elsewhere = "measured in the bars view (1)"
        if result is None or result.config != config:
            return elsewhere
        return check_exercise(self.exercise, config, result)

    def _show_goal(self) -> None:
        """Update the goal line; the first time the goal is met, record it and say so."""
        exercise = self.exercise
        if exercise is None:
            return
        check = self._goal_check()
        panel = self.query_one(ExercisePanel)
        if isinstance(check, str):
            panel.show_goal(None, check)
            return
        panel.show_goal(check)
        if check.met and not exercise_done(self.tutor.progress, exercise):
            key = lesson_key(exercise.pack_id, exercise.id)
            self.tutor.record(lambda progress: progress.mark_exercise_done(key))
            self.notify(f"{exercise.title}: saved as done.", title="Exercise done", markup=False)

    def action_hint(self, delta: int) -> None:
        """Show the next hint (revealing it) or go back toward the task."""
        if self.exercise is None:
            return
        last = len(self.exercise.hints)
        if delta > 0 and self.hint_shown == last:
            self.notify("That was the last hint.", timeout=3)
            return
        self.hint_shown = min(max(self.hint_shown + delta, 0), last)
        self.query_one(ExercisePanel).show_note(self.exercise, self.hint_shown)
        self._show_controls()


def exercise_config(exercise: Exercise, s: LabSettings) -> Config:
    """The settings an exercise measures, read from the lab's settings."""
    if exercise.kind == "rnn":
        return s.rnn
    if exercise.kind == "train":
        return s.train
    return s.net
