"""`vgtutor check` proves exercises solvable and checks what the app would open."""

from __future__ import annotations

import argparse
import json
import shutil
import textwrap
from pathlib import Path

import pytest

from lessons.catalog import builtin_pack_path, load_pack
from tui.commands import check

MINIMAL = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"

# A 6-layer ReLU net with tiny weights: its backward signal fades by ~7 decades;
# He init levels it (the exercise `vgtutor new-pack` writes).
EXERCISE = """
[[exercise]]
id = "level"
title = "Level the signal"
kind = "profile"
task = "Level it."
locked = {locked}
hints = ["He init."]

[exercise.start]
activation = "relu"
init = "{start_init}"
depth = 6
width = 32

[exercise.goal]
signal_log10_ratio = {{ min = -0.5, max = 0.5 }}
"""


def pack(tmp_path: Path, name: str = "pack", solution: str | None = None, **fill: str) -> Path:
    """The minimal pack plus one exercise (with `solution` lines, if given)."""
    root = Path(shutil.copytree(MINIMAL, tmp_path / name))
    manifest = root / "pack.toml"
    text = manifest.read_text().replace(
        "[[lesson]]", 'exercise_files = ["exercises.toml"]\n\n[[lesson]]', 1
    )
    manifest.write_text(text)
    values = {"locked": '["activation", "depth"]', "start_init": "small", **fill}
    body = textwrap.dedent(EXERCISE).lstrip("\n").format(**values)
    if solution is not None:
        body += f"\n[exercise.solution]\n{solution}\n"
    (root / "exercises.toml").write_text(body)
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="vgtutor")
    parser.add_argument("--pack", action="append", default=[])
    check.add_parser(parser.add_subparsers())
    args = parser.parse_args(list(argv))
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def problems(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, object]]]:
    code, out, _ = run(capsys, "check", "--json", *argv)
    return code, json.loads(out)["problems"]


def test_a_proven_exercise_passes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = pack(tmp_path, solution='init = "he"')
    code, out, _ = run(capsys, "check", str(folder))
    assert (code, out) == (
        0,
        f"minimal-example ({folder}): 2 lessons, 3 questions, 1 exercise, 0 errors, 0 warnings\n",
    )


def test_a_missing_solution_is_a_warning_and_exit_0(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = pack(tmp_path)
    code, out, _ = run(capsys, "check", str(folder))
    assert code == 0
    assert out.splitlines()[0] == (
        f"{folder}/exercises.toml:1: exercise[level].solution: warning: missing: the goal is "
        "unproven; add [exercise.solution] with settings that meet it"
    )
    assert out.splitlines()[-1].endswith("1 exercise, 0 errors, 1 warning")


def test_a_start_that_already_meets_the_goal_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = pack(tmp_path, solution='init = "he"', start_init="he")
    code, found = problems(capsys, str(folder))
    assert code == 1
    (problem,) = found
    assert (problem["field"], problem["severity"], problem["line"]) == (
        "exercise[level].start",
        "error",
        1,
    )
    assert str(problem["message"]).startswith("already meets the goal, nothing to do: met: ")


def test_a_solution_that_misses_the_goal_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = pack(tmp_path, solution='init = "orthogonal"')
    code, found = problems(capsys, str(folder))
    assert code == 1
    (problem,) = found
    assert problem["field"] == "exercise[level].solution"
    assert str(problem["message"]).startswith("does not meet the goal: not met: ")
    assert problem["pack"] == "minimal-example"
    assert problem["file"] == f"{folder}/exercises.toml"


def test_a_solution_through_a_locked_setting_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Every setting that matters locked: the only solution changes one, which a learner
    could not do; the exercise cannot be solved."""
    locked = '["activation", "depth", "init", "width", "batchnorm", "residual", "seed"]'
    folder = pack(tmp_path, solution='init = "he"', locked=locked)
    code, found = problems(capsys, str(folder))
    assert code == 1
    (problem,) = found
    assert problem["message"] == "changes locked setting(s) init: a learner could not do that"


def test_a_goal_no_setting_reaches_cannot_be_proven(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = pack(tmp_path, solution='init = "he"')
    exercises = folder / "exercises.toml"
    exercises.write_text(
        exercises.read_text().replace("{ min = -0.5, max = 0.5 }", "{ min = 40.0 }")
    )
    code, found = problems(capsys, str(folder))
    assert code == 1
    assert [p["field"] for p in found] == ["exercise[level].solution"]


@pytest.mark.slow
def test_the_builtin_course_and_every_pack_are_checked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = pack(tmp_path, solution='init = "he"')
    code, out, _ = run(capsys, "--pack", str(folder), "check")
    summaries = out.splitlines()
    assert code == 0 and len(summaries) == 2
    assert summaries[0].startswith("vanishing-gradients (")
    course, _ = load_pack(builtin_pack_path())
    assert course is not None
    questions = sum(len(lesson.questions) for lesson in course.lessons)
    assert summaries[0].endswith(
        f"lessons/content): {len(course.lessons)} lessons, {questions} questions, "
        f"{len(course.exercises)} exercises, 0 errors, 0 warnings"
    )
    assert summaries[1].startswith(f"minimal-example ({folder}): ")
    code, again, _ = run(capsys, "check", "--pack", str(folder))
    assert (code, again) == (0, out)


def test_two_packs_with_one_id_are_an_error_naming_both_folders(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first = pack(tmp_path, "first", solution='init = "he"')
    second = pack(tmp_path, "second", solution='init = "he"')
    code, out, _ = run(capsys, "check", str(first), str(second))
    assert code == 1
    (error,) = [line for line in out.splitlines() if "duplicate" in line]
    assert error == (
        f'{second}/pack.toml:4: id: duplicate pack id "minimal-example": {first} has it too; '
        f"the app opens only the first, so {second} is left out"
    )


def test_the_command_the_app_prints_is_the_one_that_checks_its_packs() -> None:
    assert check.check_command([]) == "vgtutor check"
    assert check.check_command([Path("a b"), Path("c")]) == "vgtutor check --pack 'a b' --pack c"
