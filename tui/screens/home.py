"""The course map: every lesson in order with the learner's progress; enter opens one.

`c` goes to the next unfinished step of the course (lessons/course_path.py), and the
line under the title says which one it is.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from lessons.course_path import (
    Step,
    exercise_done,
    lesson_exercises,
    lesson_number,
    next_step,
)
from lessons.pack import Lesson, Pack
from lessons.progress import LessonProgress, Progress, lesson_key
from lessons.sanitize import clean
from tui.navigation import ExerciseList, ExercisePage, LabPage, LessonPage, Place, QuizPage
from tui.screens.tutor_screen import TutorScreen
from tui.text_cells import pad
from tui.widgets.pick_list import PickList

INTRO = "Pick a lesson with ↑/↓ and enter, or press c for the next step."
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


class HomeScreen(TutorScreen):
    DEFAULT_CSS = """
    HomeScreen > #home-next { padding: 0 1; color: $accent; text-style: bold; }
    """
    BINDINGS = [
        Binding("enter", "open_lesson", "Open"),
        Binding("c", "resume", "Next step"),
        Binding("l", "open_lab", "Lab"),
        Binding("e", "exercises", "Exercises"),
        Binding("R", "reset", "Reset", key_display="R"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(INTRO, id="home-intro", markup=False)
        yield Static(id="home-next", markup=False)
        yield PickList(id="lesson-list", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "the vanishing gradient problem"
        self.refresh_statuses()

    def on_screen_resume(self) -> None:
        self.refresh_statuses()

    def help_topic(self) -> str:
        return "course map"

    def next_step(self) -> Step | None:
        return next_step(self.tutor.course.packs, self.tutor.progress)

    def refresh_statuses(self) -> None:
        step = self.next_step()
        if step is None:
            line = "Every lesson, quiz, lab and exercise is done. Well done!"
        else:
            number = lesson_number(step.pack, step.lesson)
            line = f"c next: {number}. {step.lesson.title} · {step.describe()}"
        self.query_one("#home-next", Static).update(line)
        option_list = self.query_one(OptionList)
        highlighted = option_list.highlighted
        option_list.clear_options()
        option_list.add_options(self._options(self.tutor.progress))
        option_list.highlighted = highlighted if highlighted is not None else self._last_index()

    def _options(self, progress: Progress) -> list[Option]:
        """One row per lesson; with several packs, each pack's lessons under its title."""
        options: list[Option] = []
        several_packs = len(self.tutor.course.packs) > 1
        for pack in self.tutor.course.packs:
            if several_packs:
                options.append(Option(pack.title, id=f"pack:{pack.id}", disabled=True))
            for number, lesson in enumerate(pack.lessons, start=1):
                key = lesson_key(pack.id, lesson.id)
                exercises = lesson_exercises(pack, lesson)
                done = sum(exercise_done(progress, exercise) for exercise in exercises)
                status = lesson_status(
                    progress.lesson(key), len(lesson.pages), (done, len(exercises))
                )
                # Leading spaces would be trimmed: pad after the number instead.
                # A long title is wrapped by the list, never cut; padding counts cells.
                label = f"{number}.".ljust(4) + f"{pad(lesson.title, TITLE_CELLS)} {status}"
                options.append(Option(label, id=key))
        return options

    def _last_index(self) -> int:
        last = self.tutor.progress.last
        option_list = self.query_one(OptionList)
        if last is not None:
            try:
                return option_list.get_option_index(last.lesson)
            except OptionDoesNotExist:  # that lesson's pack is not loaded this time
                pass
        return 1 if len(self.tutor.course.packs) > 1 else 0

    def _selected(self) -> tuple[Pack, Lesson] | None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is None:
            return None
        key = option_list.get_option_at_index(option_list.highlighted).id
        for pack, lesson in self.tutor.course.lessons():
            if lesson_key(pack.id, lesson.id) == key:
                return pack, lesson
        return None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_lesson()

    def action_open_lesson(self) -> None:
        """The highlighted lesson, on the page it was left at (the first page if new)."""
        selected = self._selected()
        if selected is not None:
            self.tutor.nav.visit(LessonPage(*selected))

    def action_resume(self) -> None:
        """Go to the next unfinished step; with the course done, to the last lesson read."""
        step = self.next_step()
        if step is None:
            self.query_one(OptionList).highlighted = self._last_index()
            last = self.tutor.progress.last
            selected = self._selected()
            if selected is not None:
                self.tutor.nav.visit(LessonPage(*selected, page=last.page if last else 0))
            return
        self.query_one(OptionList).highlighted = self.query_one(OptionList).get_option_index(
            lesson_key(step.pack.id, step.lesson.id)
        )
        place: Place
        if step.kind == "page":
            place = LessonPage(step.pack, step.lesson, page=step.page)
        elif step.kind == "quiz":
            place = QuizPage(step.pack, step.lesson)
        elif step.kind == "lab":
            place = LabPage(step.pack, step.lesson)
        else:
            assert step.exercise is not None
            place = ExercisePage(step.pack, step.exercise.id)
        self.tutor.nav.visit(place)

    def action_open_lab(self) -> None:
        selected = self._selected()
        if selected is not None:
            self.tutor.nav.visit(LabPage(*selected))

    def action_exercises(self) -> None:
        self.tutor.nav.visit(ExerciseList(self.tutor.course.packs))

    def action_reset(self) -> None:
        def reset(confirmed: bool | None) -> None:
            if confirmed:
                backup = self.tutor.reset_progress()
                if backup is not None:
                    self.notify(
                        f"Progress reset; the old file was kept as {clean(str(backup))}.",
                        markup=False,
                    )
                self.refresh_statuses()

        self.tutor.nav.confirm("Reset all progress? (The old file is kept as a backup.)", reset)
