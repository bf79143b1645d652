"""`vgtutor rnn`: one bar per time step (t=1 on top), the reading, JSON and misuse errors."""

import json
import re
import subprocess
import sys

import pytest

from lessons.lab import rnn as lab_rnn
from lessons.lab.config import RNNConfig
from tui.cli import main


def run_main(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_info:
        code = exit_info.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ratio(capsys, *args: str) -> float:
    code, out, _ = run_main(capsys, "rnn", *args, "--json")
    assert code == 0
    return json.loads(out)["summary"]["log10_ratio"]


def test_chart_has_one_row_per_step_first_step_on_top(capsys):
    code, out, err = run_main(
        capsys, "rnn", "--cell", "lstm", "--steps", "25", "--forget-bias", "1", "--size", "80x24"
    )
    assert code == 0 and err == ""
    labels = [line.partition("┤")[0].strip() for line in out.splitlines() if "┤" in line]
    assert labels == [f"t{t}" for t in range(1, 26)]
    reading = out.strip().splitlines()[-1]
    assert re.fullmatch(
        r"step 1 gets 10\^-\d+\.\d of step 25's gradient \(LSTM, forget bias 1, hidden 32\)",
        reading,
    ), reading


def test_json_has_one_entry_per_step(capsys):
    code, out, _ = run_main(
        capsys, "rnn", "--cell", "gru", "--steps", "12", "--hidden", "8", "--seed", "3", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["config"]["cell"] == "gru" and data["config"]["seq_len"] == 12
    assert data["config"]["hidden"] == 8 and data["config"]["seed"] == 3
    assert [s["step"] for s in data["steps"]] == list(range(1, 13))
    assert all(s["hidden_grad_norm"] > 0 for s in data["steps"])
    assert {"log10_ratio", "overflow_step", "reading"} <= set(data["summary"])


def test_lstm_with_forget_bias_1_keeps_more_gradient_than_a_vanilla_rnn(capsys):
    vanilla = ratio(capsys, "--cell", "rnn", "--steps", "30")
    lstm = ratio(capsys, "--cell", "lstm", "--steps", "30", "--forget-bias", "1")
    assert lstm > vanilla + 2


def test_an_overflow_is_marked_and_stays_valid_json(capsys, monkeypatch):
    def exploded(cfg: RNNConfig) -> lab_rnn.TimeProfile:
        return lab_rnn.TimeProfile(cfg, (float("inf"), float("nan"), 1e300, 1.0), float("nan"), 2)

    monkeypatch.setattr(lab_rnn, "time_profile", exploded)
    code, out, _ = run_main(capsys, "rnn", "--cell", "rnn", "--steps", "4", "--size", "80x24")
    assert code == 0
    assert "t1 !" in out and "t2 !" in out and "overflowed by step 2" in out
    code, out, _ = run_main(capsys, "rnn", "--cell", "rnn", "--steps", "4", "--json")
    data = json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    assert [s["hidden_grad_norm"] for s in data["steps"]] == [None, None, 1e300, 1.0]
    assert data["summary"]["log10_ratio"] is None and data["summary"]["overflow_step"] == 2


@pytest.mark.parametrize(
    "args, flag, hint",
    [
        (["--cell", "transformer"], "--cell", "lstm"),
        (["--steps", "3"], "--cell", "required"),
        (["--cell", "rnn", "--steps", "0"], "--steps", "from 1 to 1000"),
        (["--cell", "rnn", "--hidden", "-3"], "--hidden", "from 1 to"),
        (["--cell", "rnn", "--seed", "x"], "--seed", "whole number"),
        (["--cell", "lstm", "--forget-bias", "open"], "--forget-bias", "-10 up to 10"),
        (["--cell", "rnn", "--recurrent-init", "eye"], "--recurrent-init", "orthogonal"),
        (["--cell", "rnn", "--size", "wide"], "--size", "WIDTHxHEIGHT"),
    ],
)
def test_bad_flags_exit_2_with_one_line_naming_the_flag(capsys, args, flag, hint):
    code, out, err = run_main(capsys, "rnn", *args)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("vgtutor rnn: error:") and flag in lines[0] and hint in lines[0]


@pytest.mark.slow
def test_piped_output_is_plain_and_ascii_is_seven_bit():
    result = subprocess.run(
        [sys.executable, "-m", "tui", "rnn", "--cell", "rnn", "--steps", "10"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "\x1b" not in result.stdout
    ascii_run = subprocess.run(
        [sys.executable, "-m", "tui", "rnn", "--cell", "gru", "--steps", "10", "--ascii"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ascii_run.returncode == 0 and ascii_run.stdout.isascii()
    assert " t1+" in ascii_run.stdout and "step 1 gets 10^" in ascii_run.stdout
