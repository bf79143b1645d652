"""The quiz: one multiple-answer question at a time, then every choice explained."""

from __future__ import annotations

import random

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from lessons.pack import Lesson, Pack, Question
from lessons.progress import lesson_key
from lessons.quiz import QuizResult, score, shuffled_order


class QuizScreen(Screen[None]):
    BINDINGS = [
        Binding("space", "toggle", "Tick", key_display="space"),
        # Not a priority binding: keys typed in one burst ("1" then enter) must be
        # handled in order, so enter on the choices arrives as OptionSelected below.
        Binding("enter", "submit", "Submit / next", key_display="enter"),
        *(Binding(str(n), f"toggle_number({n})", show=False) for n in range(1, 10)),
        Binding("r", "retry", "Retry", show=False),
        Binding("w", "review", "Review wrong", show=False),
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

    def _start_attempt(self, question_indices: list[int]) -> None:
        self.attempt_seed = self._rng.randrange(2**32)
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

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="quiz-position")
        with VerticalScroll(id="quiz-body"):
            yield Static(id="quiz-prompt", markup=False)
            yield OptionList(id="quiz-choices")
            yield Static(id="quiz-feedback")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Quiz: {self.lesson.title}"
        self._show()

    # Drawing -----------------------------------------------------------------

    def _show(self) -> None:
        choices = self.query_one("#quiz-choices", OptionList)
        feedback = self.query_one("#quiz-feedback", Static)
        prompt = self.query_one("#quiz-prompt", Static)
        position = self.query_one("#quiz-position", Static)
        if not self.queue:
            position.update("This lesson has no questions.")
            choices.display = False
            return
        if self.finished:
            self._render_summary(position, prompt, choices, feedback)
            return
        keys = (
            "enter: next question"
            if self.submitted
            else f"space or 1-{len(self.order)} tick, enter submits"
        )
        position.update(
            f"Question {self.position + 1} of {len(self.queue)} · any number may be right · {keys}"
        )
        prompt.update(self.question.prompt)
        highlighted = choices.highlighted
        choices.display = True
        choices.clear_options()
        choices.add_options(self._choice_options())
        choices.highlighted = highlighted if highlighted is not None else 0
        choices.focus()
        feedback.update(self._feedback_text() if self.submitted else "")

    def _choice_options(self) -> list[Option]:
        result = self.results.get(self.position) if self.submitted else None
        options = []
        for number, index in enumerate(self.order, start=1):
            box = "[x]" if index in self.selected else "[ ]"
            line = Text(f"{box} {number}. ")
            line.append(self.question.choices[index].text)
            if result is not None:
                mark = result.choices[index]
                line = (
                    Text(
                        "✓ " if mark.decided_right else "✗ ",
                        style="green" if mark.decided_right else "red",
                    )
                    + line
                )
            options.append(Option(line))
        return options

    def _feedback_text(self) -> Text:
        result = self.results[self.position]
        text = Text()
        text.append(
            "Right!\n" if result.right else "Not quite.\n",
            style="bold green" if result.right else "bold red",
        )
        for number, index in enumerate(self.order, start=1):
            choice = self.question.choices[index]
            mark = result.choices[index]
            verdict = "correct" if choice.correct else "not correct"
            you = "you ticked it" if mark.selected else "you left it"
            text.append(
                f"\n{number}. {verdict}, {you}: ", style="green" if mark.decided_right else "red"
            )
            text.append(choice.explanation)
        return text

    def _render_summary(
        self, position: Static, prompt: Static, choices: OptionList, feedback: Static
    ) -> None:
        right = sum(result.right for result in self.results.values())
        total = len(self.queue)
        position.update(f"Quiz finished: {right} of {total} right.")
        wrong = total - right
        prompt.update(
            "Press r to retry with the choices reshuffled"
            + (", w to review the questions you missed" if wrong else "")
            + ", or esc to go back."
        )
        choices.display = False
        feedback.update("")

    def _record_score(self) -> None:
        if len(self.queue) != len(self.lesson.questions):
            return  # reviewing missed questions is practice, not a new score
        right = sum(result.right for result in self.results.values())
        key = lesson_key(self.pack.id, self.lesson.id)
        self.app.record(lambda progress: progress.record_quiz(key, right, len(self.queue)))

    # Actions -----------------------------------------------------------------

    def _toggle_index(self, shown_position: int) -> None:
        if self.finished or self.submitted or not 0 <= shown_position < len(self.order):
            return
        self.selected ^= {self.order[shown_position]}
        self._show()

    def action_toggle(self) -> None:
        highlighted = self.query_one("#quiz-choices", OptionList).highlighted
        if highlighted is not None:
            self._toggle_index(highlighted)

    def action_toggle_number(self, number: int) -> None:
        self._toggle_index(number - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        if self.finished or not self.queue:
            return
        if not self.submitted:
            self.results[self.position] = score(self.question, self.selected)
            self.submitted = True
        else:
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
        if self.finished:
            wrong = [self.queue[i] for i, result in self.results.items() if not result.right]
            if wrong:
                self._start_attempt(wrong)
                self._show()

    def action_lab(self) -> None:
        from tui.screens.lab import LabScreen

        preset_id = None if self.finished or not self.queue else self.question.preset
        self.app.switch_screen(LabScreen(self.pack, self.lesson, preset_id))

    def action_back(self) -> None:
        self.dismiss()
