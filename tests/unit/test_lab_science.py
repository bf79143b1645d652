"""The course outline's reference figures ("What the lab measures"), reproduced by the lab.

Figures are log10 first-to-last-hidden-layer ratios at initialization, batch 256, width 64,
averaged over three seeds; the outline's numbers come from an independent reference
averaged over five, so the tolerances allow a few tenths of a decade.
"""

import numpy as np
import pytest

from lessons.lab.config import ACTIVATIONS, NetConfig
from lessons.lab.init import init_weight
from lessons.lab.profile import run_profile

SEEDS = (0, 1, 2)


def mean_ratios(**settings) -> tuple[float, float]:
    """(weight, signal) log10 ratios of layer 1 to the last hidden layer, averaged over SEEDS."""
    profiles = [run_profile(NetConfig(seed=seed, **settings)) for seed in SEEDS]
    return (
        float(np.mean([p.weight_log10_ratio for p in profiles])),
        float(np.mean([p.signal_log10_ratio for p in profiles])),
    )


def test_sigmoid_xavier_loses_about_twelve_decades_over_20_layers():
    weight, signal = mean_ratios(activation="sigmoid", init="xavier", depth=20)
    assert weight < -8
    assert -13.0 < weight < -11.3  # outline: -12, about 0.63 decades per layer
    assert -0.72 < signal / 19 < -0.56


def test_sigmoid_small_init_loses_about_1_7_decades_per_layer():
    weight, signal = mean_ratios(activation="sigmoid", init="small", depth=10)
    assert -1.85 < weight / 9 < -1.55
    assert -1.85 < signal / 9 < -1.55


def test_relu_he_stays_within_about_one_decade():
    weight, signal = mean_ratios(activation="relu", init="he", depth=20)
    assert abs(weight) < 1.2
    assert abs(signal) < 0.5


def test_relu_xavier_signal_decays_by_sqrt_2_per_layer_while_weight_grads_stay_flat():
    weight, signal = mean_ratios(activation="relu", init="xavier", depth=50)
    assert -8.4 < signal < -7.2  # outline: about -7.8 over 50 layers (He et al. 2015)
    assert -0.17 < signal / 49 < -0.14  # log10(1 / sqrt 2) = -0.15
    assert abs(weight) < 0.6


def test_tanh_standard_init_explodes_toward_the_input():
    weight, signal = mean_ratios(activation="tanh", init="standard", depth=20)
    assert 5.0 < weight < 7.0  # outline: about +6
    assert signal > 4.0


@pytest.mark.parametrize("init", ["xavier", "small"])
def test_tanh_with_xavier_or_small_init_keeps_weight_gradients_within_half_a_decade(init):
    weight, signal = mean_ratios(activation="tanh", init=init, depth=20)
    assert abs(weight) < 0.5
    if init == "small":
        assert signal < -10  # while the backward signal still decays


@pytest.mark.parametrize("depth,expected", [(20, 1.4), (50, 3.8)])
def test_batchnorm_in_a_plain_relu_net_grows_gradients_toward_the_input(depth, expected):
    weight, _ = mean_ratios(activation="relu", init="xavier", depth=depth, batchnorm=True)
    assert abs(weight - expected) < 0.45  # outline: +1.4 at depth 20, +3.8 at 50 (Yang et al.)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_residual_plus_batchnorm_stays_within_about_one_decade_at_depth_50(activation):
    profile = run_profile(NetConfig(activation=activation, depth=50, batchnorm=True, residual=True))
    assert -0.5 < profile.weight_log10_ratio < 1.25


def test_sigmoid_batchnorm_removes_most_of_the_vanishing():
    plain, _ = mean_ratios(activation="sigmoid", depth=20)
    normalized, _ = mean_ratios(activation="sigmoid", depth=20, batchnorm=True)
    assert normalized - plain > 6


@pytest.mark.parametrize(
    "scheme,variance",
    [
        ("small", lambda i, o: 1e-4),
        ("standard", lambda i, o: 1.0),
        ("xavier", lambda i, o: 2 / (i + o)),
        ("he", lambda i, o: 2 / i),
    ],
)
def test_gaussian_inits_have_the_documented_variance(scheme, variance):
    w = init_weight(scheme, 400, 200, np.random.default_rng(0))
    assert w.shape == (400, 200) and w.dtype == np.float64
    assert abs(w.mean()) < 0.02 * np.sqrt(variance(400, 200))
    assert w.var() == pytest.approx(variance(400, 200), rel=0.03)


@pytest.mark.parametrize("fan_in,fan_out", [(64, 64), (64, 16), (16, 64), (64, 1)])
def test_orthogonal_init_has_orthonormal_columns_or_rows(fan_in, fan_out):
    w = init_weight("orthogonal", fan_in, fan_out, np.random.default_rng(1))
    assert w.shape == (fan_in, fan_out)
    gram = w.T @ w if fan_in >= fan_out else w @ w.T
    np.testing.assert_allclose(gram, np.eye(min(fan_in, fan_out)), atol=1e-12)


def test_unknown_init_names_the_field():
    with pytest.raises(ValueError, match="^init: must be one of small, standard"):
        init_weight("glorot", 3, 3, np.random.default_rng(0))
