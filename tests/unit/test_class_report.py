"""`vgtutor class-report DIR` over a folder of learners, and how names become folders."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from lessons.learners import folder_name
from lessons.progress import ProgressStore
from tui.cli import main

WHEN = datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("typed", "folder"),
    [
        ("Ana", "ana"),
        ("  Ana Maria ", "ana-maria"),
        ("Ána", "ana"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c", "a-b-c"),
        ("CON", "learner-con"),
        ("x" * 100, "x" * 40),
        ("!!!", None),
        ("", None),
        ("\x1b]0;owned\x07", "0-owned"),
        ("李 Wei", "u674e-wei"),
        ("Straße", "strasse"),
    ],
)
def test_a_typed_name_becomes_one_safe_folder_name(typed: str, folder: str | None) -> None:
    assert folder_name(typed) == folder


@pytest.fixture
def learners(tmp_path: Path) -> Path:
    """Three learners as `vgtutor serve` leaves them, plus a damaged file and a stray file."""
    root = tmp_path / "class"
    ana = ProgressStore(root / "ana")
    ana.update(lambda p: p.mark_read("vg/intro").record_quiz("vg/intro", 2, 4))
    ana.update(lambda p: p.record_quiz("vg/intro", 4, 4).record_quiz("vg/depth", 1, 3))
    ana.update(lambda p: p.mark_exercise_done("vg/fix-depth", WHEN))
    ProgressStore(root / "ben").update(lambda p: p.mark_read("vg/intro").mark_read("vg/depth"))
    (root / "cleo").mkdir()  # gave a name, did nothing yet
    (root / "dan").mkdir()
    (root / "dan" / "progress.json").write_text("{not json")
    (root / "notes.txt").write_text("instructor's notes")
    return root


def test_the_table_lists_every_learner_with_reads_scores_and_exercises(
    learners: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["class-report", str(learners)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines.pop(0) == "Pack: vg"  # every key is in one pack: it is named once
    assert lines[0].split() == [
        "Learner",
        "Lessons",
        "read",
        "Best",
        "quiz",
        "scores",
        "Exercises",
        "solved",
    ]
    first = {line.split()[0] for line in lines[2:] if line and not line.startswith(" ")}
    assert first == {"ana", "ben", "cleo", "dan"}
    ana = [line for line in lines if line.startswith("ana")][0]
    assert ana.split()[:4] == ["ana", "1", "depth", "1/3"]
    assert "intro 4/4" in out and "fix-depth" in out
    assert "dan: progress file unreadable (not valid JSON at line 1)" in err
    # A report only reads: the damaged file is where it was, nothing was moved aside.
    assert (learners / "dan" / "progress.json").read_text() == "{not json"
    assert sorted(p.name for p in (learners / "dan").iterdir()) == ["progress.json"]


def test_json_and_csv_carry_the_same_numbers(
    learners: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["class-report", str(learners), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["version"] == 1
    by_name = {entry["learner"]: entry for entry in report["learners"]}
    assert by_name["ana"]["lessons_read"] == ["vg/intro"]
    assert by_name["ana"]["quiz_best"] == {
        "vg/depth": {"best": 1, "total": 3},
        "vg/intro": {"best": 4, "total": 4},
    }
    assert by_name["ana"]["exercises_solved"] == ["vg/fix-depth"]
    assert by_name["ben"]["lessons_read"] == ["vg/depth", "vg/intro"]
    assert by_name["cleo"] == {
        "learner": "cleo",
        "lessons_read": [],
        "quiz_best": {},
        "exercises_solved": [],
        "problem": None,
    }
    assert by_name["dan"]["problem"] == "not valid JSON at line 1"

    assert main(["class-report", str(learners), "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["learner"] for row in rows] == ["ana", "ben", "cleo", "dan"]
    assert rows[1]["lessons_read"] == "vg/depth; vg/intro" and rows[1]["lessons_read_count"] == "2"
    assert rows[0]["quiz_best"] == "vg/depth 1/3; vg/intro 4/4"
    assert rows[0]["exercises_solved_count"] == "1"


def test_an_empty_folder_and_a_missing_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["class-report", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "No learners yet.\n"
    assert main(["class-report", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err == (
        f"vgtutor class-report: error: {tmp_path / 'nope'} is not a folder\n"
    )


def test_csv_and_json_together_is_misuse(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["class-report", str(tmp_path), "--csv", "--json"])
    assert exit_info.value.code == 2


def test_keys_from_several_packs_are_shown_whole(
    learners: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ProgressStore(learners / "eve").update(lambda p: p.mark_read("week2/rnn"))
    assert main(["class-report", str(learners)]) == 0
    out = capsys.readouterr().out
    assert not out.startswith("Pack:")
    assert "week2/rnn" in out and "vg/depth 1/3" in out
