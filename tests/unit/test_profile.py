"""gradient_profile and friends: layout, statistics, overflow handling and the one-line reading."""

import dataclasses
import math
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest

from lessons.lab import MLP, compare_profiles, gradient_profile, one_line_reading, run_profile
from lessons.lab.config import ACTIVATIONS, FIXES, INITS, NetConfig
from lessons.lab.profile import make_batch
from lessons.lab.stages import backward_stages
from lessons.lab.units import SATURATION_LEVEL


def batch(in_dim: int = 4, size: int = 32) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.standard_normal((size, in_dim)), (rng.random(size) < 0.5).astype(float)


def test_one_entry_per_weight_matrix_input_layer_first():
    cfg = NetConfig(activation="sigmoid", depth=6, width=16, batch=64)
    profile = run_profile(cfg)
    assert profile.config == cfg
    assert [s.layer for s in profile.layers] == list(range(1, 8))
    out = profile.layers[-1]
    assert out.signal_grad_norm is None and out.act_mean is None and out.act_std is None
    assert out.saturated_frac is None and out.dead_frac is None
    assert all(s.signal_grad_norm > 0 and s.act_std > 0 for s in profile.layers[:-1])


def test_norms_and_statistics_match_the_backward_pass():
    cfg = NetConfig(activation="tanh", init="standard", depth=4, width=8, batch=16, in_dim=3)
    net, (X, y) = MLP(cfg), make_batch(cfg)
    profile = gradient_profile(net, X, y)
    out = net.loss_and_grads(X, y)
    assert profile.loss == pytest.approx(out.loss)
    for stats, w_grad in zip(profile.layers, out.weight_grads, strict=True):
        assert stats.weight_grad_norm == pytest.approx(np.linalg.norm(w_grad))
    stages = backward_stages(net.loss_and_grads(X, y, keep_stages=True))
    hidden = zip(out.signal_grads, out.activations, out.derivatives, stages, strict=True)
    for stats, (s_grad, h, slope, stage) in zip(profile.layers, hidden, strict=False):
        assert stats.signal_grad_norm == pytest.approx(np.linalg.norm(s_grad))
        assert stats.act_mean == pytest.approx(h.mean())
        assert stats.act_std == pytest.approx(h.std())
        assert stats.saturated_frac == np.mean(slope < SATURATION_LEVEL * net.act.grad_max)
        assert stats.backward_stages == stage
    first, last = profile.layers[0], profile.layers[cfg.depth - 1]
    expected = math.log10(first.weight_grad_norm / last.weight_grad_norm)
    assert profile.weight_log10_ratio == pytest.approx(expected)
    expected = math.log10(first.signal_grad_norm / last.signal_grad_norm)
    assert profile.signal_log10_ratio == pytest.approx(expected)


def test_saturation_is_counted_for_sigmoid_and_tanh_only():
    big = run_profile(NetConfig(activation="tanh", init="standard", depth=5))
    assert all(s.saturated_frac > 0.5 for s in big.layers[1:-1])  # N(0, 1) weights: |x| ~ 8
    gentle = run_profile(NetConfig(activation="sigmoid", init="small", depth=5))
    assert all(s.saturated_frac == 0 for s in gentle.layers[:-1])
    for name in set(ACTIVATIONS) - {"sigmoid", "tanh"}:
        profile = run_profile(NetConfig(activation=name, depth=2, width=8, batch=8))
        assert all(s.saturated_frac is None for s in profile.layers)


def test_dead_units_are_counted_for_relu_only():
    net = MLP(NetConfig(in_dim=4, width=8, depth=3, activation="relu", init="he"))
    net.params[1][:3] = -100.0  # b1: three units of layer 1 never fire
    profile = gradient_profile(net, *batch())
    assert profile.layers[0].dead_frac == 3 / 8
    assert profile.layers[1].dead_frac < 3 / 8
    elu = MLP(NetConfig(in_dim=4, width=8, depth=3, activation="elu"))
    profile = gradient_profile(elu, *batch())
    assert all(s.dead_frac is None for s in profile.layers)


def test_profiles_are_seeded_and_frozen():
    cfg = NetConfig(activation="gelu", depth=5, seed=3)
    first, again = run_profile(cfg), run_profile(cfg)
    assert first == again
    assert run_profile(dataclasses.replace(cfg, seed=4)) != first
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.loss = 0.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.layers[0].act_mean = 0.0  # type: ignore[misc]


def test_make_batch_is_standard_normal_with_balanced_labels():
    X, y = make_batch(NetConfig(batch=4096, in_dim=16))
    assert X.shape == (4096, 16) and y.shape == (4096,)
    assert abs(X.mean()) < 0.02 and abs(X.std() - 1) < 0.02
    assert set(np.unique(y)) == {0.0, 1.0} and abs(y.mean() - 0.5) < 0.03


@pytest.mark.parametrize(
    "axis,labels,settings",
    [
        ("activations", list(ACTIVATIONS), {"activation"}),
        ("inits", list(INITS), {"init"}),
        ("fixes", list(FIXES), {"batchnorm", "residual"}),
        ("depths", ["5", "10", "20", "50"], {"depth"}),
    ],
)
def test_compare_profiles_varies_one_setting(axis, labels, settings):
    cfg = NetConfig(activation="tanh", init="he", depth=3, width=8, batch=16, seed=5)
    runs = compare_profiles(cfg, axis)
    assert [label for label, _ in runs] == labels
    for label, profile in runs:
        changed = {
            f.name
            for f in dataclasses.fields(cfg)
            if getattr(profile.config, f.name) != getattr(cfg, f.name)
        }
        assert changed <= settings
        if axis == "depths":
            assert len(profile.layers) == int(label) + 1


def test_compare_profiles_rejects_an_unknown_axis():
    with pytest.raises(ValueError, match="^axis: must be one of activations, inits, fixes, depths"):
        compare_profiles(NetConfig(), "widths")


def test_reading_names_the_layers_the_exponent_and_the_unit():
    vanishing = run_profile(NetConfig(activation="sigmoid", init="xavier", depth=20))
    reading = one_line_reading(vanishing)
    assert re.fullmatch(
        r"layer 1 gets 10\^-1[23] of layer 20's gradient \(weight gradient, Frobenius norm\)",
        reading,
    )
    exploding = run_profile(NetConfig(activation="tanh", init="standard", depth=20))
    assert "10^+6 of layer 20's gradient (backward signal dL/dh" in one_line_reading(
        exploding, "signal"
    )
    flat = run_profile(NetConfig(activation="relu", init="he", depth=20))
    assert re.search(r"10\^-0\.\d of layer 20", one_line_reading(flat))
    with pytest.raises(ValueError, match="^metric: must be one of weight, signal"):
        one_line_reading(flat, "bias")


@pytest.mark.parametrize(
    "ratio,power", [(-2.96, "-3.0"), (-3.0, "-3"), (3.0, "+3"), (3.5, "+4"), (2.26, "+2.3")]
)
def test_the_reading_rounds_the_exponent_to_a_whole_power_from_three_decades(ratio, power):
    profile = dataclasses.replace(run_profile(NetConfig(depth=4)), weight_log10_ratio=ratio)
    assert one_line_reading(profile).startswith(f"layer 1 gets 10^{power} of layer 4's")


def test_single_hidden_layer_reading():
    profile = run_profile(NetConfig(depth=1))
    assert profile.weight_log10_ratio == 0.0
    assert "only one hidden layer" in one_line_reading(profile)


@pytest.mark.slow
@pytest.mark.parametrize("activation", ["linear", "relu", "tanh", "sigmoid"])
def test_depth_200_standard_init_never_raises_or_warns(activation):
    cfg = NetConfig(activation=activation, init="standard", depth=200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        profile = run_profile(cfg)
        reading = one_line_reading(profile)
    if profile.overflow_layer is None:
        assert all(s.weight_grad_norm is not None for s in profile.layers)
        assert math.isfinite(profile.weight_log10_ratio) and "overflow" not in reading
    else:
        assert f"overflow at layer {profile.overflow_layer}" in reading


def test_huge_activations_that_fit_in_float64_are_measured_not_called_overflow():
    """Squaring entries of 1e180 would overflow; the norms rescale first."""
    profile = run_profile(NetConfig(activation="linear", init="standard", depth=200))
    assert profile.overflow_layer is None
    assert max(s.weight_grad_norm for s in profile.layers) > 1e170
    assert max(s.act_std for s in profile.layers[:-1]) > 1e170


def quiet_profile(net: MLP):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return gradient_profile(net, *batch())


@pytest.mark.parametrize("depth", [6, 4])
def test_forward_overflow_is_reported_at_the_first_layer_that_overflowed(depth):
    """Layer 4 of 6, and layer 4 of 4: the last hidden layer, not the loss after it."""
    net = MLP(NetConfig(in_dim=4, width=8, depth=depth, activation="linear"))
    net.weights[2] *= 1e200  # h_3 ~ 1e200
    net.weights[3] *= 1e200  # h_4 ~ 1e400: inf
    profile = quiet_profile(net)
    assert profile.overflow_layer == 4
    assert profile.layers[2].act_mean is not None and profile.layers[3].act_mean is None
    assert profile.layers[2].act_std is not None and profile.layers[3].act_std is None
    assert profile.loss is None and profile.weight_log10_ratio is None
    assert profile.signal_log10_ratio is None
    assert one_line_reading(profile).startswith("overflow at layer 4:")


def test_activations_near_the_float64_limit_are_measured_not_called_overflow():
    """A mean of entries of 1e307 is 1e307 even though their sum is not a float64."""
    net = MLP(NetConfig(in_dim=4, width=8, depth=3, activation="relu", init="he"))
    net.params[1][...] = 1e307  # b1: every h_1 entry is about 1e307
    net.weights[1] *= 1e-305  # h_2 back near 1
    profile = quiet_profile(net)
    assert profile.overflow_layer is None
    assert profile.layers[0].act_mean == pytest.approx(1e307, rel=1e-6)
    assert profile.layers[0].act_std == pytest.approx(0.0, abs=1e300)
    assert all(s.act_mean is not None for s in profile.layers[:-1])


def test_backward_overflow_is_reported_where_the_backward_pass_overflowed():
    net = MLP(NetConfig(in_dim=4, width=8, depth=3, activation="linear"))
    net.weights[1] *= 1e10  # h_2 ~ 1e10
    net.weights[2] *= 1e-290  # h_3 ~ 1e-280: the forward pass stays finite
    net.weights[3] *= 1e308  # dL/dh_3 ~ 1e306, so dL/dW_3 = h_2^T dL/dh_3 ~ 1e316
    profile = quiet_profile(net)
    assert profile.loss is not None and all(s.act_mean is not None for s in profile.layers[:-1])
    assert profile.layers[2].weight_grad_norm is None
    assert profile.layers[1].weight_grad_norm is not None
    assert profile.overflow_layer == 3
    assert profile.weight_log10_ratio is None and profile.signal_log10_ratio is None


def test_a_backward_overflow_that_spreads_down_is_reported_where_it_began():
    """The backward pass runs output to input, so it overflows first at the highest layer."""
    net = MLP(NetConfig(in_dim=4, width=8, depth=4, activation="linear"))
    net.weights[2] *= 1e-20  # h_3 ~ 1e-20
    net.weights[3] *= 1e20  # h_4 ~ 1: the logits ~ 1e299 stay finite
    net.weights[4] *= 1e300  # dL/dh_4 ~ 1e299, so dL/dh_3 = dL/dh_4 W_4^T ~ 1e319: inf
    profile = quiet_profile(net)
    assert profile.loss is not None and all(s.act_mean is not None for s in profile.layers[:-1])
    assert [s.signal_grad_norm is None for s in profile.layers[:-1]] == [True, True, True, False]
    assert [s.weight_grad_norm is None for s in profile.layers] == [True] * 3 + [False] * 2
    assert profile.overflow_layer == 3
    assert one_line_reading(profile).startswith("overflow at layer 3:")


def test_an_overflow_in_the_loss_alone_is_reported_at_the_output_layer():
    net = MLP(NetConfig(in_dim=4, width=8, depth=3, activation="tanh"))
    net.weights[-1][...] = 1e308  # the logits, sums of 8 such terms with |h| < 1, overflow
    profile = quiet_profile(net)
    assert all(
        s.act_mean is not None and s.signal_grad_norm is not None for s in profile.layers[:-1]
    )
    assert all(s.weight_grad_norm is not None for s in profile.layers)
    assert profile.loss is None and profile.overflow_layer == 4
    assert profile.weight_log10_ratio is None


def test_underflow_to_zero_keeps_a_finite_ratio():
    profile = run_profile(NetConfig(activation="sigmoid", init="small", depth=200))
    assert profile.overflow_layer is None
    assert profile.layers[0].weight_grad_norm == 0.0
    assert -320 < profile.weight_log10_ratio < -250
    assert "underflowed to exactly 0" in one_line_reading(profile)


def test_the_underflow_note_is_about_layer_1_alone():
    profile = run_profile(NetConfig(depth=4))
    layers = list(profile.layers)
    first, second = layers[0], layers[1]
    layers[0] = dataclasses.replace(first, weight_grad_norm=0.0)
    assert "layer 1's underflowed" in one_line_reading(
        dataclasses.replace(profile, layers=tuple(layers))
    )
    layers[:2] = [first, dataclasses.replace(second, weight_grad_norm=0.0)]
    assert "underflowed" not in one_line_reading(dataclasses.replace(profile, layers=tuple(layers)))


def test_profile_rejects_a_batch_of_one():
    with pytest.raises(ValueError, match="^batch: "):
        gradient_profile(MLP(NetConfig(in_dim=4, width=8, depth=2)), *batch(size=1))


def test_lab_config_imports_without_numpy():
    code = "import sys, lessons.lab.config; assert 'numpy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
