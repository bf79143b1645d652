"""`vgtutor new-pack`: a commented pack that passes `vgtutor check`, and never overwrites."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from lessons.catalog import load_pack
from lessons.exercise_goals import check_exercise, config_with
from tui.cli import main
from tui.commands.new_pack import pack_id_for


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["new-pack", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_new_pack_passes_check_with_zero_errors(tmp_path: Path) -> None:
    folder = tmp_path / "Spring Workshop 2025"
    made = subprocess.run(
        [sys.executable, "-m", "tui", "new-pack", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    assert (
        made.stdout.splitlines()[-1]
        == f"next: vgtutor check {folder}, then vgtutor --pack {folder}"
    )
    checked = subprocess.run(
        [sys.executable, "-m", "tui", "check", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (checked.returncode, checked.stderr) == (0, "")
    assert checked.stdout == (
        f"spring-workshop-2025 ({folder}): 2 lessons, 3 questions, 1 exercise, "
        "0 errors, 0 warnings\n"
    )


def test_the_new_pack_has_lessons_presets_questions_and_a_sound_exercise(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, str(tmp_path / "pack"))
    assert code == 0 and out.startswith(f"wrote 7 files to {tmp_path / 'pack'}: pack.toml, ")
    pack, errors = load_pack(tmp_path / "pack")
    assert errors == [] and pack is not None
    assert [lesson.id for lesson in pack.lessons] == ["why-it-shrinks", "relu-he"]
    assert set(pack.presets) == {"sigmoid-6", "relu-he-6"}
    (exercise,) = pack.exercises.values()
    assert exercise.lesson == "relu-he" and len(exercise.hints) == 2
    assert not check_exercise(exercise, exercise.start).met
    assert exercise.solution == config_with(exercise, {"init": "he"})
    assert check_exercise(exercise, exercise.solution).met


def test_every_manifest_lesson_preset_and_exercise_key_is_commented(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, str(tmp_path / "pack"))
    for name, first_table_ends in (
        ("pack.toml", '[[lesson]]\nid = "relu-he"'),
        ("presets.toml", '\n[[preset]]\nid = "relu-he-6"'),
        ("exercises.toml", "[exercise.start]"),
    ):
        text = (tmp_path / "pack" / name).read_text()
        lines = text[: text.index(first_table_ends)].splitlines()
        for number, line in enumerate(lines):
            if re.match(r"[a-z_]+ = ", line):
                above = lines[number - 1] if number else ""
                assert "#" in line or above.startswith("#"), f"{name}: {line}"


def test_an_existing_empty_folder_is_filled(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    code, _, _ = run(capsys, str(folder))
    assert code == 0 and (folder / "pack.toml").is_file()


def test_a_folder_with_anything_in_it_is_refused_and_left_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    code, out, err = run(capsys, str(folder))
    assert (code, out) == (2, "")
    assert err == f"vgtutor new-pack: error: {folder} is not empty; give a new or empty folder\n"
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_a_file_in_the_way_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "pack"
    target.write_text("")
    code, _, err = run(capsys, str(target))
    assert code == 2
    assert err == f"vgtutor new-pack: error: {target} exists and is not a folder\n"


@pytest.mark.parametrize(
    ("name", "pack_id"),
    [("Spring Workshop 2025", "spring-workshop-2025"), ("my_pack", "my-pack"), ("___", "my-pack")],
)
def test_the_pack_id_comes_from_the_folder_name(name: str, pack_id: str, tmp_path: Path) -> None:
    assert pack_id_for(tmp_path / name) == pack_id


@pytest.mark.parametrize("busy", [False, True], ids=["written", "refused"])
def test_a_folder_name_with_escape_sequences_is_printed_clean(
    busy: bool, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "evil\x1b]0;owned\x07\x1b[31m"
    folder.mkdir()
    if busy:
        (folder / "notes.txt").write_text("mine")
    code, out, err = run(capsys, str(folder))
    assert code == (2 if busy else 0)
    assert "evil" in out + err and not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", out + err)
