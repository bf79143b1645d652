"""`?` opens on the current screen's keys (in the lab: what the view shows), fits 80x24
with "esc closes" on top, reaches its end in one key press, and closes again."""

import re

import pytest
from screen_text import screen_lines, screen_text

from tui.app import make_app
from tui.help_text import ELEMENTS, EVERYWHERE, LAB_VIEWS, topic_keys
from tui.screens.exercise_list import ExercisesScreen
from tui.screens.help import HelpScreen
from tui.screens.home import HomeScreen
from tui.screens.lab import LabScreen
from tui.screens.lesson import LessonScreen
from tui.screens.quiz import QuizScreen

SIZE = (80, 24)
SHOWN_AS = {
    "escape": "esc",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "pageup": "pgup",
    "pagedown": "pgdn",
    "question_mark": "?",
}


def listed(key: str, topics: list[str]) -> bool:
    """Whether `key` is in the key column of one of `topics` or of "everywhere"."""
    columns = [keys for topic in topics for keys, _ in topic_keys(topic)]
    tokens = {token for keys in columns + [k for k, _ in EVERYWHERE] for token in keys.split()}
    if key.isdigit():  # digits are listed as a range such as 1-9
        ranges = [re.fullmatch(r"(\d)-(\d)", token) for token in tokens]
        return any(m and int(m[1]) <= int(key) <= int(m[2]) for m in ranges)
    return SHOWN_AS.get(key, key) in tokens


@pytest.mark.parametrize(
    ("screen", "topics"),
    [
        (HomeScreen, ["course map"]),
        (LessonScreen, ["lesson"]),
        (QuizScreen, ["quiz"]),
        (ExercisesScreen, ["exercises"]),
        (LabScreen, list(LAB_VIEWS)),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
def test_every_key_of_every_screen_is_listed_under_its_topic(screen, topics):
    keys = {key for binding in screen.BINDINGS for key in binding.key.split(",")}
    missing = sorted(key for key in keys if not listed(key, topics))
    assert not missing, f"{screen.__name__} keys missing from its help: {missing}"


def test_every_lab_view_explains_its_elements():
    for view in LAB_VIEWS:
        assert len(ELEMENTS[view]) >= 4, view
    text = " ".join(meaning for view in LAB_VIEWS for _, meaning in ELEMENTS[view])
    for promised in ("now: … · before: …", "cut at its edge", "line", "0.693"):
        assert promised in text or promised in str(ELEMENTS), promised


async def test_question_mark_opens_help_anywhere_and_escape_closes_it():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # a lesson
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen)


@pytest.mark.parametrize(
    ("keys", "title", "first_key"),
    [
        ([], "course map", "c"),
        (["enter"], "lesson", "→ n space"),
        (["enter", "z"], "quiz", "space 1-9"),
        (["l"], "lab, bars view", "a A"),
        (["l", "3"], "lab, train view", "c C"),
        (["l", "4"], "lab, rnn view", "n N"),
    ],
)
async def test_help_opens_on_the_current_screens_keys_above_the_fold(keys, title, first_key):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys, "question_mark")
        await pilot.pause()
        lines = screen_lines(app)
        assert lines[0].strip().startswith(f"Help: {title} · esc closes")
        assert lines[1].strip() == f"Keys here ({title})"  # no blank lines before it
        topic = app.screen.page
        shown = screen_text(app)
        for keys_shown, does in topic.keys:  # every key of this screen, without scrolling
            assert keys_shown in shown and does in shown, (keys_shown, does)
        assert any(line.strip().startswith(first_key) for line in lines)
        assert "esc Close" in lines[-1]  # the help's own footer, not the screen's below


async def test_help_in_the_lab_explains_the_views_elements_after_its_keys():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", "3", "question_mark")
        await pilot.pause()
        assert "What you see in this view" in screen_text(app)
        await pilot.press(*["down"] * 6)
        await pilot.pause()
        assert "chance: ln 2 = 0.693" in screen_text(app)


async def test_end_reaches_the_bottom_in_one_press():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        scroll = app.screen.query_one("#help-text")
        assert scroll.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
        assert "Exercises" in screen_text(app)


async def run_keys(pilot, keys: list[str]) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


HELP_PLACES = {
    "course-map": [],
    "lesson": ["enter"],
    "quiz": ["enter", "z"],
    "lab-bars": ["l"],
    "lab-compare": ["l", "2"],
    "lab-train": ["l", "3"],
    "lab-rnn": ["l", "4"],
    "lab-curves": ["l", "5"],
}


@pytest.mark.parametrize("place", list(HELP_PLACES))
def test_help_snapshot_80x24(snap_compare, place):
    async def open_help(pilot):
        await run_keys(pilot, [*HELP_PLACES[place], "question_mark"])

    assert snap_compare(make_app(), run_before=open_help, terminal_size=SIZE)
