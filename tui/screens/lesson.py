"""The lesson reader: one screen-sized Markdown page at a time.

The last page leads on: n opens the next lesson, and the lesson's quiz, lab and
exercise keys are named on it. The quiz and the lab are round trips (this screen stays
underneath on its page, tui/navigation.py).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Footer, Header, Static

from lessons.course_path import lesson_exercises, lesson_number, next_lesson
from lessons.pack import Lesson, Pack
from lessons.progress import Progress, lesson_key
from tui.navigation import ExerciseList, ExercisePage, LabPage, LessonPage, QuizPage
from tui.screens.tutor_screen import TutorScreen
from tui.widgets.reading_page import ReadingPage


class LessonScreen(TutorScreen):
    BINDINGS = [
        Binding("right,n,space", "page(1)", "Next page", key_display="→"),
        Binding("n", "next_lesson", "Next lesson"),
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

    @property
    def on_last_page(self) -> bool:
        return self.page == len(self.lesson.pages) - 1

    def help_topic(self) -> str:
        return "lesson"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="lesson-position")
        yield ReadingPage(self.lesson.pages[self.page], id="lesson-page")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"{lesson_number(self.pack, self.lesson)}. {self.lesson.title}"
        self._show_position()
        self._record_page()

    def watch_page(self, page: int) -> None:
        self.query_one(ReadingPage).show(self.lesson.pages[page])
        self._show_position()
        self._record_page()
        self.refresh_bindings()

    def _record_page(self) -> None:
        key, page, last = lesson_key(self.pack.id, self.lesson.id), self.page, self.on_last_page

        def change(progress: Progress) -> Progress:
            progress = progress.record_page(key, page).set_last(key, page)
            return progress.mark_read(key) if last else progress

        self.tutor.record(change)

    def _next_lesson(self) -> tuple[Pack, Lesson] | None:
        return next_lesson(self.tutor.course.packs, self.pack, self.lesson)

    def _show_position(self) -> None:
        total = len(self.lesson.pages)
        if not self.on_last_page:
            hint = "→ next page"
        else:
            steps = ["z quiz", "l lab"]
            if self.exercises:
                steps.append("e exercise" + ("s" if len(self.exercises) > 1 else ""))
            following = self._next_lesson()
            if following is not None:
                steps.append(f"n next lesson: {lesson_number(*following)}. {following[1].title}")
            hint = " · ".join(steps)
        self.query_one("#lesson-position", Static).update(
            f"Page {self.page + 1} of {total}  ({hint})"
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page" and parameters == (1,):
            return not self.on_last_page
        if action == "next_lesson":
            return self.on_last_page and self._next_lesson() is not None
        return action != "exercises" or bool(self.exercises)

    def action_page(self, step: int) -> None:
        self.page = min(max(self.page + step, 0), len(self.lesson.pages) - 1)

    def action_next_lesson(self) -> None:
        following = self._next_lesson()
        if following is not None:
            self.tutor.nav.jump(LessonPage(*following, page=0))

    def action_quiz(self) -> None:
        self.tutor.nav.visit(QuizPage(self.pack, self.lesson))

    def action_lab(self) -> None:
        self.tutor.nav.visit(LabPage(self.pack, self.lesson))

    def action_exercises(self) -> None:
        """The lesson's only exercise opens at once; several are listed first."""
        if len(self.exercises) == 1:
            self.tutor.nav.visit(ExercisePage(self.pack, self.exercises[0].id))
        elif self.exercises:
            self.tutor.nav.visit(ExerciseList([self.pack], self.lesson))

    def action_back(self) -> None:
        self.dismiss()
