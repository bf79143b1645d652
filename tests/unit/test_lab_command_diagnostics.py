"""`vgtutor lab` diagnostics: backward stages and update ratios in JSON, --boundary, --script."""

import math
import subprocess
import sys

import pytest
from test_lab_command import run_main, strict_json, vgtutor

from lessons.lab.config import NetConfig, TrainConfig
from lessons.lab.profile import run_profile
from lessons.lab.takehome import take_home_script
from lessons.lab.train import train
from tui.boundary_plot import LEGEND

STAGE_KEYS = {"activation", "norm", "weight", "total"}


@pytest.mark.slow
def test_json_hidden_layers_carry_backward_stages_and_the_output_layer_null():
    code, out, _ = vgtutor("lab", "--depth", "4", "--batchnorm", "--json")
    assert code == 0
    layers = strict_json(out)["layers"]
    profile = run_profile(NetConfig(depth=4, batchnorm=True))
    for entry, stats in zip(layers[:-1], profile.layers, strict=False):
        assert set(entry["backward_stages"]) == STAGE_KEYS
        for key in STAGE_KEYS:
            assert entry["backward_stages"][key] == getattr(stats.backward_stages, key)
    assert layers[-1]["backward_stages"] is None
    plain = strict_json(vgtutor("lab", "--depth", "2", "--json")[1])["layers"]
    assert plain[0]["backward_stages"]["norm"] is None


def test_train_json_has_one_record_per_step_with_update_ratios_per_layer():
    code, out, _ = vgtutor("lab", "--train", "4", "--depth", "3", "--optimizer", "adam", "--json")
    assert code == 0
    records = strict_json(out)["records"]
    result = train(TrainConfig(net=NetConfig(depth=3), steps=4, optimizer="adam"))
    assert [r["step"] for r in records] == [1, 2, 3, 4]
    for record, ratios, loss in zip(
        records, result.update_log10_ratios, result.losses, strict=True
    ):
        assert record["loss"] == loss
        assert [layer["layer"] for layer in record["layers"]] == [1, 2, 3, 4]
        assert [layer["update_log10_ratio"] for layer in record["layers"]] == list(ratios)
        assert all(math.isfinite(layer["update_log10_ratio"]) for layer in record["layers"])
        hidden, output = record["layers"][:-1], record["layers"][-1]
        assert all(0 <= layer["saturated_frac"] <= 1 for layer in hidden)
        assert all(layer["dead_frac"] is None for layer in hidden)  # sigmoid has no flat side
        assert output["dead_frac"] is None and output["saturated_frac"] is None


def test_a_diverging_runs_records_stay_valid_json():
    code, out, _ = vgtutor("lab", "--train", "40", "--activation", "relu", "--init", "standard",
                           "--depth", "6", "--lr", "50", "--json")  # fmt: skip
    assert code == 0
    data = strict_json(out)
    assert len(data["records"]) == data["summary"]["steps_done"]


def test_boundary_prints_step_0_and_the_end_with_a_legend():
    code, out, _ = vgtutor("lab", "--train", "20", "--depth", "3", "--boundary", "--size", "100x30")
    assert code == 0
    lines = out.splitlines()
    assert "step 0" in lines[0] and "after step 20" in lines[0]  # side by side
    assert LEGEND in out and "after 20 steps" in lines[-1]
    cells = "".join(line for line in lines if line.startswith("│"))
    assert "." in cells or ":" in cells
    assert "o" in cells and "x" in cells  # the data on top of the regions


def test_boundary_in_ascii_is_seven_bit_and_stacks_when_narrow():
    code, out, _ = vgtutor("lab", "--train", "5", "--depth", "2", "--boundary", "--ascii",
                           "--size", "60x40")  # fmt: skip
    assert code == 0 and out.isascii()
    titles = [line.strip() for line in out.splitlines() if "step" in line and "|" not in line]
    assert titles[:2] == ["step 0", "after step 5"]


@pytest.mark.parametrize("kind", ["numpy", "pytorch"])
def test_script_flag_prints_the_take_home_script(kind):
    args = ["--activation", "tanh", "--depth", "3", "--width", "8", "--batchnorm", "--seed", "5"]
    code, out, _ = vgtutor("lab", *args, "--script", kind)
    assert code == 0
    cfg = NetConfig(activation="tanh", depth=3, width=8, batchnorm=True, seed=5)
    assert out == take_home_script(cfg, kind)


@pytest.mark.slow
def test_the_printed_numpy_script_runs_and_matches_the_json():
    code, script, _ = vgtutor("lab", "--activation", "relu", "--init", "he", "--depth", "3",
                              "--script", "numpy")  # fmt: skip
    assert code == 0
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    layers = strict_json(vgtutor("lab", "--activation", "relu", "--init", "he", "--depth", "3",
                                 "--json")[1])["layers"]  # fmt: skip
    printed = [line.split() for line in done.stdout.splitlines() if line[:1] in "Lo"]
    printed = [row for row in printed if row[0] != "loss" and row[0] != "layer"]
    for row, entry in zip(printed, layers, strict=True):
        assert float(row[1]) == pytest.approx(entry["weight_grad_norm"], rel=1e-9)


@pytest.mark.parametrize(
    "args, flag, hint",
    [
        (["--boundary"], "--boundary", "--train"),
        (["--train", "3", "--boundary", "--json"], "--boundary", "--json"),
        (["--script", "numpy", "--compare", "fixes"], "--script", "--compare"),
        (["--script", "numpy", "--train", "3"], "--script", "--train"),
        (["--script", "pytorch", "--json"], "--script", "--json"),
        (["--script", "jax"], "--script", "numpy"),
    ],
)
def test_flags_that_do_not_apply_exit_2_naming_the_flag(capsys, args, flag, hint):
    code, out, err = run_main(capsys, "lab", *args)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert flag in lines[0] and hint in lines[0]
