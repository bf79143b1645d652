"""The course map: statuses from saved progress, continue, reset, extra packs."""

from pathlib import Path

from textual.widgets import OptionList

from lessons.progress import ProgressStore
from tui.app import make_app
from tui.screens.confirm import ConfirmScreen
from tui.screens.home import HomeScreen
from tui.screens.lesson import LessonScreen

EXAMPLE_PACK = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"
SIZE = (80, 24)


def row_text(app, index: int) -> str:
    return str(app.screen.query_one(OptionList).get_option_at_index(index).prompt)


async def test_reading_to_the_end_marks_the_lesson_read_and_saves_it(private_data_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        pages = len(app.screen.lesson.pages)
        await pilot.press(*["right"] * pages, "escape")
        assert isinstance(app.screen, HomeScreen)
        assert row_text(app, 0).endswith("read")
        assert row_text(app, 1).endswith("not started")
    saved = ProgressStore(private_data_dir).load()
    assert saved.lesson("vanishing-gradients/what-is").read


async def test_continue_reopens_the_last_page_in_a_new_session():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter", "right", "right", "q")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "page 3/" in row_text(app, 2)
        await pilot.press("c")
        assert isinstance(app.screen, LessonScreen)
        assert (app.screen.lesson.id, app.screen.page) == ("saturation", 2)


async def test_reset_asks_first_and_keeps_a_backup(private_data_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "escape")
        assert row_text(app, 0) != row_text(app, 1)
        await pilot.press("R")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert "page 1/" in row_text(app, 0)
        await pilot.press("R", "y")
        await pilot.pause()
        assert row_text(app, 0).endswith("not started")
    assert list(private_data_dir.glob("progress.json.reset-*"))


async def test_an_extra_pack_is_listed_under_its_title_and_opens():
    app = make_app(packs=[EXAMPLE_PACK])
    async with app.run_test(size=SIZE) as pilot:
        assert len(app.course.packs) == 2
        option_list = app.screen.query_one(OptionList)
        titles = [
            str(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)
        ]
        extra = app.course.packs[1]
        assert extra.title in titles
        first_extra = titles.index(extra.title) + 1
        option_list.highlighted = first_extra
        await pilot.press("enter")
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.pack.id == extra.id
