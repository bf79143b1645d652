"""Update-to-data ratios: log10(std(step applied to W_l) / std(W_l)), against a hand computation."""

import math

import numpy as np
import pytest

from lessons.lab.boundary import initial_net
from lessons.lab.config import NetConfig, TrainConfig
from lessons.lab.data import make_dataset
from lessons.lab.train import train, update_log10_ratio
from lessons.lab.train_health import UPDATE_RATIO_REFERENCE

NET = NetConfig(activation="tanh", depth=3, width=8, batch=32, seed=1)


def by_hand(weight_after: np.ndarray, update: np.ndarray) -> float:
    """The ratio with the standard deviation written out: sqrt(mean((a - mean a)^2))."""

    def std(a: np.ndarray) -> float:
        flat = a.ravel()
        mean = sum(flat) / flat.size
        return math.sqrt(sum((v - mean) ** 2 for v in flat) / flat.size)

    return math.log10(std(update) / std(weight_after))


def test_sgd_ratios_match_a_hand_computation_for_two_steps():
    cfg = TrainConfig(net=NET, steps=2, optimizer="sgd", lr=0.3)
    result = train(cfg)
    net = initial_net(cfg)
    X, y = make_dataset(cfg.dataset, n=NET.batch, seed=NET.seed)
    for step in range(2):
        out = net.loss_and_grads(X, y)
        for p, g in zip(net.params, out.param_grads, strict=True):
            p -= cfg.lr * g
        pairs = zip(net.weights, out.weight_grads, strict=True)
        expected = [by_hand(w, -cfg.lr * g) for w, g in pairs]
        assert result.update_log10_ratios[step] == pytest.approx(expected, abs=1e-12)


def test_adam_first_step_is_about_lr_times_the_sign_of_the_gradient():
    cfg = TrainConfig(net=NET, steps=1, optimizer="adam", lr=0.01)
    result = train(cfg)
    net = initial_net(cfg)
    X, y = make_dataset(cfg.dataset, n=NET.batch, seed=NET.seed)
    out = net.loss_and_grads(X, y)
    expected = []
    for w, g in zip(net.weights, out.weight_grads, strict=True):
        update = -cfg.lr * g / (np.abs(g) + 1e-8)  # m-hat = g, v-hat = g^2 after one step
        expected.append(by_hand(w + update, update))
    assert result.update_log10_ratios[0] == pytest.approx(expected, abs=1e-9)


def test_a_stalled_layer_reads_as_the_floor_and_an_overflow_as_nan():
    assert update_log10_ratio(np.zeros((2, 2)), np.eye(2)) == pytest.approx(-300 - math.log10(0.5))
    assert math.isnan(update_log10_ratio(np.array([np.inf, 0.0]), np.eye(2)))


def test_adam_keeps_early_layers_near_the_line_where_sgd_sits_far_below():
    """Lesson 12's point: Adam rescales the steps, not the gradients."""
    deep = NetConfig(activation="sigmoid", depth=10)
    sgd = train(TrainConfig(net=deep, steps=20, optimizer="sgd", lr=0.1))
    adam = train(TrainConfig(net=deep, steps=20, optimizer="adam", lr=0.01))
    assert sgd.update_log10_ratios[:, 0].max() < UPDATE_RATIO_REFERENCE - 4
    assert adam.update_log10_ratios[:, 0].min() > UPDATE_RATIO_REFERENCE
    assert (
        np.isfinite(sgd.update_log10_ratios).all() and np.isfinite(adam.update_log10_ratios).all()
    )
