"""The why view's model and the train view's diagnostics model, from real lab results."""

import math

import numpy as np
import pytest

from lessons.lab import MLP
from lessons.lab.config import NetConfig, TrainConfig
from lessons.lab.profile import gradient_profile, run_profile
from lessons.lab.train import train
from lessons.lab.train_curves import shown_layers
from lessons.lab.train_health import (
    UPDATE_RATIO_REFERENCE,
    records_health_model,
    train_health_model,
)
from lessons.lab.why import stage_extent, why_axis, why_model


def test_rows_carry_each_hidden_layers_stages_and_health():
    profile = run_profile(NetConfig(activation="relu", init="xavier", depth=6))
    model = why_model(profile)
    assert [row.label for row in model.rows] == [f"L{i}" for i in range(1, 7)]
    for row, stats in zip(model.rows, profile.layers, strict=False):
        assert row.activation == stats.backward_stages.activation
        assert row.weight == stats.backward_stages.weight
        assert row.total == stats.backward_stages.total
        assert (row.dead, row.saturated, row.spread) == (
            stats.dead_frac,
            stats.saturated_frac,
            stats.act_std,
        )


def test_the_axis_holds_every_stacked_row_in_whole_decades():
    model = why_model(run_profile(NetConfig(depth=8, batchnorm=True)))
    low, high = model.axis
    assert low <= -1 and high >= 1 and isinstance(low, int) and isinstance(high, int)
    for row in model.rows:
        left, right = stage_extent(row)
        assert low <= left and right <= high and low <= row.total <= high
    assert why_axis(model.rows) == model.axis
    assert why_model(run_profile(NetConfig(depth=8)), axis=(-5, 2)).axis == (-5, 2)


def test_the_reading_names_the_costliest_stage_with_the_summed_decades():
    profile = run_profile(NetConfig(activation="sigmoid", depth=10))
    model = why_model(profile)
    total = sum(s.backward_stages.activation for s in profile.layers[:-1])
    assert model.reading.startswith(f"costliest: the activation's slope, {total:+.1f} decades")
    residual = why_model(run_profile(NetConfig(activation="sigmoid", depth=10, residual=True)))
    assert residual.reading.endswith("the identity path carries it")


def test_an_overflow_is_named_in_the_reading():
    net = MLP(NetConfig(in_dim=3, width=8, depth=40, activation="linear", init="standard"))
    for w in net.weights:
        w *= 1e10  # float64 overflows part-way up
    rng = np.random.default_rng(0)
    profile = gradient_profile(net, rng.standard_normal((6, 3)), np.array([0.0, 1] * 3))
    assert profile.overflow_layer is not None
    assert why_model(profile).reading.startswith("overflow at L")


def test_train_health_model_follows_the_run_and_the_records():
    cfg = TrainConfig(net=NetConfig(activation="tanh", depth=5, width=16), steps=7, dataset="xor")
    records = []
    result = train(cfg, on_step=lambda step, record: records.append(record))
    model = train_health_model(result, None)
    layers = shown_layers(5)
    assert model.layer_labels == tuple(f"L{la}" for la in layers)
    assert model.steps == tuple(float(s) for s in range(1, 8))
    for values, la in zip(model.ratios, layers, strict=True):
        assert values == tuple(float(v) for v in result.update_log10_ratios[:, la - 1])
    assert model.reference == UPDATE_RATIO_REFERENCE == -3
    assert model.dead is None  # tanh has no flat side
    expected = [float(row.mean()) for row in result.saturated_fracs]
    assert model.saturated == pytest.approx(expected)
    assert not model.random_batch
    live = records_health_model(records, 5)
    assert live.ratios == model.ratios and live.saturated == model.saturated
    assert all(math.isfinite(v) for one in model.ratios for v in one)
