"""App-level hardening: ctrl+c quits from anywhere, pack trouble is told once, and a
pack id given twice cannot crash the course map."""

from __future__ import annotations

import json
from pathlib import Path

from tui.app import load_course, make_app
from tui.screens.home import HomeScreen
from tui.screens.lesson import LessonScreen
from tui.screens.too_small import TooSmallScreen

FIXTURES = Path(__file__).parents[1] / "fixtures" / "packs"
MINIMAL = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"


def notices(app, words: str) -> list[str]:
    return [n.message for n in app._notifications if words in n.message]


async def test_ctrl_c_quits_from_a_lesson_and_the_page_is_kept(private_data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "right")
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running
    saved = json.loads((private_data_dir / "progress.json").read_text())
    assert saved["lessons"]["vanishing-gradients/what-is"]["pages_seen"] == 2


async def test_ctrl_c_quits_even_from_the_command_palette_input() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running


async def test_ctrl_c_quits_from_the_size_notice() -> None:
    app = make_app()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running


async def test_q_quits_from_the_size_notice_as_it_says() -> None:
    app = make_app()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_pack_problems_are_told_once_however_often_the_terminal_resizes() -> None:
    app = make_app(packs=[FIXTURES / "bad-presets"])
    assert app.course.errors
    async with app.run_test(size=(80, 24)) as pilot:
        for size in ((100, 30), (60, 20), (80, 24), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert len(notices(app, "problem(s) in the lesson packs")) == 1


def test_a_pack_id_already_loaded_is_left_out_with_a_located_error(tmp_path: Path) -> None:
    course = load_course([MINIMAL, MINIMAL])
    assert [pack.id for pack in course.packs] == ["vanishing-gradients", "minimal-example"]
    (error,) = course.errors
    assert str(error).startswith(f"{MINIMAL / 'pack.toml'}: id: duplicate pack id")
    assert "left out" in error.message


async def test_a_pack_given_twice_still_opens_the_course_map() -> None:
    app = make_app(packs=[MINIMAL, MINIMAL])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert notices(app, "1 problem(s) in the lesson packs")


async def test_the_pack_notice_prints_the_exact_check_command() -> None:
    app = make_app(packs=[FIXTURES / "bad-presets"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        command = f"vgtutor check --pack {FIXTURES / 'bad-presets'}"
        assert notices(app, f"run `{command}` for details")
