"""A list of lab exercises, each marked when done; enter opens one in the lab.

The course map lists every exercise of the course, a lesson only its own. The
highlighted exercise's task is shown in full under the list, as plain text (pack text
is data, never markup).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from lessons.course_path import exercise_done, lesson_exercises, lesson_number
from lessons.exercise_goals import Exercise
from lessons.pack import Lesson, Pack
from lessons.progress import Progress
from tui.navigation import ExercisePage
from tui.screens.tutor_screen import TutorScreen
from tui.widgets.pick_list import PickList

__all__ = ["ExercisesScreen", "course_order", "exercise_done", "lesson_exercises"]


def course_order(
    packs: Sequence[Pack], lesson: Lesson | None = None
) -> list[tuple[Pack, Exercise]]:
    """The exercises of `packs` (or of `lesson` only) grouped by lesson, in course order.

    Within a lesson they keep their file order; exercises that belong to no lesson
    come last in their pack.
    """
    items: list[tuple[Pack, Exercise]] = []
    for pack in packs:
        lessons = [lesson] if lesson is not None else list(pack.lessons)
        for entry in lessons:
            items += [(pack, exercise) for exercise in lesson_exercises(pack, entry)]
        if lesson is None:
            items += [(pack, e) for e in pack.exercises.values() if e.lesson is None]
    return items


class ExercisesScreen(TutorScreen):
    BINDINGS = [Binding("escape", "back", "Back", key_display="esc")]

    def __init__(self, packs: Sequence[Pack], lesson: Lesson | None = None) -> None:
        """Every exercise of `packs`, or only `lesson`'s (then `packs` is its one pack)."""
        super().__init__()
        self.items = course_order(packs, lesson)
        self.lesson = lesson
        self.several_packs = len({pack.id for pack, _ in self.items}) > 1

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Lab challenges: change the settings until the goal is met. ✓ marks the ones "
            "you have done; enter opens one.",
            id="exercises-intro",
        )
        yield PickList(id="exercise-list", markup=False)
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
        option_list.add_options(self._options(self.tutor.progress))
        first = next((i for i, o in enumerate(option_list.options) if not o.disabled), None)
        option_list.highlighted = highlighted if highlighted is not None else first

    def _options(self, progress: Progress) -> list[Option]:
        """Pack titles (with several packs) and lesson headings, then the exercises.

        Headings are disabled options, so ↑/↓ skip them; long titles wrap.
        """
        options: list[Option] = []
        heading: tuple[str, str | None] | None = None
        for index, (pack, exercise) in enumerate(self.items):
            if self.several_packs and (index == 0 or self.items[index - 1][0] is not pack):
                options.append(Option(pack.title, id=f"pack:{pack.id}", disabled=True))
            if (pack.id, exercise.lesson) != heading:
                heading = (pack.id, exercise.lesson)
                if exercise.lesson is not None:
                    lesson = pack.lesson(exercise.lesson)
                    title = f"{lesson_number(pack, lesson)}. {lesson.title}"
                else:
                    title = "Not tied to a lesson"
                options.append(Option(title, id=f"lesson:{index}", disabled=True))
            mark = "✓" if exercise_done(progress, exercise) else "·"
            options.append(Option(f"  {mark} {exercise.title}", id=str(index)))
        return options

    def _item(self, option: Option) -> tuple[Pack, Exercise] | None:
        if option.id is None or not option.id.isdigit():
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
            pack, exercise = item
            self.tutor.nav.visit(ExercisePage(pack, exercise.id))

    def help_topic(self) -> str:
        return "exercises"

    def action_back(self) -> None:
        self.dismiss()
