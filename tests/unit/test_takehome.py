"""Take-home scripts: run in a fresh process, they print the lab's own numbers."""

import importlib.util
import subprocess
import sys

import pytest

from lessons.lab.config import NetConfig
from lessons.lab.profile import run_profile
from lessons.lab.takehome import SCRIPT_KINDS, take_home_script

CONFIGS = [
    NetConfig(activation="sigmoid", init="xavier", depth=6, width=12, batch=32, in_dim=5),
    NetConfig(activation="relu", init="he", depth=5, width=10, batch=24, residual=True, seed=4),
    NetConfig(activation="gelu", init="orthogonal", depth=4, width=9, batch=16, batchnorm=True),
    NetConfig(
        activation="leaky_relu",
        init="small",
        depth=3,
        width=8,
        batch=20,
        batchnorm=True,
        residual=True,
        leaky_slope=0.2,
        seed=7,
    ),  # fmt: skip
    NetConfig(activation="elu", init="standard", depth=4, width=8, batch=16, elu_alpha=0.5),
    NetConfig(activation="silu", init="xavier", depth=4, width=8, batch=16, seed=9),
    NetConfig(activation="tanh", init="orthogonal", depth=4, width=6, batch=16, in_dim=9),
    NetConfig(activation="linear", init="he", depth=3, width=7, batch=8, residual=True),
]
TORCH_MISSING = importlib.util.find_spec("torch") is None


def run_script(text: str) -> dict[str, tuple[float, float | None]]:
    """Each printed layer's (||dL/dW||, ||dL/dh||), by label (L1.., out)."""
    done = subprocess.run(
        [sys.executable, "-c", text], capture_output=True, text=True, timeout=120, check=True
    )
    rows = {}
    for line in done.stdout.splitlines():
        label, *numbers = line.split()
        if label == "out" or (label[0] == "L" and label[1:].isdigit()):
            weight, signal = numbers
            rows[label] = (float(weight), None if signal == "-" else float(signal))
    return rows


def check_against_lab(cfg: NetConfig, kind: str) -> None:
    profile = run_profile(cfg)
    printed = run_script(take_home_script(cfg, kind))
    assert list(printed) == [f"L{i}" for i in range(1, cfg.depth + 1)] + ["out"]
    for stats, (weight, signal) in zip(profile.layers, printed.values(), strict=True):
        assert weight == pytest.approx(stats.weight_grad_norm, rel=1e-9, abs=0)
        if stats.signal_grad_norm is None:
            assert signal is None
        else:
            assert signal == pytest.approx(stats.signal_grad_norm, rel=1e-9, abs=0)


@pytest.mark.parametrize("cfg", CONFIGS, ids=lambda c: f"{c.activation}-{c.init}-{c.fix}")
def test_numpy_script_prints_the_labs_numbers(cfg):
    check_against_lab(cfg, "numpy")


@pytest.mark.skipif(TORCH_MISSING, reason="torch is not installed (it is never a dependency)")
@pytest.mark.parametrize("cfg", CONFIGS, ids=lambda c: f"{c.activation}-{c.init}-{c.fix}")
def test_pytorch_script_prints_the_labs_numbers(cfg):
    check_against_lab(cfg, "pytorch")


@pytest.mark.parametrize("kind", SCRIPT_KINDS)
def test_scripts_are_seven_bit_and_name_their_settings(kind):
    cfg = CONFIGS[3]
    text = take_home_script(cfg, kind)
    assert text.isascii()
    compile(text, "script", "exec")
    for setting in ("leaky_relu", "small init", "depth 3", "batchnorm+residual", "seed 7"):
        assert setting in text
    assert ("import torch" in text) == (kind == "pytorch")


def test_unknown_script_kind_is_refused():
    with pytest.raises(ValueError, match="script: must be one of numpy, pytorch"):
        take_home_script(NetConfig(), "jax")
