"""Rich/Textual markup in pack text is shown as typed on every screen, never acted on.

Each group of markup goes into every text of a pack (titles, reading, prompt, choices,
explanations, look-for line, exercise task and hint); the app then opens each screen
that shows it. The screen's text must show the markup literally, and clicking where a
`@click=app.quit` link would be must not quit. The terminal-byte side of the same pack
is tested in tmux (tests/e2e/test_hostile_pack_terminal.py).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tui.app import make_app

_spec = importlib.util.spec_from_file_location(
    "hostile_pack", Path(__file__).parents[1] / "e2e" / "hostile_pack.py"
)
assert _spec is not None and _spec.loader is not None
hostile_pack = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile_pack)

MARKUP_GROUPS = {
    "click-bold-link": ["[@click=app.quit]x[/]", "[bold]b[/bold]", "[link="],
    "unbalanced": ["[/bold] closes nothing", "[/]", "[red", "[b][i]n[/b][/i]"],
    "links-actions-vars": [
        '[link="https://e.com"]y[/link]',
        "[@click=app.bell]r[/]",
        "[$accent]v[/]",
    ],
    "styles-emoji-brackets": ["[on red]g[/on red]", ":smile:", "[[d]] ]] [["],
}
"""Every markup tried, in groups short enough to fit a line at 160 columns."""
CLICK = "[@click=app.quit]x"


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def shows(pilot, *texts: str) -> str:
    """Wait for the screen to settle, then check it shows every text literally."""
    await pilot.pause()
    await pilot.pause()
    screen = screen_text(pilot.app)
    assert pilot.app.is_running
    for text in texts:
        assert text in screen, f"{text!r} not shown literally on:\n{screen}"
    return screen


async def click_link(pilot, screen: str) -> None:
    """Click the would-be link's "x" wherever it is on screen; the app must stay."""
    for row, line in enumerate(screen.splitlines()):
        if CLICK in line:
            await pilot.click(offset=(line.index(CLICK) + len(CLICK) - 1, row))
            await pilot.pause()
            assert pilot.app.is_running, f"clicking pack text on row {row} quit the app"


@pytest.mark.parametrize("group", list(MARKUP_GROUPS))
async def test_markup_in_pack_text_is_shown_as_text_everywhere(tmp_path: Path, group: str) -> None:
    markup = " ".join(MARKUP_GROUPS[group])
    pack = hostile_pack.write_hostile_pack(tmp_path / "pack", markup)
    app = make_app(packs=[pack])
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await shows(pilot, f"Hostile pack {markup}", f"Evil {markup}"[:40])
        await click_link(pilot, screen)
        await pilot.press("end", "enter")  # the lesson: header title and reading
        screen = await shows(pilot, f"Evil {markup}", f"Body {markup}")
        await click_link(pilot, screen)

        await pilot.press("z")  # the quiz
        await shows(pilot, f"Prompt {markup}", f"Choice {markup}")
        await pilot.press("1", "enter")
        screen = await shows(pilot, f"Explain {markup}")
        await click_link(pilot, screen)

        await pilot.press("l")  # the lab of the question's preset
        screen = await shows(pilot, f"Look {markup}", f"Lab: Preset {markup}")
        await click_link(pilot, screen)

        # Back to the quiz (a round trip), back to the lesson, then its exercises.
        await pilot.press("escape", "escape", "e")
        await shows(pilot, f"Exercise {markup}"[:45], f"Task {markup}")
        await pilot.press("enter")
        await shows(pilot, f"Exercise: Exercise {markup}", f"Task {markup}")
        await pilot.press("h")
        screen = await shows(pilot, f"Hint {markup}")
        await click_link(pilot, screen)
        assert app.is_running


async def test_markup_in_a_lesson_title_is_shown_as_text_in_palette_search(
    tmp_path: Path,
) -> None:
    markup = " ".join(MARKUP_GROUPS["click-bold-link"])
    pack = hostile_pack.write_hostile_pack(tmp_path / "pack", markup)
    app = make_app(packs=[pack])
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("ctrl+p", *"Evil")
        await pilot.pause(0.5)
        await shows(pilot, f"Lesson: Evil {markup}")
