"""Every lab setting the learner can reach gives finite numbers or a clear overflow marker.

Exhaustive over activation x init x fix x depth {1, 5, 50, 200} (narrow nets keep it
fast: growth per layer is what matters, and depth 200 is the lab's maximum), then the
settings made to explode: N(0, 1) weights at full depth, training runs with huge steps
and no clipping, and recurrent nets over long sequences. Python warnings are errors
here, so a numpy RuntimeWarning that would print on the learner's terminal fails.
"""

from __future__ import annotations

import itertools
import math
import re
import warnings
from collections.abc import Iterator

import pytest

from lessons.lab.config import (
    ACTIVATIONS,
    CELLS,
    FIXES,
    INITS,
    METRICS,
    OPTIMIZERS,
    RECURRENT_INITS,
    NetConfig,
    RNNConfig,
    TrainConfig,
)
from lessons.lab.profile import GradientProfile, one_line_reading, run_profile
from lessons.lab.rnn import time_profile
from lessons.lab.train import train
from tui.charts import Bars, axis_range, decade_ticks

pytestmark = pytest.mark.slow  # every activation, init, fix and depth: minutes in all

DEPTHS = (1, 5, 50, 200)
GRID = list(itertools.product(ACTIVATIONS, INITS, FIXES, DEPTHS))
OVERFLOW = re.compile(r"^overflow at layer (\d+):")


@pytest.fixture(autouse=True)
def warnings_are_errors() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def finite_or_none(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isfinite(value))


def check_profile(profile: GradientProfile) -> None:
    """Numbers finite where given; a missing one (overflow) means overflow_layer says where."""
    depth = profile.config.depth
    assert len(profile.layers) == depth + 1
    for stats in profile.layers:
        for name in ("weight_grad_norm", "signal_grad_norm", "act_mean", "act_std"):
            assert finite_or_none(getattr(stats, name)), (name, stats)
        for name in ("saturated_frac", "dead_frac"):
            value = getattr(stats, name)
            assert value is None or 0.0 <= value <= 1.0, (name, stats)
    assert finite_or_none(profile.loss)
    assert finite_or_none(profile.weight_log10_ratio)
    assert finite_or_none(profile.signal_log10_ratio)
    hidden = profile.layers[:-1]
    missing = [s.weight_grad_norm for s in profile.layers] + [s.signal_grad_norm for s in hidden]
    if profile.overflow_layer is None:
        assert None not in missing and profile.loss is not None
        assert profile.weight_log10_ratio is not None
    else:
        assert 1 <= profile.overflow_layer <= depth + 1
    for metric in METRICS:
        reading = one_line_reading(profile, metric)
        marker = OVERFLOW.match(reading)
        if profile.overflow_layer is not None:
            assert marker and int(marker.group(1)) == profile.overflow_layer, reading
        else:
            assert "nan" not in reading.lower() and "inf" not in reading, reading
    # What the bars would be drawn from: an axis of whole, finite decades.
    bars = Bars(tuple(f"L{s.layer}" for s in profile.layers), tuple(missing[: depth + 1]))
    low, high = axis_range(bars.log10)
    assert low < high and decade_ticks(low, high)


@pytest.mark.parametrize(
    ("activation", "init", "fix", "depth"), GRID, ids=["-".join(map(str, c)) for c in GRID]
)
def test_every_profile_in_the_grid(activation: str, init: str, fix: str, depth: int) -> None:
    config = NetConfig(activation=activation, init=init, depth=depth, width=8, batch=16)
    check_profile(run_profile(config.with_fix(fix)))


# -- the exploding settings --------------------------------------------------------------


@pytest.mark.parametrize("fix", FIXES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_exploding_profile_full_depth_standard_init(activation: str, fix: str) -> None:
    """N(0, 1) weights grow the signal at every layer; 200 layers of it, 64 wide."""
    config = NetConfig(activation=activation, init="standard", depth=200, width=64, batch=8)
    check_profile(run_profile(config.with_fix(fix)))


EXPLODING_RUNS = list(
    itertools.product(OPTIMIZERS, (100.0, 1.0), ((None, None), (1.0, None), (None, 1.0)))
)


@pytest.mark.parametrize(
    ("optimizer", "lr", "clip"),
    EXPLODING_RUNS,
    ids=[f"{o}-lr{lr:g}-clip{c[0]}-{c[1]}" for o, lr, c in EXPLODING_RUNS],
)
def test_exploding_training_runs(optimizer: str, lr: float, clip: tuple) -> None:
    """ReLU with N(0, 1) weights and a huge step: recorded numbers are finite, or the run
    stops and names the step where they stopped being so."""
    net = NetConfig(activation="relu", init="standard", depth=20, width=16, batch=32)
    config = TrainConfig(
        net=net, steps=15, optimizer=optimizer, lr=lr, clip_norm=clip[0], clip_value=clip[1]
    )
    result = train(config)
    recorded = (
        result.losses,
        result.accuracies,
        result.grad_norms,
        result.moved,
        result.step_sizes,
        result.global_norm_before,
        result.global_norm_after,
    )
    for array in recorded:
        assert len(array) == result.steps_done
        assert all(math.isfinite(float(v)) for v in array.ravel()), array
    if result.diverged_at is None:
        assert result.steps_done == config.steps
    else:
        assert result.diverged_at == result.steps_done + 1


def test_exploding_training_preset_diverges_with_a_step_number() -> None:
    """Lesson 9's preset: the loss leaps and the run stops, saying at which step."""
    net = NetConfig(activation="relu", init="standard", depth=6)
    result = train(TrainConfig(net=net, steps=30, lr=0.1, dataset="circles"))
    assert result.diverged_at is not None and result.diverged_at <= 30


RNN_GRID = list(itertools.product(CELLS, RECURRENT_INITS, (1, 100, 1000), (-10.0, 10.0)))


@pytest.mark.parametrize(
    ("cell", "recurrent_init", "seq_len", "forget_bias"),
    RNN_GRID,
    ids=["-".join(map(str, c)) for c in RNN_GRID],
)
def test_exploding_recurrent_nets(
    cell: str, recurrent_init: str, seq_len: int, forget_bias: float
) -> None:
    config = RNNConfig(
        cell=cell,
        recurrent_init=recurrent_init,
        seq_len=seq_len,
        hidden=8,
        in_dim=4,
        batch=4,
        forget_bias=forget_bias,
    )
    profile = time_profile(config)
    assert len(profile.norms) == seq_len
    bad = [t for t, norm in enumerate(profile.norms, start=1) if not math.isfinite(norm)]
    assert profile.overflow_step == (bad[-1] if bad else None)
    assert all(norm >= 0 for norm in profile.norms if math.isfinite(norm))
    ratio = profile.log10_ratio
    # Finite; or -inf because step 1's gradient underflowed to exactly 0 (the reading
    # says "none of"); or not finite only when an overflow step is named.
    assert (
        math.isfinite(ratio)
        or (ratio == -math.inf and profile.norms[0] == 0.0)
        or profile.overflow_step is not None
    ), (ratio, profile.norms[:3])


@pytest.mark.parametrize("layers_scaled", [(2, 3), (0, 1), (0, 6)])
def test_exploding_weights_past_float64_give_the_overflow_marker(layers_scaled) -> None:
    """No setting in the lab reaches float64's limit at initialization (the norms are
    rescaled before squaring), so weights are scaled by hand: the profile must still
    come back, with the layer named, and the chart axis must stay finite."""
    from lessons.lab.mlp import MLP
    from lessons.lab.profile import gradient_profile, make_batch

    config = NetConfig(activation="linear", depth=6, width=8, batch=8)
    net = MLP(config)
    for index in layers_scaled:
        net.weights[index] *= 1e200
    profile = gradient_profile(net, *make_batch(config))
    assert profile.overflow_layer is not None
    check_profile(profile)
