"""`vgtutor exercise`: verdicts, exit codes 0/1/2, the JSON contract, hints and packs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tui.cli import main

MINIMAL = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"
BUILTIN_IDS = {
    "sigmoid-30-one-decade",
    "sigmoid-how-deep",
    "swap-the-activation",
    "relu-50-level-signal",
    "tanh-stop-explosion",
    "relu-50-batchnorm-residual",
    "clip-the-explosion",
    "sigmoid-adam",
    "rnn-fifty-steps",
    "lstm-three-decades",
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(["exercise", *args])
    except SystemExit as exit_info:  # argparse's own misuse errors
        code = exit_info.code  # type: ignore[assignment]
    out, err = capsys.readouterr()
    return code, out, err


def strict_json(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in JSON output")

    return json.loads(text, parse_constant=refuse)


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


# -- verdicts and exit codes ---------------------------------------------------------


def test_a_met_goal_prints_the_verdict_and_numbers_and_exits_0(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "sigmoid-30-one-decade", "--batchnorm")
    lines = out.splitlines()
    assert (code, err) == (0, "")
    assert lines[0].startswith("sigmoid-30-one-decade: met: layer 1's weight gradient")
    assert lines[1].startswith("measured: weight_log10_ratio ")
    assert len(lines) == 2


def test_an_unmet_goal_exits_1_and_repeats_the_task(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sigmoid-30-one-decade")
    lines = out.splitlines()
    assert code == 1
    assert lines[0].startswith("sigmoid-30-one-decade: not met: ")
    assert lines[-1].startswith("task: A 30-layer sigmoid net")


def test_a_locked_setting_is_refused_with_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "relu-50-batchnorm-residual", "--no-batchnorm")
    assert code == 1
    assert out.splitlines()[0] == (
        "relu-50-batchnorm-residual: not allowed: this exercise locks batchnorm "
        "(keep True, not False)"
    )


def test_json_has_exactly_the_agreed_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rnn-fifty-steps", "--recurrent-init", "orthogonal", "--json")
    data = strict_json(out)
    assert code == 0
    assert set(data) == {
        "version",
        "exercise",
        "pack",
        "config",
        "met",
        "refused",
        "measured",
        "message",
    }
    assert data["refused"] == []
    assert data["exercise"] == "rnn-fifty-steps" and data["met"] is True
    assert data["config"]["cell"] == "rnn" and data["config"]["recurrent_init"] == "orthogonal"
    assert set(data["measured"]) == {"log10_ratio", "overflow", "overflow_step"}
    assert data["message"].startswith("met: ")


def test_json_of_a_train_exercise_is_strict_even_when_the_run_diverges(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "clip-the-explosion", "--json")
    data = strict_json(out)
    assert code == 1 and data["met"] is False
    assert data["config"]["net"]["activation"] == "relu" and data["config"]["clip_norm"] is None
    assert data["measured"]["diverged"] is True and data["measured"]["final_loss"] is None


@pytest.mark.slow
def test_training_flags_change_a_train_exercise(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "clip-the-explosion", "--clip-value", "1", "--json")
    data = strict_json(out)
    assert code == 0 and data["config"]["clip_value"] == 1


def test_steps_means_time_steps_in_an_rnn_exercise(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lstm-three-decades", "--steps", "10")
    assert code == 1
    assert "this exercise locks seq_len (keep 50, not 10)" in out


def test_hints_are_shown_up_to_n(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lstm-three-decades", "--hint", "2")
    hints = [line for line in out.splitlines() if line.startswith("hint ")]
    assert code == 1
    assert [h.split(":")[0] for h in hints] == ["hint 1/3", "hint 2/3"]
    code, out, _ = run(capsys, "lstm-three-decades", "--hint", "1", "--json")
    assert len(strict_json(out)["hints"]) == 1


@pytest.mark.slow
def test_the_command_line_entry_gives_the_same_exit_codes() -> None:
    def vgtutor(*args: str) -> int:
        command = [sys.executable, "-m", "tui", "exercise", *args]
        return subprocess.run(command, capture_output=True, timeout=120).returncode

    assert vgtutor("tanh-stop-explosion", "--init", "xavier") == 0
    assert vgtutor("tanh-stop-explosion") == 1
    assert vgtutor("no-such-exercise") == 2


# -- listing -------------------------------------------------------------------------


def test_list_prints_every_id_with_its_title(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--list")
    rows = [line.split(maxsplit=1) for line in out.splitlines()]
    assert code == 0
    assert {row[0] for row in rows} == BUILTIN_IDS
    assert all(len(row) == 2 and row[1] for row in rows)


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--list", "--json")
    entries = strict_json(out)["exercises"]
    assert code == 0 and {e["id"] for e in entries} == BUILTIN_IDS
    assert set(entries[0]) == {"id", "pack", "title", "lesson", "kind", "task", "locked"}
    assert entries[0]["pack"] == "vanishing-gradients"


# -- misuse: exit 2, one line --------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["nope"], "no exercise 'nope'; `vgtutor exercise --list` lists them"),
        ([], "give an exercise ID; `vgtutor exercise --list` lists them"),
        (["sigmoid-adam", "--list"], "--list: give either --list or an exercise ID, not both"),
        (["clip-the-explosion", "--cell", "lstm"], "--cell: does not apply to train exercises"),
        (["rnn-fifty-steps", "--depth", "3"], "--depth: does not apply to rnn exercises"),
        (["sigmoid-how-deep", "--lr", "0.1"], "--lr: does not apply to profile exercises"),
        (["sigmoid-how-deep", "--depth", "0"], "--depth: must be a whole number from 1 to 200"),
        (["rnn-fifty-steps", "--steps", "x"], "--steps: must be a whole number from 1 to 1000"),
        (["sigmoid-how-deep", "--hint", "4"], "--hint: must be a whole number from 1 to 3"),
        (["sigmoid-how-deep", "--pack", "/no/such/folder"], "--pack: /no/such/folder is not"),
    ],
)
def test_misuse_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    line = one_line(err)
    assert line.startswith("vgtutor exercise: error: ")
    assert expected in line


def test_an_unknown_choice_is_argparse_misuse(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "sigmoid-how-deep", "--activation", "softmax")
    assert code == 2 and "--activation" in one_line(err)


# -- exercises from a pack -------------------------------------------------------------

PACK_EXERCISE = """
[[exercise]]
id = "{id}"
title = "Level bars"
kind = "profile"
task = "Keep ReLU and level the bars."
locked = ["activation"]
hints = ["He init."]

[exercise.start]
activation = "relu"
init = "small"
depth = 6

[exercise.goal]
signal_log10_ratio = {{ min = -1.0, max = 1.0 }}
"""


def pack_with_exercise(tmp_path: Path, exercise_id: str) -> Path:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "pack"))
    manifest = root / "pack.toml"
    text = manifest.read_text().replace(
        "[[lesson]]", 'exercise_files = ["exercises.toml"]\n\n[[lesson]]', 1
    )
    manifest.write_text(text)
    (root / "exercises.toml").write_text(PACK_EXERCISE.format(id=exercise_id))
    return root


def test_pack_exercises_are_found_with_pack_and_listed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = str(pack_with_exercise(tmp_path, "level-bars"))
    code, out, err = run(capsys, "level-bars", "--pack", root, "--init", "he")
    assert (code, err) == (0, "") and out.startswith("level-bars: met: ")
    code, out, _ = run(capsys, "--list", "--pack", root)
    assert "level-bars" in out.split()
    assert main(["--pack", root, "exercise", "level-bars"]) == 1  # the top-level --pack too


def test_an_id_in_two_packs_must_be_qualified(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = str(pack_with_exercise(tmp_path, "sigmoid-how-deep"))
    code, _, err = run(capsys, "sigmoid-how-deep", "--pack", root)
    assert code == 2
    assert "give one of vanishing-gradients/sigmoid-how-deep, minimal-example/sigmoid-how-deep" in (
        one_line(err)
    )
    code, out, _ = run(capsys, "minimal-example/sigmoid-how-deep", "--pack", root, "--init", "he")
    assert code == 0 and out.startswith("sigmoid-how-deep: met: ")


def test_a_pack_with_problems_warns_once_and_still_serves_its_sound_exercises(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = pack_with_exercise(tmp_path, "level-bars")
    with (root / "exercises.toml").open("a") as handle:
        handle.write('\n[[exercise]]\nid = "broken"\n')
    code, _, err = run(capsys, "level-bars", "--pack", str(root), "--init", "he")
    assert code == 0
    assert one_line(err).startswith(f"vgtutor exercise: warning: {root} has ")
