"""Issue 15 in the app: data in notifications is text, and running out of memory is told."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tui.app import make_app
from tui.screens.home import HomeScreen

MINIMAL = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"

MARKUP_KEYS = {
    "click writes a file": "vg/[@click=app.screenshot('owned.svg','/tmp')]CLICKME[/]",
    "click quits": "vanishing-gradients/[@click=app.quit]quit[/]",
    "closing tag hides the text": "vanishing-gradients/x[/]",
}


@pytest.mark.parametrize("key", MARKUP_KEYS.values(), ids=MARKUP_KEYS.keys())
async def test_markup_in_a_progress_key_is_shown_as_text_in_the_warning(
    private_data_dir: Path, key: str
) -> None:
    private_data_dir.mkdir(parents=True)
    data = {"version": 1, "lessons": {key: {"read": "not a bool"}}}
    (private_data_dir / "progress.json").write_text(json.dumps(data))
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        [warning] = [n for n in app._notifications if n.severity == "warning"]
        assert warning.markup is False
        assert key.split("/", 1)[1] in warning.message
        await pilot.pause(0.2)
        toasts = "".join(str(t.render()) for t in app.screen.query("Toast"))
        assert "unreadable" in toasts
        assert key.split("/", 1)[1] in toasts
        assert app.is_running


async def test_a_worker_out_of_memory_is_told_and_the_app_keeps_running(
    private_data_dir: Path,
) -> None:
    app = make_app()

    def hungry() -> None:
        raise MemoryError

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.run_worker(hungry, thread=True)
        await pilot.pause(0.3)
        await pilot.pause()
        assert app.is_running
        [error] = [n for n in app._notifications if n.severity == "error"]
        assert error.message.startswith("out of memory")
        await pilot.press("down")
        assert isinstance(app.screen, HomeScreen)


WIDE_TITLES = {
    "cjk": "勾配消失問題とは何か、なぜ起こるのか",  # 18 code points, 36 cells
    "combining": "Gra\u0301\u0301\u0301dients fa\u0308\u0308de",  # 5 more code points than cells
    "zwj": "Family 👨\u200d👩\u200d👧\u200d👦 x3",  # 7 code points, 2 cells
}


async def test_course_map_rows_pad_titles_by_display_cells(
    private_data_dir: Path, tmp_path: Path
) -> None:
    """Every status starts in one column, whatever the title's code points."""
    from rich.cells import cell_len
    from textual.widgets import OptionList

    pack = tmp_path / "wide"
    shutil.copytree(MINIMAL, pack)
    manifest = (pack / "pack.toml").read_text()
    manifest = manifest.replace("Why the gradient shrinks", WIDE_TITLES["cjk"])
    manifest = manifest.replace("ReLU with He initialization", WIDE_TITLES["zwj"])
    manifest = manifest.replace("Minimal example pack", WIDE_TITLES["combining"])
    (pack / "pack.toml").write_text(manifest)
    app = make_app([pack])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        rows = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    wide = [row for row in rows if row.endswith("not started") and not row[4:].isascii()]
    assert len(wide) == 2, rows
    for row in wide:
        title = row[4:].removesuffix("not started")
        assert cell_len(title) == 45, row  # 44 cells of title and padding, one space
        assert title.rstrip(" ") in WIDE_TITLES.values()  # whole, never cut
