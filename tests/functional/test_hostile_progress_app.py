"""The app with a hostile progress file or folder: it keeps running, tells the learner
once, and loses no completed work (a backup holds whatever it could not read)."""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path

import pytest

from lessons.progress import ProgressStore
from tui.app import make_app
from tui.screens.home import HomeScreen
from tui.screens.lab import LabScreen

KEY = "vanishing-gradients/what-is"
OTHER = "vanishing-gradients/symptoms"
SALVAGEABLE = {
    "version": 1,
    "lessons": {OTHER: {"read": True, "pages_seen": 3}, "vanishing-gradients/depth": []},
}


def warnings_about(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "warning"]


async def walk(pilot) -> None:
    """Lesson 1: two pages, one quiz answer, the lab; every step records progress."""
    await pilot.press("home", "enter", "right", "z", "1", "enter", "l")
    await pilot.pause()
    assert isinstance(pilot.app.screen, LabScreen)
    await pilot.press("escape", "escape", "escape")  # lab -> quiz -> lesson -> map
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)


def saved(folder: Path) -> dict:
    return json.loads((folder / "progress.json").read_text())["lessons"]


async def test_a_corrupt_file_is_told_once_and_kept_as_a_backup(private_data_dir: Path) -> None:
    private_data_dir.mkdir(parents=True)
    (private_data_dir / "progress.json").write_bytes(b'{"version": 1, "lessons": {')
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await walk(pilot)
        [warning] = warnings_about(app)
        assert "unreadable" in warning and "kept as" in warning
    [backup] = private_data_dir.glob("progress.json.bad-*")
    assert backup.read_bytes() == b'{"version": 1, "lessons": {'
    assert saved(private_data_dir)[KEY]["lab_visited"] is True


async def test_a_partly_bad_file_keeps_the_good_part_on_the_course_map(
    private_data_dir: Path,
) -> None:
    private_data_dir.mkdir(parents=True)
    (private_data_dir / "progress.json").write_text(json.dumps(SALVAGEABLE))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        option_list = app.screen.query_one("#lesson-list")
        row = option_list.get_option_at_index(option_list.get_option_index(OTHER))
        assert "read" in str(row.prompt)
        await walk(pilot)
        [warning] = warnings_about(app)
        assert warning.startswith("Part of your progress file was unreadable")
    lessons = saved(private_data_dir)
    assert lessons[OTHER]["read"] is True and lessons[KEY]["pages_seen"] == 2


async def test_a_full_disk_mid_session_is_told_once_and_nothing_is_lost(
    private_data_dir: Path, monkeypatch
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # saved while there is space
        await pilot.pause()

        def full(fd: int) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", full)
        await pilot.press("escape")
        await walk(pilot)
        await walk(pilot)
        [warning] = warnings_about(app)
        assert "No space left on device" in warning and "kept in memory" in warning
        assert saved(private_data_dir)[KEY]["lab_visited"] is False  # not written yet
        monkeypatch.undo()  # space is freed: the next change saves everything
        await pilot.press("down", "enter")
        await pilot.pause()
        assert len(warnings_about(app)) == 1
    lessons = saved(private_data_dir)
    # The second walk resumes the reader on the page the first left: three pages seen.
    assert lessons[KEY]["lab_visited"] is True and lessons[KEY]["pages_seen"] == 3
    assert lessons[OTHER]["pages_seen"] == 1


async def test_an_unwritable_folder_from_the_start_is_told_once(
    private_data_dir: Path, monkeypatch
) -> None:
    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walk(pilot)
        await walk(pilot)
        [warning] = warnings_about(app)
        assert "Permission denied" in warning
        assert app.progress.lesson(KEY).lab_visited  # kept in memory for the session
        assert app.screen.query_one("#lesson-list")  # the course map still works


@pytest.mark.parametrize("obstacle", ["progress-file-is-a-folder", "data-folder-is-a-file"])
async def test_a_progress_path_that_is_not_a_file_is_told_once(
    private_data_dir: Path, obstacle: str
) -> None:
    if obstacle == "progress-file-is-a-folder":
        (private_data_dir / "progress.json").mkdir(parents=True)
    else:
        private_data_dir.parent.mkdir(parents=True, exist_ok=True)
        private_data_dir.write_text("not a folder")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await walk(pilot)
        [warning] = warnings_about(app)
        assert "kept in memory" in warning
        assert app.progress.lesson(KEY).pages_seen == 2


async def test_another_program_corrupting_the_file_mid_session_loses_nothing(
    private_data_dir: Path,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walk(pilot)
        (private_data_dir / "progress.json").write_bytes(b"\0" * 256)
        await pilot.press("down", "enter")  # the next change meets the bad file
        await pilot.pause()
        [warning] = warnings_about(app)
        assert "unreadable" in warning
    lessons = ProgressStore(private_data_dir).load().lessons
    assert lessons[KEY].lab_visited and lessons[KEY].pages_seen == 2
    assert lessons[OTHER].pages_seen == 1
