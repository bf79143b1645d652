"""The course map: every lesson in order; enter opens one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from lessons.pack import Lesson, Pack


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "open_lesson", "Open", show=True),
        Binding("l", "open_lab", "Lab"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Pick a lesson with ↑/↓ and press enter. Each lesson has a quiz and a lab.",
            id="home-intro",
        )
        yield OptionList(*self._options(), id="lesson-list")
        yield Footer()

    def _options(self) -> list[Option]:
        options = []
        for number, (pack, lesson) in enumerate(self.app.course.lessons(), start=1):
            options.append(Option(f"{number:>2}. {lesson.title}", id=_key(pack, lesson)))
        return options

    def _selected(self) -> tuple[Pack, Lesson] | None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is None:
            return None
        return self.app.course.lessons()[option_list.highlighted]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_lesson()

    def action_open_lesson(self) -> None:
        from tui.screens.lesson import LessonScreen

        selected = self._selected()
        if selected is not None:
            self.app.push_screen(LessonScreen(*selected))

    def action_open_lab(self) -> None:
        from tui.screens.lab import LabScreen

        selected = self._selected()
        if selected is not None:
            pack, lesson = selected
            self.app.push_screen(LabScreen(pack.presets[lesson.presets[0]]))


def _key(pack: Pack, lesson: Lesson) -> str:
    return f"{pack.id}/{lesson.id}"
