"""A list of lab exercises, each marked when done; enter opens one in the lab.

The course map lists every exercise of the course, a lesson only its own. The
highlighted exercise's task is shown in full under the list, as plain text (pack text
is data, never markup).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from lessons.exercises import Exercise
from lessons.pack import Lesson, Pack
from lessons.progress import Progress, lesson_key

TITLE_WIDTH = 48
LESSON_WIDTH = 25
"""Row columns: a done mark, the exercise's title, its lesson (76 cells in all)."""


def lesson_exercises(pack: Pack, lesson: Lesson) -> list[Exercise]:
    """The pack's exercises that belong to `lesson`, in file order."""
    return [exercise for exercise in pack.exercises.values() if exercise.lesson == lesson.id]


def exercise_done(progress: Progress, exercise: Exercise) -> bool:
    entry = progress.exercises.get(lesson_key(exercise.pack_id, exercise.id))
    return entry is not None and entry.done


def open_exercise(screen: Screen[object], pack: Pack, exercise: Exercise) -> None:
    """Push the lab in exercise mode (with the exercise's lesson, if it names one)."""
    from tui.screens.lab import LabScreen

    lesson = pack.lesson(exercise.lesson) if exercise.lesson is not None else None
    screen.app.push_screen(LabScreen(pack, lesson, exercise_id=exercise.id))


def _fit(text: str, width: int) -> str:
    """`text` padded to `width`, or cut with an ellipsis to fit it."""
    return f"{text:<{width}}" if len(text) <= width else text[: width - 1] + "…"


class ExercisesScreen(Screen[None]):
    BINDINGS = [Binding("escape", "back", "Back", key_display="esc")]

    def __init__(self, packs: Sequence[Pack], lesson: Lesson | None = None) -> None:
        """Every exercise of `packs`, or only `lesson`'s (then `packs` is its one pack)."""
        super().__init__()
        self.items = [
            (pack, exercise)
            for pack in packs
            for exercise in pack.exercises.values()
            if lesson is None or exercise.lesson == lesson.id
        ]
        self.lesson = lesson
        self.several_packs = len({pack.id for pack, _ in self.items}) > 1

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Lab challenges: change the settings until the goal is met. ✓ marks the ones "
            "you have done; enter opens one.",
            id="exercises-intro",
        )
        yield OptionList(id="exercise-list", markup=False)
        yield Static(id="exercise-task", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Exercises" if self.lesson is None else f"Exercises: {self.lesson.title}"
        self.refresh_marks()
        if not self.items:
            self.query_one("#exercise-task", Static).update("No exercises here yet.")

    def on_screen_resume(self) -> None:
        self.refresh_marks()

    def refresh_marks(self) -> None:
        option_list = self.query_one(OptionList)
        highlighted = option_list.highlighted
        option_list.clear_options()
        option_list.add_options(self._options(self.app.progress))
        first = next((i for i, o in enumerate(option_list.options) if not o.disabled), None)
        option_list.highlighted = highlighted if highlighted is not None else first

    def _options(self, progress: Progress) -> list[Option]:
        options: list[Option] = []
        for index, (pack, exercise) in enumerate(self.items):
            if self.several_packs and (index == 0 or self.items[index - 1][0] is not pack):
                options.append(Option(pack.title, id=f"pack:{pack.id}", disabled=True))
            mark = "✓" if exercise_done(progress, exercise) else "·"
            where = ""
            if exercise.lesson is not None:
                lesson = pack.lesson(exercise.lesson)
                where = f"{pack.lessons.index(lesson) + 1}. {lesson.title}"
            label = f"{mark} {_fit(exercise.title, TITLE_WIDTH)} {_fit(where, LESSON_WIDTH)}"
            options.append(Option(label.rstrip(), id=str(index)))
        return options

    def _item(self, option: Option) -> tuple[Pack, Exercise] | None:
        if option.id is None or option.id.startswith("pack:"):
            return None
        return self.items[int(option.id)]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        item = self._item(event.option)
        if item is not None:
            self.query_one("#exercise-task", Static).update(item[1].task)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self._item(event.option)
        if item is not None:
            open_exercise(self, *item)

    def action_back(self) -> None:
        self.dismiss()
