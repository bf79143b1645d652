"""The quiz: one multiple-answer question at a time, then every choice explained.

The footer follows the quiz's state: while answering, space ticks and enter submits;
on the feedback, enter goes on; once finished, n opens the next lesson, r retries and
w reviews the missed questions. The lab (l) is a round trip: coming back finds the
same question, ticks and shuffle (tui/navigation.py keeps this screen).
"""

from __future__ import annotations

import random

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from lessons.course_path import lesson_number, next_lesson
from lessons.pack import Lesson, Pack, Question
from lessons.progress import lesson_key
from lessons.quiz import (
    QuizResult,
    attempt_line,
    record_attempt,
    record_review,
    review_line,
    score,
    shuffled_order,
)
from tui.navigation import LabPage, LessonPage
from tui.screens.tutor_screen import TutorScreen

ANSWERING, FEEDBACK, FINISHED = "answering", "feedback", "finished"
ACTION_STATES = {
    "tick": {ANSWERING},
    "toggle_number": {ANSWERING},
    "submit": {ANSWERING},
    "next_question": {FEEDBACK},
    "next_lesson": {FINISHED},
    "retry": {FINISHED},
    "review": {FINISHED},
}
"""The states in which each quiz key does something (the footer shows only those)."""


class ChoiceList(OptionList):
    """The choices; enter here submits or goes on, and the footer says which.

    (OptionList's own enter, "select", would hide the screen's enter from the footer.)
    Not priority bindings: keys typed in one burst ("1" then enter) are handled in order.
    """

    inherit_bindings = False
    BINDINGS = [
        Binding("enter", "screen.submit", "Submit"),
        Binding("enter", "screen.next_question", "Next"),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
    ]


class QuizScreen(TutorScreen):
    BINDINGS = [
        Binding("space", "tick", "Tick", key_display="space"),
        Binding("enter", "submit", "Submit"),
        Binding("enter", "next_question", "Next"),
        *(Binding(str(n), f"toggle_number({n})", show=False) for n in range(1, 10)),
        Binding("n", "next_lesson", "Next lesson"),
        Binding("r", "retry", "Retry"),
        Binding("w", "review", "Review"),
        Binding("l", "lab", "Lab"),
        Binding("pageup", "scroll_body(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_body(1)", "Scroll down", show=False, priority=True),
        Binding("escape", "back", "Back", key_display="esc"),
    ]

    def __init__(self, pack: Pack, lesson: Lesson, *, seed: int | None = None) -> None:
        super().__init__()
        self.pack = pack
        self.lesson = lesson
        self._rng = random.Random(seed)
        self._start_attempt(list(range(len(lesson.questions))))

    def _start_attempt(self, question_indices: list[int], *, review: bool = False) -> None:
        self.attempt_seed = self._rng.randrange(2**32)
        self.reviewing = review
        """A review asks only missed questions; it never replaces the best attempt."""
        self.queue = question_indices
        self.position = 0
        self.results: dict[int, QuizResult] = {}
        self._new_question()

    def _new_question(self) -> None:
        self.selected: set[int] = set()
        self.submitted = False
        self.order = shuffled_order(self.question, self.attempt_seed) if self.queue else []

    @property
    def question(self) -> Question:
        return self.lesson.questions[self.queue[self.position]]

    @property
    def finished(self) -> bool:
        return self.position >= len(self.queue)

    @property
    def state(self) -> str:
        if self.finished:
            return FINISHED
        return FEEDBACK if self.submitted else ANSWERING

    @property
    def missed(self) -> list[int]:
        """Indices (into the lesson's questions) of the questions answered wrong so far."""
        return [self.queue[i] for i, result in sorted(self.results.items()) if not result.right]

    def help_topic(self) -> str:
        return "quiz"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        states = ACTION_STATES.get(action)
        if states is not None and self.state not in states:
            return False
        if not self.queue and action not in ("next_lesson", "lab"):
            return states is None
        if action == "review":
            return bool(self.missed)
        if action == "next_lesson":
            return self._next_lesson() is not None
        return True

    def _next_lesson(self) -> tuple[Pack, Lesson] | None:
        return next_lesson(self.tutor.course.packs, self.pack, self.lesson)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="quiz-position")
        with VerticalScroll(id="quiz-body"):
            yield Static(id="quiz-prompt", markup=False)
            yield ChoiceList(id="quiz-choices")
            yield Static(id="quiz-feedback")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Quiz: {self.lesson.title}"
        self._show()

    # Drawing -----------------------------------------------------------------

    def _show(self) -> None:
        self.refresh_bindings()
        choices = self.query_one("#quiz-choices", OptionList)
        feedback = self.query_one("#quiz-feedback", Static)
        prompt = self.query_one("#quiz-prompt", Static)
        position = self.query_one("#quiz-position", Static)
        if not self.queue:
            position.update("This lesson has no questions.")
            following = self._next_lesson()
            if following is not None:
                prompt.update(f"n: next lesson, {lesson_number(*following)}. {following[1].title}")
            choices.display = False
            return
        if self.finished:
            self._render_summary(position, prompt, choices, feedback)
            return
        where = (
            f"{'Review' if self.reviewing else 'Question'} {self.position + 1} of {len(self.queue)}"
        )
        if self.submitted:
            last = self.position == len(self.queue) - 1
            keys = "enter: your score" if last else "enter: next question"
            position.update(f"{where} · {keys} · l: try it in the lab")
        else:
            keys = f"space or 1-{len(self.order)} tick, enter submits"
            position.update(f"{where} · any number may be right · {keys}")
        prompt.update(self.question.prompt)
        highlighted = choices.highlighted
        choices.display = True
        choices.clear_options()
        choices.add_options(self._choice_options())
        choices.highlighted = highlighted if highlighted is not None else 0
        choices.focus()
        feedback.update(self._feedback_text() if self.submitted else "")

    def _choice_options(self) -> list[Option]:
        options = []
        for number, index in enumerate(self.order, start=1):
            box = "[x]" if index in self.selected else "[ ]"
            line = Text(f"{box} {number}. ")
            line.append(self.question.choices[index].text)
            options.append(Option(line))
        return options

    def _feedback_text(self) -> Group:
        """The verdict, then each choice: what it is, what you did, and why (indented)."""
        result = self.results[self.position]
        if result.right:
            headline = Text(f"Right! {result.tally}.", style="bold green")
        else:
            headline = Text(f"Not quite: {result.tally}.", style="bold red")
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        for number, index in enumerate(self.order, start=1):
            mark = result.choices[index]
            why = Text(mark.verdict, style="green" if mark.decided_right else "red")
            why.append("\n")
            why.append(self.question.choices[index].explanation)  # pack text: never markup
            table.add_row(Text(f"{number}."), why)
        return Group(headline, table)

    def _render_summary(
        self, position: Static, prompt: Static, choices: OptionList, feedback: Static
    ) -> None:
        right = sum(result.right for result in self.results.values())
        total = len(self.queue)
        if self.reviewing:
            position.update(review_line(right, total).capitalize() + ".")
        else:
            best = self.tutor.progress.lesson(lesson_key(self.pack.id, self.lesson.id)).quiz_best
            position.update(attempt_line(right, total, best))
        options = []
        following = self._next_lesson()
        if following is not None:
            pack, lesson = following
            options.append(f"n: next lesson, {lesson_number(pack, lesson)}. {lesson.title}")
        options.append("r: retry the whole quiz, reshuffled")
        missed = len(self.missed)
        if missed:
            options.append(
                f"w: review the {missed} you missed"
                if missed > 1
                else "w: review the one you missed"
            )
        options += ["l: the lesson's lab", "esc: back"]
        prompt.update("\n".join(options))
        choices.display = False
        feedback.update("")

    def _record_score(self) -> None:
        key = lesson_key(self.pack.id, self.lesson.id)
        if self.reviewing:
            now_right = [
                self.lesson.questions[self.queue[i]].id
                for i, result in self.results.items()
                if result.right
            ]
            self.tutor.record(lambda progress: record_review(progress, key, now_right))
            return
        right = sum(result.right for result in self.results.values())
        total = len(self.queue)
        self.tutor.record(lambda progress: record_attempt(progress, key, right, total))

    # Actions -----------------------------------------------------------------

    def _toggle_index(self, shown_position: int) -> None:
        if self.finished or self.submitted or not 0 <= shown_position < len(self.order):
            return
        self.selected ^= {self.order[shown_position]}
        self._show()

    def action_tick(self) -> None:
        highlighted = self.query_one("#quiz-choices", OptionList).highlighted
        if highlighted is not None:
            self._toggle_index(highlighted)

    def action_toggle_number(self, number: int) -> None:
        self._toggle_index(number - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click on a choice ticks or unticks it (enter is a binding, see ChoiceList)."""
        event.stop()
        self._toggle_index(event.option_index)

    def action_submit(self) -> None:
        if self.state != ANSWERING or not self.queue:
            return
        self.results[self.position] = score(self.question, self.selected)
        self.submitted = True
        self._show()

    def action_next_question(self) -> None:
        if self.state != FEEDBACK:
            return
        self.position += 1
        if self.finished:
            self._record_score()
        else:
            self._new_question()
        self._show()

    def action_scroll_body(self, pages: int) -> None:
        """Long explanations can run below the screen; the choices keep the arrow keys."""
        body = self.query_one("#quiz-body", VerticalScroll)
        if pages > 0:
            body.scroll_page_down()
        else:
            body.scroll_page_up()

    def action_retry(self) -> None:
        if self.finished:
            self._start_attempt(list(range(len(self.lesson.questions))))
            self._show()

    def action_review(self) -> None:
        if self.finished and self.missed:
            self._start_attempt(self.missed, review=True)
            self._show()

    def action_next_lesson(self) -> None:
        following = self._next_lesson()
        if self.finished and following is not None:
            self.tutor.nav.jump(LessonPage(*following, page=0))

    def action_lab(self) -> None:
        """The question's own preset (else the lesson's); esc there comes back here."""
        preset_id = None if self.finished or not self.queue else self.question.preset
        self.tutor.nav.visit(LabPage(self.pack, self.lesson, preset_id))

    def action_back(self) -> None:
        self.dismiss()
