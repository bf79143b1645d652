"""The command palette reaches every lesson and lab preset by name."""

from textual.command import CommandPalette

from tui.app import make_app
from tui.screens.lab import LabScreen
from tui.screens.lesson import LessonScreen


async def run_palette(pilot, query: str) -> None:
    await pilot.press("ctrl+p")
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause()


async def test_palette_opens_a_lesson_by_title():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_palette(pilot, "Lesson: Skip connections")
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.lesson.id == "skip-connections"


async def test_palette_opens_a_lab_preset_from_inside_another_screen():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # a lesson is open
        pack = app.course.packs[0]
        preset = pack.presets["lstm-forget-bias-1"]
        await run_palette(pilot, f"Lab: {preset.title}")
        assert isinstance(app.screen, LabScreen)
        assert app.screen.preset is preset
        assert len(app.screen_stack) == 3  # default screen, course map, lab


async def test_every_lesson_and_preset_is_listed():
    from tui.palette import CourseCommands

    app = make_app()
    async with app.run_test(size=(80, 24)):
        provider = CourseCommands(app.screen)
        names = [name for name, _, _ in provider._entries()]
        pack = app.course.packs[0]
        assert sum(n.startswith("Lesson: ") for n in names) == len(pack.lessons)
        assert sum(n.startswith("Lab: ") for n in names) == len(pack.presets)
