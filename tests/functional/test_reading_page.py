"""The lesson reader draws a page as text: whole lists and tables, scrolling, no markup."""

import shutil
from pathlib import Path

from screen_text import screen_text

from lessons.catalog.pages import MAX_PAGE_BLOCKS, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS
from tui.app import make_app
from tui.screens.lesson import LessonScreen
from tui.widgets.reading_page import ReadingPage

MINIMAL = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"
SIZE = (80, 24)

ITEMS = "\n".join(f"- item number {n}" for n in range(MAX_PAGE_BLOCKS - 1))
TABLE = "\n".join(
    [
        "|" + "|".join(f"head {c}" for c in range(MAX_TABLE_COLUMNS)) + "|",
        "|" + "|".join("---" for _ in range(MAX_TABLE_COLUMNS)) + "|",
        *(
            "|" + "|".join(f"r{r}c{c}" for c in range(MAX_TABLE_COLUMNS)) + "|"
            for r in range(MAX_TABLE_ROWS)
        ),
    ]
)
PAGES = [
    f"## A long list\n\n{ITEMS}",
    "## Not markup\n\nA [bold]literal[/] and [@click=app.quit]no click[/], "
    "a [link](https://example.org/x) and `code`.",
    f"## A table\n\n{TABLE}",
]


def pack_with_pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(MINIMAL, folder)
    (folder / "readings" / "01-why-it-shrinks.md").write_text("\n\n---\n\n".join(PAGES))
    return folder


async def open_reader(pilot) -> LessonScreen:
    app = pilot.app
    pack = next(p for p in app.course.packs if p.id == "minimal-example")
    screen = LessonScreen(pack, pack.lessons[0])
    await app.push_screen(screen)
    await pilot.pause()
    return screen


async def test_a_page_taller_than_the_screen_scrolls_and_a_new_page_starts_at_its_top(
    tmp_path,
):
    folder = pack_with_pages(tmp_path)
    app = make_app([folder], data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        page = screen.query_one(ReadingPage)
        assert app.focused is page
        assert "item number 0" in screen_text(app)
        assert f"item number {MAX_PAGE_BLOCKS - 2}" not in screen_text(app)
        assert page.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause(0.3)
        assert f"item number {MAX_PAGE_BLOCKS - 2}" in screen_text(app)
        await pilot.press("right")
        await pilot.pause(0.3)
        assert screen.page == 1 and page.scroll_y == 0
        assert "Not markup" in screen_text(app)


async def test_pack_text_shows_as_text_and_links_show_their_address(tmp_path):
    folder = pack_with_pages(tmp_path)
    app = make_app([folder], data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await pilot.press("right")
        await pilot.pause()
        shown = " ".join(screen_text(app).split())  # the paragraph wraps at 80 columns
        assert "A [bold]literal[/] and [@click=app.quit]no click[/]," in shown
        assert "a link (https://example.org/x) and code." in shown
        await pilot.press("right")
        await pilot.pause()
        shown = screen_text(app)
        assert all(f"head {c}" in shown for c in range(MAX_TABLE_COLUMNS))
        assert f"r{MAX_TABLE_ROWS - 1}c{MAX_TABLE_COLUMNS - 1}" in shown
