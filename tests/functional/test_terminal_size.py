"""Below 80x24 the app says so instead of drawing a garbled layout; above, it carries on."""

from textual.geometry import Region

from tui.app import make_app
from tui.screens.home import HomeScreen
from tui.screens.lesson import LessonScreen
from tui.screens.too_small import TooSmallScreen


async def test_small_terminal_shows_the_notice_and_recovers_where_it_was():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, LessonScreen)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        notice = str(app.screen.query_one("#too-small-text").render())
        assert "80x24" in notice and "60x20" in notice
        await pilot.resize_terminal(70, 30)
        await pilot.pause()
        assert "70x30" in str(app.screen.query_one("#too-small-text").render())
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)


async def test_starting_small_shows_the_notice_first():
    app = make_app()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_notice_wraps_to_fit_a_narrow_terminal():
    app = make_app()
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        notice = app.screen.query_one("#too-small-text")
        assert notice.size.width <= 30
        lines = notice.render_lines(Region(0, 0, notice.size.width, notice.size.height))
        shown = " ".join(line.text.strip() for line in lines)
        assert "80x24" in shown and "30x10" in shown
