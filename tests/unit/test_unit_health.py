"""Dead and saturated units on constructed nets whose answers are known by construction."""

from dataclasses import replace

import numpy as np
import pytest

from lessons.lab import MLP
from lessons.lab.boundary import initial_net
from lessons.lab.config import NetConfig, TrainConfig
from lessons.lab.data import make_dataset
from lessons.lab.profile import gradient_profile
from lessons.lab.train import train

RELU_FAMILY = [("relu", {}), ("leaky_relu", {"leaky_slope": 0.1}), ("elu", {"elu_alpha": 0.0})]
NO_FLAT_SIDE = [("elu", {"elu_alpha": 1.0}), ("gelu", {}), ("silu", {}), ("linear", {})]


def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    return rng.standard_normal((32, 2)), (rng.random(32) < 0.5).astype(float)


def one_layer(activation: str, biases: list[float], **kwargs) -> MLP:
    """A net whose first layer ignores its input (W1 = 0): unit j computes act(biases[j])."""
    net = MLP(NetConfig(in_dim=2, width=len(biases), depth=1, activation=activation, **kwargs))
    net.weights[0][...] = 0.0
    net.params[1][...] = biases
    return net


@pytest.mark.parametrize(("activation", "settings"), RELU_FAMILY)
def test_a_unit_is_dead_when_its_derivative_stays_at_the_floor_for_the_whole_batch(
    activation, settings
):
    net = one_layer(activation, [-1.0, -2.0, -0.5, 1.0, 3.0], **settings)
    assert gradient_profile(net, *data()).layers[0].dead_frac == 3 / 5
    X, y = data()
    net.weights[0][0, 0] = 10.0  # unit 1 now fires for the samples with x0 > 0.1
    assert 0 < np.count_nonzero(X[:, 0] * 10 - 1 > 0) < len(X)
    assert gradient_profile(net, X, y).layers[0].dead_frac == 2 / 5


@pytest.mark.parametrize(("activation", "settings"), NO_FLAT_SIDE)
def test_activations_without_a_flat_side_have_no_dead_units(activation, settings):
    net = one_layer(activation, [-5.0, -5.0, 1.0], **settings)
    assert gradient_profile(net, *data()).layers[0].dead_frac is None


def test_a_leaky_relu_with_slope_one_is_linear_and_has_no_dead_units():
    net = one_layer("leaky_relu", [-5.0, 1.0], leaky_slope=1.0)
    assert gradient_profile(net, *data()).layers[0].dead_frac is None


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_saturated_share_counts_sample_unit_pairs_below_one_percent_of_the_peak(activation):
    net = one_layer(activation, [20.0, -20.0, 0.0, 0.5])
    assert gradient_profile(net, *data()).layers[0].saturated_frac == 2 / 4
    X, y = data()
    net.weights[0][0, 2] = 100.0  # unit 3 saturates wherever |100 x0| is large
    local = net.act.grad(100.0 * X[:, 0])
    expected = (2 * len(X) + np.count_nonzero(local < 0.01 * net.act.grad_max)) / (4 * len(X))
    assert gradient_profile(net, X, y).layers[0].saturated_frac == expected


INVERSE_SLOPE = {
    "sigmoid": lambda d: np.log(2 / (1 - np.sqrt(1 - 4 * d)) - 1),  # s (1 - s) = d
    "tanh": lambda d: np.arctanh(np.sqrt(1 - d)),  # 1 - tanh^2 = d
}
"""The x > 0 where the activation's derivative equals d."""


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_the_saturation_threshold_is_one_percent_of_the_peak_slope(activation):
    peak = 0.25 if activation == "sigmoid" else 1.0
    shares = [0.009, 0.0099, 0.0101, 0.011]  # of the peak slope
    biases = [float(INVERSE_SLOPE[activation](share * peak)) for share in shares]
    net = one_layer(activation, biases)
    slopes = net.act.grad(np.array(biases)) / peak
    np.testing.assert_allclose(slopes, shares, rtol=1e-9)
    assert gradient_profile(net, *data()).layers[0].saturated_frac == 2 / 4


def test_training_records_unit_health_before_each_step():
    cfg = TrainConfig(
        net=NetConfig(activation="relu", init="he", depth=4, width=16, batch=64, seed=3),
        steps=3,
        lr=0.5,
    )
    result = train(cfg)
    X, y = make_dataset(cfg.dataset, n=cfg.net.batch, seed=cfg.net.seed)
    first = gradient_profile(initial_net(cfg), X, y)
    assert list(result.dead_fracs[0]) == [s.dead_frac for s in first.layers[:-1]]
    assert result.dead_fracs.shape == (3, 4)
    assert np.isnan(result.saturated_fracs).all()  # ReLU does not saturate
    sigmoid = train(replace(cfg, net=replace(cfg.net, activation="sigmoid", init="standard")))
    first = gradient_profile(initial_net(sigmoid.config), X, y)
    assert list(sigmoid.saturated_fracs[0]) == [s.saturated_frac for s in first.layers[:-1]]
    assert np.isnan(sigmoid.dead_fracs).all()
