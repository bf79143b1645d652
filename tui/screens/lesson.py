"""The lesson reader: one screen-sized Markdown page at a time."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, Static

from lessons.pack import Lesson, Pack
from lessons.progress import lesson_key
from tui.screens.exercises import ExercisesScreen, lesson_exercises, open_exercise


class LessonScreen(Screen[None]):
    BINDINGS = [
        Binding("right,n,space", "page(1)", "Next", key_display="→"),
        Binding("left,p", "page(-1)", "Prev", key_display="←"),
        Binding("z", "quiz", "Quiz"),
        Binding("l", "lab", "Lab"),
        Binding("e", "exercises", "Exercise"),
        Binding("escape,b", "back", "Back", key_display="esc"),
    ]

    page: reactive[int] = reactive(0, init=False)

    def __init__(self, pack: Pack, lesson: Lesson, page: int = 0) -> None:
        super().__init__()
        self.pack = pack
        self.lesson = lesson
        self.set_reactive(LessonScreen.page, min(max(page, 0), len(lesson.pages) - 1))
        self.exercises = lesson_exercises(pack, lesson)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="lesson-position")
        yield Markdown(self.lesson.pages[self.page], open_links=False, id="lesson-page")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.lesson.title
        self._show_position()
        self._record_page()

    def watch_page(self, page: int) -> None:
        self.query_one(Markdown).update(self.lesson.pages[page])
        self.query_one("#lesson-page").scroll_home(animate=False)
        self._show_position()
        self._record_page()

    def _record_page(self) -> None:
        key, page, last = (
            lesson_key(self.pack.id, self.lesson.id),
            self.page,
            len(self.lesson.pages) - 1,
        )

        def change(progress):  # noqa: ANN001, ANN202 - Progress in, Progress out
            progress = progress.record_page(key, page).set_last(key, page)
            return progress.mark_read(key) if page == last else progress

        self.app.record(change)

    def _show_position(self) -> None:
        total = len(self.lesson.pages)
        hint = "  (→ next)" if self.page < total - 1 else "  (z quiz · l lab)"
        if self.page == total - 1 and self.exercises:
            hint = hint[:-1] + f" · e exercise{'s' if len(self.exercises) > 1 else ''})"
        self.query_one("#lesson-position", Static).update(f"Page {self.page + 1} of {total}{hint}")

    def action_page(self, step: int) -> None:
        self.page = min(max(self.page + step, 0), len(self.lesson.pages) - 1)

    def action_quiz(self) -> None:
        from tui.screens.quiz import QuizScreen

        self.app.push_screen(QuizScreen(self.pack, self.lesson))

    def action_lab(self) -> None:
        from tui.screens.lab import LabScreen

        self.app.push_screen(LabScreen(self.pack, self.lesson))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "exercises" or bool(self.exercises)

    def action_exercises(self) -> None:
        """The lesson's only exercise opens at once; several are listed first."""
        if len(self.exercises) == 1:
            open_exercise(self, self.pack, self.exercises[0])
        elif self.exercises:
            self.app.push_screen(ExercisesScreen([self.pack], self.lesson))

    def action_back(self) -> None:
        self.dismiss()
