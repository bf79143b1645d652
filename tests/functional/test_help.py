"""`?` explains every key of every screen, and closes again."""

import re

import pytest

from tui.app import make_app
from tui.screens.help import HELP, HelpScreen
from tui.screens.home import HomeScreen
from tui.screens.lab import LabScreen
from tui.screens.lesson import LessonScreen
from tui.screens.quiz import QuizScreen

SHOWN_AS = {
    "escape": "esc",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "pageup": "pgup",
    "pagedown": "pgdn",
}


def documented(key: str) -> bool:
    if key.isdigit():  # digits are documented as a range such as `1`-`9`
        return any(int(a) <= int(key) <= int(b) for a, b in re.findall(r"`(\d)`-`(\d)`", HELP))
    return f"`{SHOWN_AS.get(key, key)}`" in HELP


@pytest.mark.parametrize("screen", [HomeScreen, LessonScreen, QuizScreen, LabScreen])
def test_every_key_of_every_screen_is_in_the_help(screen):
    keys = {key for binding in screen.BINDINGS for key in binding.key.split(",")}
    missing = sorted(key for key in keys if not documented(key))
    assert not missing, f"{screen.__name__} keys missing from the help: {missing}"


async def test_question_mark_opens_help_anywhere_and_escape_closes_it():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # a lesson
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen)
