"""Lab exercises: the built-in ones are sound and solvable, goals and locks hold, bad files
are reported at their file and line."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from lessons import exercise_goals as exercises_module
from lessons.catalog import builtin_pack_path, load_pack
from lessons.exercise_goals import (
    Exercise,
    Goal,
    check_exercise,
    config_with,
    locked_changes,
    settings_of,
)
from lessons.lab.config import NetConfig, RNNConfig, TrainConfig
from lessons.pack import PackError

MINIMAL = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"

# Every built-in exercise carries its solution in its [exercise.solution] table.
BUILTIN_IDS = (
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
)
# Other routes the hints name, so the hints stay true.
ALSO_SOLVE: list[tuple[str, dict[str, Any]]] = [
    ("sigmoid-30-one-decade", {"batchnorm": True, "residual": True}),
    ("swap-the-activation", {"activation": "elu"}),
    ("tanh-stop-explosion", {"batchnorm": True}),
    ("clip-the-explosion", {"clip_value": 1.0}),
]
# Tempting changes the hints say fall short.
FALL_SHORT: list[tuple[str, dict[str, Any]]] = [
    ("sigmoid-30-one-decade", {"residual": True}),
    ("sigmoid-how-deep", {"depth": 6}),
    ("swap-the-activation", {"activation": "silu"}),
    ("relu-50-level-signal", {"init": "orthogonal"}),
    ("tanh-stop-explosion", {"init": "small"}),
    ("clip-the-explosion", {"clip_norm": 100.0}),
    ("lstm-three-decades", {"forget_bias": 1.0}),
]


@pytest.fixture(scope="module")
def builtin() -> dict[str, Exercise]:
    pack, errors = load_pack(builtin_pack_path())
    assert errors == [] and pack is not None
    return pack.exercises


def solved(exercise: Exercise, changes: dict[str, Any]) -> bool:
    return check_exercise(exercise, config_with(exercise, changes)).met


# -- the built-in exercises --------------------------------------------------------


def test_the_course_has_at_least_8_exercises_across_its_lessons(
    builtin: dict[str, Exercise],
) -> None:
    pack, _ = load_pack(builtin_pack_path())
    assert pack is not None
    lesson_ids = {lesson.id for lesson in pack.lessons}
    assert len(builtin) >= 8
    assert {exercise.lesson for exercise in builtin.values()} <= lesson_ids
    assert len({exercise.lesson for exercise in builtin.values()}) >= 6
    assert {exercise.kind for exercise in builtin.values()} == {"profile", "train", "rnn"}
    for exercise in builtin.values():
        assert 2 <= len(exercise.hints) <= 3, exercise.id
        assert exercise.locked and exercise.pack_id == pack.id


def test_every_built_in_exercise_has_a_documented_solution(
    builtin: dict[str, Exercise],
) -> None:
    assert set(builtin) == set(BUILTIN_IDS)


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", BUILTIN_IDS)
def test_not_met_at_the_start_and_met_by_the_solution(
    builtin: dict[str, Exercise], exercise_id: str
) -> None:
    exercise = builtin[exercise_id]
    at_start = check_exercise(exercise, exercise.start)
    assert not at_start.met and at_start.message.startswith("not met: ")
    solution = exercise.solution
    assert solution is not None
    assert locked_changes(exercise, solution) == []
    verdict = check_exercise(exercise, solution)
    assert verdict.met, verdict.message
    assert verdict.message.startswith("met: ")


@pytest.mark.slow
@pytest.mark.parametrize(("exercise_id", "changes"), ALSO_SOLVE)
def test_the_other_routes_the_hints_name_also_solve(
    builtin: dict[str, Exercise], exercise_id: str, changes: dict[str, Any]
) -> None:
    assert solved(builtin[exercise_id], changes)


@pytest.mark.slow
@pytest.mark.parametrize(("exercise_id", "changes"), FALL_SHORT)
def test_what_the_hints_say_falls_short_does(
    builtin: dict[str, Exercise], exercise_id: str, changes: dict[str, Any]
) -> None:
    assert not solved(builtin[exercise_id], changes)


# -- the checker ---------------------------------------------------------------------


def test_changing_a_locked_setting_is_refused_without_running_the_lab(
    builtin: dict[str, Exercise], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exercises_module, "run_lab", lambda config: pytest.fail("the lab ran"))
    exercise = builtin["sigmoid-30-one-decade"]
    verdict = check_exercise(exercise, config_with(exercise, {"activation": "relu"}))
    assert not verdict.met and verdict.measured == {}
    assert verdict.message == (
        "not allowed: this exercise locks activation (keep 'sigmoid', not 'relu')"
    )


def test_a_train_lock_covers_the_training_settings(builtin: dict[str, Exercise]) -> None:
    exercise = builtin["clip-the-explosion"]
    config = config_with(exercise, {"lr": 0.01, "clip_norm": 1.0})
    assert locked_changes(exercise, config) == ["lr"]


def test_a_config_of_another_kind_is_a_programming_error(builtin: dict[str, Exercise]) -> None:
    with pytest.raises(TypeError, match="profile exercise needs a NetConfig"):
        check_exercise(builtin["sigmoid-30-one-decade"], RNNConfig())


def test_the_measured_numbers_are_the_labs_own(builtin: dict[str, Exercise]) -> None:
    from lessons.lab.profile import run_profile

    exercise = builtin["sigmoid-30-one-decade"]
    verdict = check_exercise(exercise, exercise.start)
    profile = run_profile(exercise.start)
    assert verdict.measured == {
        "weight_log10_ratio": profile.weight_log10_ratio,
        "signal_log10_ratio": profile.signal_log10_ratio,
        "overflow": False,
        "overflow_layer": None,
    }
    assert verdict.message == (
        "not met: layer 1's weight gradient vs the last hidden layer's (log10) is "
        f"{profile.weight_log10_ratio:+.2f}, goal from -1 to +1"
    )


def test_a_result_the_caller_already_has_is_used_instead_of_a_new_run(
    builtin: dict[str, Exercise], monkeypatch: pytest.MonkeyPatch
) -> None:
    from lessons.lab.rnn import time_profile

    exercise = builtin["lstm-three-decades"]
    config = config_with(exercise, {"forget_bias": 2.0})
    profile = time_profile(config)
    monkeypatch.setattr(exercises_module, "run_lab", lambda config: pytest.fail("ran again"))
    verdict = check_exercise(exercise, config, profile)
    assert verdict.met and verdict.measured["log10_ratio"] == profile.log10_ratio
    with pytest.raises(ValueError, match="another configuration"):
        check_exercise(exercise, exercise.start, profile)


def test_an_unfinished_training_run_has_no_final_loss(builtin: dict[str, Exercise]) -> None:
    from lessons.lab.train import train

    exercise = builtin["sigmoid-adam"]
    config = config_with(exercise, {"optimizer": "adam", "lr": 0.01})
    stopped = train(config, should_stop=iter([False, False, True]).__next__)
    verdict = check_exercise(exercise, config, stopped)
    assert stopped.cancelled and verdict.measured["steps_done"] == 2
    assert not verdict.met and verdict.measured["final_loss"] is None


def test_a_diverged_run_has_no_final_loss(builtin: dict[str, Exercise]) -> None:
    exercise = builtin["clip-the-explosion"]
    verdict = check_exercise(exercise, exercise.start)
    measured = verdict.measured
    assert measured["diverged"] is True and measured["final_loss"] is None
    assert measured["steps_done"] < measured["diverged_at"] <= 300
    assert verdict.message == (
        "not met: the run diverged (inf or NaN), goal: the run did not diverge; "
        "final training loss is not measurable (the run overflowed or diverged), goal at most 0.5"
    )


@pytest.mark.parametrize(
    ("goal", "value", "holds"),
    [
        (Goal("final_loss", max=0.5), 0.5, True),
        (Goal("final_loss", max=0.5), 0.51, False),
        (Goal("final_loss", max=0.5), None, False),
        (Goal("log10_ratio", min=-3.0), -3.0, True),
        (Goal("log10_ratio", min=-3.0), -3.01, False),
        (Goal("weight_log10_ratio", min=-1.0, max=1.0), 1.2, False),
        (Goal("diverged", flag=False), False, True),
        (Goal("diverged", flag=False), True, False),
        (Goal("overflow", flag=False), None, False),
    ],
)
def test_goal_bounds_are_inclusive_and_unmeasured_never_holds(
    goal: Goal, value: Any, holds: bool
) -> None:
    assert goal.holds(value) is holds


def test_settings_of_flattens_a_train_config_as_presets_write_it() -> None:
    config = TrainConfig(net=NetConfig(depth=3), lr=0.2)
    settings = settings_of(config)
    assert settings["depth"] == 3 and settings["lr"] == 0.2 and "net" not in settings


def test_the_checker_and_loader_import_neither_numpy_nor_a_ui() -> None:
    code = (
        "import sys, lessons.exercise_goals, lessons.catalog\n"
        "print(sorted(m for m in ('numpy', 'textual', 'plotext') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


# -- loading exercise files ----------------------------------------------------------


def pack_with(tmp_path: Path, exercises: str, manifest_line: str | None = None) -> Path:
    """The minimal example pack plus an exercise file (and the manifest line naming it)."""
    root = Path(shutil.copytree(MINIMAL, tmp_path / "pack"))
    manifest = root / "pack.toml"
    line = manifest_line or 'exercise_files = ["exercises.toml"]'
    manifest.write_text(manifest.read_text().replace("[[lesson]]", f"{line}\n\n[[lesson]]", 1))
    (root / "exercises.toml").write_text(textwrap.dedent(exercises).lstrip("\n"))
    return root


def where(errors: list[PackError]) -> list[tuple[str, int | None, str]]:
    return [(e.file, e.line, e.field) for e in errors]


GOOD = """
[[exercise]]
id = "relu-he"
title = "Level bars"
lesson = "relu-he"
kind = "profile"
task = "Keep ReLU."
locked = ["activation"]
hints = ["He init."]

[exercise.start]
activation = "relu"
depth = 6

[exercise.goal]
weight_log10_ratio = { min = -1.0, max = 1.0 }
overflow = false
"""


def test_a_sound_exercise_file_loads_into_typed_exercises(tmp_path: Path) -> None:
    pack, errors = load_pack(pack_with(tmp_path, GOOD))
    assert errors == [] and pack is not None
    (exercise,) = pack.exercises.values()
    assert exercise == Exercise(
        id="relu-he",
        title="Level bars",
        task="Keep ReLU.",
        kind="profile",
        start=NetConfig(activation="relu", depth=6),
        goals=(Goal("weight_log10_ratio", -1.0, 1.0), Goal("overflow", flag=False)),
        hints=("He init.",),
        locked=("activation",),
        lesson="relu-he",
        pack_id="minimal-example",
        file="exercises.toml",
        line=1,
    )


def test_a_solution_is_the_start_with_its_settings_applied(tmp_path: Path) -> None:
    text = GOOD + '\n[exercise.solution]\ninit = "he"\n'
    pack, errors = load_pack(pack_with(tmp_path, text))
    assert errors == [] and pack is not None
    (exercise,) = pack.exercises.values()
    assert exercise.solution == NetConfig(activation="relu", depth=6, init="he")


@pytest.mark.parametrize(
    ("solution", "field", "message"),
    [
        ('init = "nope"', "exercise[relu-he].solution.init", "must be one of"),
        ("colour = 1", "exercise[relu-he].solution.colour", "unknown setting"),
        ("depth = -3", "exercise[relu-he].solution.depth", ""),
    ],
)
def test_a_bad_solution_setting_is_an_error_on_its_line(
    tmp_path: Path, solution: str, field: str, message: str
) -> None:
    text = GOOD + f"\n[exercise.solution]\n{solution}\n"
    pack, errors = load_pack(pack_with(tmp_path, text))
    assert pack is not None and pack.exercises == {}
    (error,) = errors
    assert (error.file, error.line, error.field) == ("exercises.toml", 19, field)
    assert message in error.message


def test_a_pack_without_exercise_files_has_no_exercises() -> None:
    pack, errors = load_pack(MINIMAL)
    assert errors == [] and pack is not None and pack.exercises == {}


BAD = """
[[exercise]]
id = "bad-one"
title = "Everything wrong"
lesson = "no-such-lesson"
kind = "profile"
task = ""
locked = ["activation", "steps"]
hints = []
colour = "red"

[exercise.start]
activation = "sigmoid"
optimizer = "adam"
depth = 0

[exercise.goal]
final_loss = { max = 0.5 }
weight_log10_ratio = { min = 2.0, max = 1.0 }
signal_log10_ratio = { below = 1.0 }
overflow = "no"

[[exercise]]
id = "bad-one"
title = "Duplicate id, empty hint, bad kind"
task = "Something."
kind = "quiz"
hints = ["fine", "  "]

[[exercise]]
id = "no-goal"
title = "No goal, no start"
task = "Something."
kind = "rnn"
hints = ["fine"]
"""

BAD_WHERE = [
    ("exercises.toml", 9, "exercise[bad-one].colour"),
    ("exercises.toml", 6, "exercise[bad-one].task"),
    ("exercises.toml", 4, "exercise[bad-one].lesson"),
    ("exercises.toml", 8, "exercise[bad-one].hints"),
    ("exercises.toml", 13, "exercise[bad-one].start.optimizer"),
    ("exercises.toml", 14, "exercise[bad-one].start.depth"),
    ("exercises.toml", 7, "exercise[bad-one].locked"),
    ("exercises.toml", 17, "exercise[bad-one].goal.final_loss"),
    ("exercises.toml", 18, "exercise[bad-one].goal.weight_log10_ratio"),
    ("exercises.toml", 19, "exercise[bad-one].goal.signal_log10_ratio.below"),
    ("exercises.toml", 19, "exercise[bad-one].goal.signal_log10_ratio"),
    ("exercises.toml", 20, "exercise[bad-one].goal.overflow"),
    ("exercises.toml", 23, "exercise[bad-one].id"),
    ("exercises.toml", 27, "exercise[bad-one].hints[2]"),
    ("exercises.toml", 26, "exercise[bad-one].kind"),
    ("exercises.toml", 29, "exercise[no-goal].start"),
    ("exercises.toml", 29, "exercise[no-goal].goal"),
]


def test_every_problem_in_an_exercise_file_is_reported_at_its_line(tmp_path: Path) -> None:
    pack, errors = load_pack(pack_with(tmp_path, BAD))
    assert where(errors) == BAD_WHERE
    assert pack is not None and pack.exercises == {}
    text = "\n".join(str(error) for error in errors)
    for expected in (
        "unknown key; expected one of: id, title, lesson, task, kind, start, locked, goal, hints",
        'no lesson has the id "no-such-lesson"',
        "must be a list of at least one hint; empty",
        "unknown setting for a profile exercise",
        '"steps" is not a setting of a profile exercise',
        "not a goal of a profile exercise; expected one of: weight_log10_ratio, "
        "signal_log10_ratio, overflow",
        "min is larger than max",
        "needs min, max or both",
        'must be true or false; got "no"',
        'duplicate id: another exercise is already "bad-one"',
        "must not be empty",
        "must be one of profile, train, rnn",
        "must be a table of lab settings; missing",
        "must be a table of conditions on log10_ratio, overflow; missing",
    ):
        assert expected in text, expected


def test_exercise_files_must_be_a_list_of_existing_files(tmp_path: Path) -> None:
    root = pack_with(tmp_path, GOOD, manifest_line='exercise_files = "exercises.toml"')
    _, errors = load_pack(root)
    assert where(errors) == [("pack.toml", 8, "exercise_files")]
    root = pack_with(tmp_path / "two", GOOD, manifest_line='exercise_files = ["nope.toml"]')
    _, errors = load_pack(root)
    assert where(errors) == [("pack.toml", 8, "exercise_files[1]")]
    assert "no such file" in errors[0].message


def test_an_exercise_file_without_exercises_is_reported(tmp_path: Path) -> None:
    _, errors = load_pack(pack_with(tmp_path, "# nothing yet\n"))
    assert [str(e) for e in errors] == [
        "exercises.toml: exercise: no exercises: add [[exercise]] tables"
    ]


def test_hint_text_is_cleaned_of_terminal_escapes(tmp_path: Path) -> None:
    escaped = GOOD.replace("He init.", "He\\u001b[2J init.")
    pack, errors = load_pack(pack_with(tmp_path, escaped))
    assert where(errors) == [("exercises.toml", 8, "exercise[relu-he].hints[1]")]
    assert pack is not None and pack.exercises["relu-he"].hints == ("He init.",)
