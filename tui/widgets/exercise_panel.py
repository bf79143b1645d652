"""The lab's exercise strip: the task (or the hint asked for) and whether the goal is met.

Task and hints are pack text, so they are drawn as plain text, never as markup. The
goal line only formats the verdict `lessons.exercise_goals.check_exercise` gives; it never
measures anything itself.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from lessons.exercise_goals import Exercise, ExerciseCheck


def note_text(exercise: Exercise, hint: int) -> Text:
    """Hint 0 is the task itself; 1 to len(hints) are the hints, numbered."""
    if hint == 0:
        return Text(exercise.task)
    label = f"Hint {hint}/{len(exercise.hints)}: "
    return Text.assemble((label, "bold"), exercise.hints[hint - 1])


def goal_text(check: ExerciseCheck) -> Text:
    """ "✓ goal met: ..." or "✗ not yet: ..." from the checker's own message."""
    verdict, _, said = check.message.partition(": ")
    if check.met:
        return Text.assemble(("✓ goal met: ", "bold green"), said)
    if verdict == "not met":
        return Text.assemble(("✗ not yet: ", "bold yellow"), said)
    return Text.assemble(("✗ ", "bold yellow"), check.message)


class ExercisePanel(Vertical):
    """Two parts under the header: the task or a hint, then the goal line."""

    DEFAULT_CSS = """
    ExercisePanel {
        height: auto;
        padding: 0 1;
    }
    ExercisePanel > #exercise-note {
        max-height: 5;
    }
    ExercisePanel > #exercise-goal {
        max-height: 3;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="exercise-note", markup=False)
        yield Static(id="exercise-goal", markup=False)

    def show_note(self, exercise: Exercise, hint: int) -> None:
        self.query_one("#exercise-note", Static).update(note_text(exercise, hint))

    def show_goal(self, check: ExerciseCheck | None, waiting: str = "") -> None:
        """The verdict, or (without one yet) `waiting`: why there is nothing to check."""
        line = goal_text(check) if check is not None else Text(f"… goal: {waiting}", "dim")
        self.query_one("#exercise-goal", Static).update(line)
