"""Every run has a budget (memory and multiply-adds) checked before any numpy runs.

Settings inside each field's own range could still ask for 31 GiB or minutes of work
(issue 15, item 4): presets, exercises, `check` and the CLI refuse them with a message
naming the setting, and a MemoryError that still happens is one line, not a traceback.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lessons.catalog import load_pack
from lessons.lab.config import (
    MAX_RUN_BYTES,
    MAX_RUN_WORK,
    NetConfig,
    RNNConfig,
    TrainConfig,
    budget_problem,
    config_from_settings,
    run_cost,
)
from tui.cli import main

MINIMAL = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"
VGTUTOR = Path(sys.executable).parent / "vgtutor"

TOO_BIG = {
    "rnn seq_len 1000 hidden 1024 (73 s on the UI thread)": (
        "rnn",
        {"seq_len": 1000, "hidden": 1024, "batch": 16},
        "hidden",
    ),
    "rnn batch 4096 (31 GiB)": ("rnn", {"seq_len": 1000, "hidden": 1024, "batch": 4096}, "batch"),
    "profile depth 200 width 1024 batch 4096 in_dim 1024 (> 8 GB)": (
        "profile",
        {"depth": 200, "width": 1024, "batch": 4096, "in_dim": 1024},
        "in_dim",
    ),
    "train 100000 steps": ("train", {"steps": 100_000}, "steps"),
}


@pytest.mark.parametrize("kind, settings, named", TOO_BIG.values(), ids=TOO_BIG.keys())
def test_settings_over_budget_are_refused_naming_a_setting(
    kind: str, settings: dict[str, int], named: str
) -> None:
    with pytest.raises(ValueError, match=rf"^{named}: too big a run \(.*(memory|multiply-adds)"):
        config_from_settings(kind, settings)


def test_the_labs_own_extremes_and_defaults_fit() -> None:
    """The lab screen's deepest, widest net at the default batch, and every default."""
    deepest = NetConfig(depth=200, width=256)
    assert budget_problem(deepest) is None
    for cfg in (NetConfig(), TrainConfig(), RNNConfig(), RNNConfig(cell="lstm", seq_len=100)):
        assert budget_problem(cfg) is None
    assert run_cost(deepest).work <= MAX_RUN_WORK
    assert run_cost(deepest).bytes <= MAX_RUN_BYTES


def test_the_memory_estimate_is_not_below_what_a_run_holds() -> None:
    """tracemalloc sees numpy's allocations: the estimate must cover the real peak."""
    import tracemalloc

    from lessons.lab.profile import run_profile
    from lessons.lab.rnn import time_profile

    runs = [
        (NetConfig(depth=20, width=128, batch=128), run_profile),
        (NetConfig(depth=20, width=128, batch=128, batchnorm=True, residual=True), run_profile),
        (NetConfig(depth=20, width=128, batch=128, layernorm=True, residual=True), run_profile),
        (RNNConfig(cell="lstm", seq_len=40, hidden=64, batch=32), time_profile),
        (RNNConfig(cell="gru", seq_len=40, hidden=64, batch=32), time_profile),
        (RNNConfig(cell="rnn", seq_len=40, hidden=64, batch=32), time_profile),
    ]
    for cfg, fn in runs:
        tracemalloc.start()
        fn(cfg)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak <= run_cost(cfg).bytes, cfg


def _pack_with_long_training(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    manifest = pack / "pack.toml"
    text = manifest.read_text()
    manifest.write_text(text.replace("[[lesson]]", 'exercise_files = ["ex.toml"]\n\n[[lesson]]', 1))
    lesson = next(
        line for line in text.splitlines() if line.startswith("id = ") and "minimal" not in line
    )
    (pack / "ex.toml").write_text(
        "[[exercise]]\n"
        'id = "forever"\ntitle = "Train for ever"\n'
        f"lesson = {lesson.split('=', 1)[1].strip()}\n"
        'kind = "train"\ntask = "Train."\nhints = ["h"]\n'
        "[exercise.start]\nsteps = 100000\n"
        "[exercise.goal]\ndiverged = false\n"
    )
    return pack


def test_check_refuses_a_100000_step_train_exercise(tmp_path: Path) -> None:
    pack, errors = load_pack(_pack_with_long_training(tmp_path))
    shown = [str(error) for error in errors]
    assert any("ex.toml" in e and "steps" in e and "too big a run" in e for e in shown), shown


@pytest.mark.parametrize(
    "args, flag",
    [
        (["rnn", "--cell", "lstm", "--steps", "1000", "--hidden", "1024"], "--hidden"),
        (["lab", "--depth", "200", "--width", "1024"], "--depth"),
        (["lab", "--train", "5000", "--width", "1024"], "--train"),
        (
            ["exercise", "clip-the-explosion", "--clip-norm", "1", "--seed", "1", "--steps", "1"],
            None,
        ),
        (["exercise", "rnn-fifty-steps", "--steps", "1000", "--hidden", "1024"], "--hidden"),
    ],
)
def test_the_cli_refuses_an_oversized_run_naming_the_flag(
    capsys: pytest.CaptureFixture[str], args: list[str], flag: str | None
) -> None:
    code = main(args)
    err = capsys.readouterr().err
    if flag is None:  # a locked setting, not a budget: the control case
        assert "too big a run" not in err
        return
    assert code == 2
    assert err.startswith(f"vgtutor {args[0]}: error: {flag}: too big a run")
    assert err.count("\n") == 1


def _limit_memory() -> None:
    limit = 700 * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.slow
@pytest.mark.skipif(not VGTUTOR.exists(), reason="the vgtutor console script is not installed")
def test_a_memory_error_is_one_line_and_exit_1() -> None:
    """Within the budget but on a machine that has less: a real MemoryError, told plainly."""
    result = subprocess.run(
        [str(VGTUTOR), "lab", "--depth", "200", "--width", "256", "--json"],
        preexec_fn=_limit_memory,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "vgtutor lab: out of memory: this machine cannot hold the run; try smaller settings\n"
    )
