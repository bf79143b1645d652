"""Screenshots of the main screens at 80x24 and 120x40, compared with accepted SVGs.

Update after a deliberate change with `pytest --snapshot-update` and look at the
report before committing.
"""

import pytest

from tui.app import make_app
from tui.screens.quiz import QuizScreen

SIZES = [(80, 24), (120, 40)]


async def open_quiz_feedback(pilot) -> None:
    """Open lesson 1's quiz with a fixed shuffle and submit a half-right answer."""
    app = pilot.app
    pack, lesson = app.course.lessons()[0]
    quiz = QuizScreen(pack, lesson, seed=7)
    await app.push_screen(quiz)
    await pilot.pause()
    correct = sorted(quiz.question.correct_indices)
    ticked = (
        correct[:1]
        if len(correct) > 1
        else [i for i in range(len(quiz.order)) if i not in correct][:1]
    )
    for shown, index in enumerate(quiz.order, start=1):
        if index in ticked:
            await pilot.press(str(shown))
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
class TestScreens:
    def test_home(self, snap_compare, size):
        assert snap_compare(make_app(), terminal_size=size)

    def test_lesson(self, snap_compare, size):
        assert snap_compare(make_app(), press=["enter"], terminal_size=size)

    def test_quiz_feedback(self, snap_compare, size):
        assert snap_compare(make_app(), run_before=open_quiz_feedback, terminal_size=size)
