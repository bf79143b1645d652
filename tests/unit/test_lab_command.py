"""`vgtutor lab`: one labelled row per layer, honest JSON, plain pipes, one-line misuse errors."""

import json
import os
import pty
import re
import subprocess
import sys
from dataclasses import replace

import pytest

from lessons.lab import profile as lab_profile
from lessons.lab.config import ACTIVATIONS, FIXES, INITS
from tui.cli import main
from tui.commands.lab_output import OVERFLOW_NOTE


def vgtutor(*args: str) -> tuple[int, str, str]:
    """Run `vgtutor ARGS` in a fresh process, as a user would (its BLAS single-threaded)."""
    result = run_cli(*args)
    return result.returncode, result.stdout, result.stderr


def run_main(capsys, *args: str) -> tuple[int, str, str]:
    """Run `vgtutor ARGS` in-process: for misuse, which exits before any numpy work, and
    for monkeypatched lab results. argparse's own errors arrive as SystemExit."""
    try:
        code = main(list(args))
    except SystemExit as exit_info:
        code = exit_info.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_cli(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=60, **kwargs
    )


def strict_json(text: str) -> dict:
    """Parse JSON, refusing NaN and Infinity (which json.dumps writes by default)."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in JSON output")

    return json.loads(text, parse_constant=refuse)


LAYER_LABEL = re.compile(r"(L\d+|out)( !)?")


def row_labels(text: str) -> list[str]:
    """The layer labels of the bar rows, top to bottom (other charts' ticks left out)."""
    labels = [line.partition("┤")[0].strip() for line in text.splitlines() if "┤" in line]
    return [label for label in labels if LAYER_LABEL.fullmatch(label)]


def test_chart_has_one_labelled_row_per_layer_input_first_and_a_reading():
    code, out, err = vgtutor("lab", "--depth", "12", "--size", "80x24")
    assert code == 0 and err == ""
    assert row_labels(out) == [f"L{i}" for i in range(1, 13)] + ["out"]
    assert out.strip().splitlines()[-1].startswith("layer 1 gets 10^")
    assert max(len(line) for line in out.splitlines()) <= 80


def test_a_chart_deeper_than_the_terminal_is_printed_in_full():
    code, out, _ = vgtutor("lab", "--depth", "60", "--size", "80x24")
    assert code == 0
    assert row_labels(out) == [f"L{i}" for i in range(1, 61)] + ["out"]


def test_signal_metric_has_no_bar_for_the_output_layer():
    code, out, _ = vgtutor("lab", "--depth", "5", "--metric", "signal")
    assert code == 0
    assert row_labels(out) == ["L1", "L2", "L3", "L4", "L5"]
    assert "backward signal" in out


def test_json_sigmoid_depth_20_vanishes():
    code, out, _ = vgtutor("lab", "--activation", "sigmoid", "--depth", "20", "--json")
    assert code == 0
    data = strict_json(out)
    assert data["config"]["activation"] == "sigmoid" and data["config"]["depth"] == 20
    layers = data["layers"]
    assert [entry["layer"] for entry in layers] == list(range(1, 22))
    assert layers[-1]["signal_grad_norm"] is None
    assert all(entry["weight_grad_norm"] > 0 for entry in layers)
    summary = data["summary"]
    assert summary["weight_log10_ratio"] < -8
    assert summary["overflow_layer"] is None
    assert summary["loss"] > 0 and "layer 20" in summary["reading"]
    assert {"signal_log10_ratio"} <= set(summary)


def test_json_relu_he_stays_within_about_one_decade():
    code, out, _ = vgtutor("lab", "--activation", "relu", "--init", "he", "--depth", "20", "--json")
    assert code == 0
    data = strict_json(out)
    assert len(data["layers"]) == 21
    assert abs(data["summary"]["weight_log10_ratio"]) <= 1.2


@pytest.mark.parametrize(
    "axis, labels", [("activations", ACTIVATIONS), ("inits", INITS), ("fixes", FIXES)]
)
def test_compare_json_has_one_run_per_setting(axis, labels):
    code, out, _ = vgtutor("lab", "--compare", axis, "--depth", "3", "--json")
    assert code == 0
    data = strict_json(out)
    assert data["compare"] == axis and data["config"]["depth"] == 3
    assert [run["label"] for run in data["runs"]] == list(labels)
    for run in data["runs"]:
        assert len(run["layers"]) == 4 and run["layers"][-1]["signal_grad_norm"] is None
        assert "weight_log10_ratio" in run["summary"]
        assert run["config"]["depth"] == 3


def test_compare_depths_runs_the_apps_four_depths():
    code, out, _ = vgtutor("lab", "--compare", "depths", "--width", "8", "--json")
    assert code == 0
    runs = strict_json(out)["runs"]
    assert [run["label"] for run in runs] == ["5", "10", "20", "50"]
    assert [len(run["layers"]) for run in runs] == [6, 11, 21, 51]


def test_compare_chart_stacks_one_titled_chart_per_setting_on_one_axis():
    code, out, _ = vgtutor("lab", "--compare", "inits", "--depth", "2", "--size", "80x24")
    assert code == 0
    assert row_labels(out) == ["L1", "L2", "out"] * len(INITS)
    for init in INITS:
        assert f"{init}: layer 1 gets" in out
    tick_lines = [line.split() for line in out.splitlines() if line.lstrip().startswith("-")]
    assert len(tick_lines) == len(INITS) and all(t == tick_lines[0] for t in tick_lines)


def test_train_json_records_losses_final_norms_and_summary():
    code, out, _ = vgtutor(
        "lab",
        "--train",
        "5",
        "--depth",
        "3",
        "--optimizer",
        "adam",
        "--lr",
        "0.01",
        "--dataset",
        "xor",
        "--json",
    )
    assert code == 0
    data = strict_json(out)
    assert data["config"]["steps"] == 5 and data["config"]["net"]["depth"] == 3
    assert data["config"]["optimizer"] == "adam" and data["config"]["dataset"] == "xor"
    assert len(data["losses"]) == 5
    assert [entry["layer"] for entry in data["layers"]] == [1, 2, 3, 4]
    assert all(entry["weight_grad_norm"] > 0 for entry in data["layers"])
    summary = data["summary"]
    assert summary["diverged_at"] is None and summary["final_loss"] == data["losses"][-1]
    assert 0 <= summary["accuracy"] <= 1


DIVERGING = (
    "lab",
    "--train",
    "20",
    "--depth",
    "3",
    "--activation",
    "linear",
    "--init",
    "standard",
    "--width",
    "256",
    "--lr",
    "100",
)


@pytest.mark.slow
def test_a_diverging_run_reports_its_step_and_stays_valid_json():
    code, out, _ = vgtutor(*DIVERGING, "--json")
    assert code == 0
    data = strict_json(out)
    diverged = data["summary"]["diverged_at"]
    assert isinstance(diverged, int) and len(data["losses"]) == diverged - 1
    code, out, _ = vgtutor(*DIVERGING, "--size", "80x24")
    assert code == 0
    assert "training loss" in out and f"diverged at step {diverged}" in out
    assert row_labels(out) == ["L1", "L2", "L3", "out"]


def test_overflowed_layers_get_a_marker_and_null_in_json(capsys, monkeypatch):
    real = lab_profile.run_profile

    def overflowing(cfg):
        profile = real(cfg)
        layers = [
            replace(s, weight_grad_norm=None, signal_grad_norm=None) if s.layer >= 2 else s
            for s in profile.layers
        ]
        return replace(
            profile,
            layers=tuple(layers),
            weight_log10_ratio=None,
            signal_log10_ratio=None,
            loss=None,
            overflow_layer=2,
        )

    monkeypatch.setattr(lab_profile, "run_profile", overflowing)
    code, out, _ = run_main(capsys, "lab", "--depth", "3", "--size", "80x24")
    assert code == 0
    assert row_labels(out) == ["L1", "L2 !", "L3 !", "out !"]
    assert OVERFLOW_NOTE in out and "overflow at layer 2" in out
    code, out, _ = run_main(capsys, "lab", "--depth", "3", "--json")
    data = strict_json(out)
    assert data["summary"]["overflow_layer"] == 2 and data["summary"]["loss"] is None
    assert data["layers"][1]["weight_grad_norm"] is None


def test_exploding_standard_init_at_depth_200_gives_valid_json():
    code, out, _ = vgtutor(
        "lab",
        "--activation",
        "relu",
        "--init",
        "standard",
        "--depth",
        "200",
        "--width",
        "16",
        "--json",
    )
    assert code == 0
    data = strict_json(out)
    assert len(data["layers"]) == 201
    finite = [e["weight_grad_norm"] for e in data["layers"] if e["weight_grad_norm"] is not None]
    assert max(finite) > 1e50  # the gradients exploded


@pytest.mark.parametrize(
    "args, flag, hint",
    [
        (["--activation", "swish"], "--activation", "sigmoid"),
        (["--init", "lecun"], "--init", "xavier"),
        (["--depth", "0"], "--depth", "from 1 to 200"),
        (["--depth", "deep"], "--depth", "from 1 to 200"),
        (["--width", "-3"], "--width", "from 1 to 1024"),
        (["--seed", "abc"], "--seed", "whole number"),
        (["--size", "80"], "--size", "WIDTHxHEIGHT"),
        (["--size", "10x3"], "--size", "WIDTHxHEIGHT"),
        (["--metric", "bias"], "--metric", "weight"),
        (["--compare", "colours"], "--compare", "activations"),
        (["--train", "0"], "--train", "from 1 to"),
        (["--train", "5", "--lr", "fast"], "--lr", "number above 0"),
        (["--train", "5", "--clip-norm", "-1"], "--clip-norm", "number above 0"),
        (["--train", "5", "--optimizer", "rmsprop"], "--optimizer", "adam"),
        (["--lr", "0.1"], "--lr", "--train"),
        (["--train", "5", "--metric", "signal"], "--metric", "weight"),
    ],
)
def test_bad_flags_exit_2_with_one_line_naming_the_flag(capsys, args, flag, hint):
    code, out, err = run_main(capsys, "lab", *args)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("vgtutor lab: error:") and flag in lines[0] and hint in lines[0]


@pytest.mark.slow
def test_piped_output_is_plain_and_the_real_exit_codes_hold():
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    result = run_cli("lab", "--depth", "4", env=env)
    assert result.returncode == 0 and result.stderr == ""
    assert "\x1b" not in result.stdout
    assert row_labels(result.stdout) == ["L1", "L2", "L3", "L4", "out"]
    bad = run_cli("lab", "--depth", "0")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


@pytest.mark.slow
def test_colour_on_a_terminal_unless_no_color():
    def on_a_tty(extra_env: dict[str, str]) -> bytes:
        leader, follower = pty.openpty()
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | extra_env
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui", "lab", "--depth", "2", "--size", "60x20"],
            stdout=follower,
            stderr=follower,
            env=env,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert proc.wait(timeout=60) == 0
        return b"".join(chunks)

    assert b"\x1b[" in on_a_tty({})
    assert b"\x1b" not in on_a_tty({"NO_COLOR": "1"})


@pytest.mark.parametrize(
    "args",
    [
        ["lab", "--depth", "3", "--ascii"],
        ["--ascii", "lab", "--depth", "3"],
        ["lab", "--compare", "fixes", "--depth", "2", "--ascii"],
        ["lab", "--train", "3", "--depth", "2", "--ascii"],
    ],
)
def test_ascii_output_is_seven_bit(args):
    code, out, _ = vgtutor(*args)
    assert code == 0
    assert out.isascii() and "+" in out and "#" in out
    assert "layer 1 gets" in out or "after 3 steps" in out
