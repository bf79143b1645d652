"""`vgtutor progress` shows, exports and resets the saved progress, and never crashes on it."""

from __future__ import annotations

import argparse
import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lessons.progress import DATA_DIR_ENV, ProgressStore, to_json
from tui.commands import progress as command


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    return tmp_path


def invoke(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="vgtutor")
    command.add_parser(parser.add_subparsers())
    args = parser.parse_args(["progress", *argv])
    return args.func(args)


def test_nothing_recorded_yet(folder: Path, capsys) -> None:
    assert invoke() == 0
    out = capsys.readouterr().out
    assert out == f"No progress recorded yet.\nProgress file: {folder / 'progress.json'}\n"


def test_table_shows_each_lesson_last_position_and_file(folder: Path, capsys) -> None:
    ProgressStore(folder).update(
        lambda p: (
            p.mark_read("vg/what-is")
            .record_quiz("vg/what-is", 4, 5)
            .record_quiz("vg/what-is", 2, 5)
            .mark_lab_visited("vg/what-is")
            .record_page("vg/what-is", 2)
            .record_page("vg/depth", 0)
            .set_last("vg/depth", 0)
            .mark_exercise_done("vg/ex1")
        )
    )
    assert invoke() == 0
    assert capsys.readouterr().out.splitlines() == [
        "Lesson      Read  Pages  Quiz best  Lab",
        "vg/depth    no    1      -          no",
        "vg/what-is  yes   3      4/5        yes",
        "Exercises done: vg/ex1",
        "Last position: vg/depth, page 1",
        f"Progress file: {folder / 'progress.json'}",
    ]


def test_json_prints_the_validated_object(folder: Path, capsys) -> None:
    progress = ProgressStore(folder).update(lambda p: p.mark_read("vg/a").set_last("vg/a", 3))
    assert invoke("--json") == 0
    data = json.loads(capsys.readouterr().out)
    saved = to_json(progress)
    assert data["lessons"] == saved["lessons"] and data["exercises"] == saved["exercises"]
    assert (data["version"], data["file"]) == (1, str(folder / "progress.json"))


def test_json_and_text_number_the_last_page_alike(folder: Path, capsys) -> None:
    ProgressStore(folder).update(lambda p: p.mark_read("vg/a").set_last("vg/a", 2))
    assert invoke() == 0
    assert "Last position: vg/a, page 3" in capsys.readouterr().out
    assert invoke("--json") == 0
    assert json.loads(capsys.readouterr().out)["last"] == {"lesson": "vg/a", "page": 3}


def test_json_of_a_corrupt_file_is_empty_with_one_warning(folder: Path, capsys) -> None:
    """A reader never moves the file: it is left for the app to keep as a backup."""
    (folder / "progress.json").write_bytes(b"\x00garbage")
    assert invoke("--json") == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == {
        "version": 1,
        "file": str(folder / "progress.json"),
        "lessons": {},
        "exercises": {},
        "last": None,
    }
    assert sorted(p.name for p in folder.iterdir()) == ["progress.json"]
    assert (folder / "progress.json").read_bytes() == b"\x00garbage"
    assert err.count("warning: ") == 1 and "left as it is" in err

    assert invoke() == 0  # each run is told again: nothing was changed
    assert capsys.readouterr().err.count("warning: ") == 1


def test_reset_keeps_a_backup_and_says_where(folder: Path, capsys) -> None:
    ProgressStore(folder).update(lambda p: p.mark_read("vg/a"))
    before = (folder / "progress.json").read_bytes()
    assert invoke("--reset") == 0
    [backup] = folder.glob("progress.json.reset-*")
    assert capsys.readouterr().out == (
        f"Progress reset. Your previous progress was kept as {backup}.\n"
    )
    assert backup.read_bytes() == before
    assert ProgressStore(folder).load().lessons == {}


def test_reset_without_a_file(folder: Path, capsys) -> None:
    assert invoke("--reset") == 0
    assert capsys.readouterr().out.startswith("Nothing to reset:")


def test_reset_that_cannot_move_the_file_fails_cleanly(folder: Path, capsys, monkeypatch) -> None:
    ProgressStore(folder).update(lambda p: p.mark_read("vg/a"))

    def denied(*args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "rename", denied)
    assert command.run(argparse.Namespace(json=False, reset=True)) == 1
    assert "could not reset" in capsys.readouterr().err
    assert (folder / "progress.json").exists()


def test_json_and_reset_cannot_be_combined(folder: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        invoke("--json", "--reset")
    assert exit_info.value.code == 2


def test_command_loads_neither_textual_nor_numpy() -> None:
    code = (
        "import sys, tui.commands.progress; print(sorted({'textual', 'numpy'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
