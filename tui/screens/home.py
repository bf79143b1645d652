"""The course map: every lesson in order with the learner's progress; enter opens one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from lessons.pack import Lesson, Pack
from lessons.progress import LessonProgress, Progress, lesson_key
from lessons.sanitize import clean
from tui.screens.exercises import ExercisesScreen, exercise_done, lesson_exercises
from tui.text_cells import fit

TITLE_CELLS = 44
"""Cells a lesson title gets on the course map, so every status starts in one column."""


def lesson_status(progress: LessonProgress, pages: int, exercises: tuple[int, int] = (0, 0)) -> str:
    """A few words on how far the learner got, for the course map.

    `exercises` is (done, total); once one is done "ex 1/2" stands in for "lab" (an
    exercise is done in the lab), which keeps the row within 80 columns.
    """
    parts = []
    if progress.read:
        parts.append("read")
    elif progress.pages_seen:
        parts.append(f"page {min(progress.pages_seen, pages)}/{pages}")
    if progress.quiz_best is not None and progress.quiz_total:
        parts.append(f"quiz {progress.quiz_best}/{progress.quiz_total}")
    done, total = exercises
    if done:
        parts.append(f"ex {done}/{total}")
    elif progress.lab_visited:
        parts.append("lab")
    return " · ".join(parts) if parts else "not started"


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "open_lesson", "Open"),
        Binding("c", "resume", "Continue"),
        Binding("l", "open_lab", "Lab"),
        Binding("e", "exercises", "Exercises"),
        Binding("R", "reset", "Reset progress", key_display="R"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Pick a lesson with ↑/↓ and enter; c continues where you left off.",
            id="home-intro",
        )
        yield OptionList(id="lesson-list", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "the vanishing gradient problem"
        self.refresh_statuses()

    def on_screen_resume(self) -> None:
        self.refresh_statuses()

    def refresh_statuses(self) -> None:
        option_list = self.query_one(OptionList)
        highlighted = option_list.highlighted
        option_list.clear_options()
        option_list.add_options(self._options(self.app.progress))
        option_list.highlighted = highlighted if highlighted is not None else self._last_index()

    def _options(self, progress: Progress) -> list[Option]:
        """One row per lesson; with several packs, each pack's lessons under its title."""
        options: list[Option] = []
        several_packs = len(self.app.course.packs) > 1
        number = 0
        for pack in self.app.course.packs:
            if several_packs:
                options.append(Option(pack.title, id=f"pack:{pack.id}", disabled=True))
            for lesson in pack.lessons:
                number += 1
                key = lesson_key(pack.id, lesson.id)
                exercises = lesson_exercises(pack, lesson)
                done = sum(exercise_done(progress, exercise) for exercise in exercises)
                status = lesson_status(
                    progress.lesson(key), len(lesson.pages), (done, len(exercises))
                )
                # Leading spaces would be trimmed: pad after the number instead.
                label = f"{number}.".ljust(4) + f"{fit(lesson.title, TITLE_CELLS)} {status}"
                options.append(Option(label, id=key))
        return options

    def _last_index(self) -> int:
        last = self.app.progress.last
        option_list = self.query_one(OptionList)
        if last is not None:
            try:
                return option_list.get_option_index(last.lesson)
            except OptionDoesNotExist:  # that lesson's pack is not loaded this time
                pass
        return 1 if len(self.app.course.packs) > 1 else 0

    def _selected(self) -> tuple[Pack, Lesson] | None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is None:
            return None
        key = option_list.get_option_at_index(option_list.highlighted).id
        for pack, lesson in self.app.course.lessons():
            if lesson_key(pack.id, lesson.id) == key:
                return pack, lesson
        return None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_lesson()

    def action_open_lesson(self, page: int = 0) -> None:
        from tui.screens.lesson import LessonScreen

        selected = self._selected()
        if selected is not None:
            self.app.push_screen(LessonScreen(*selected, page=page))

    def action_resume(self) -> None:
        last = self.app.progress.last
        self.query_one(OptionList).highlighted = self._last_index()
        self.action_open_lesson(page=last.page if last is not None else 0)

    def action_open_lab(self) -> None:
        from tui.screens.lab import LabScreen

        selected = self._selected()
        if selected is not None:
            self.app.push_screen(LabScreen(*selected))

    def action_exercises(self) -> None:
        self.app.push_screen(ExercisesScreen(self.app.course.packs))

    def action_reset(self) -> None:
        from tui.screens.confirm import ConfirmScreen

        def reset(confirmed: bool | None) -> None:
            if confirmed:
                backup = self.app.reset_progress()
                if backup is not None:
                    self.notify(
                        f"Progress reset; the old file was kept as {clean(str(backup))}.",
                        markup=False,
                    )
                self.refresh_statuses()

        self.app.push_screen(
            ConfirmScreen("Reset all progress? (The old file is kept as a backup.)"), reset
        )
