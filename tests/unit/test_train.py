"""Optimizers, clipping and the training loop: what lessons 2, 9 and 12 rely on."""

import warnings

import numpy as np
import pytest

from lessons.lab.config import NetConfig, TrainConfig
from lessons.lab.train import (
    SGD,
    Adam,
    StepRecord,
    clip_by_global_norm,
    clip_by_value,
    global_norm,
    train,
)


def _grads(seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((4, 3)), rng.standard_normal(3), rng.standard_normal((3, 1))]


def _flat(grads):
    return np.concatenate([g.ravel() for g in grads])


def _cfg(steps=60, optimizer="adam", lr=0.01, dataset="xor", **net):
    settings = {"activation": "relu", "init": "he", "depth": 3, "width": 16, "batch": 128} | net
    return TrainConfig(
        net=NetConfig(**settings), steps=steps, optimizer=optimizer, lr=lr, dataset=dataset
    )


# --- clipping -------------------------------------------------------------------------------


def test_global_norm_clip_keeps_direction_and_caps_the_norm():
    grads = _grads()
    before = np.linalg.norm(_flat(grads))
    clipped, norm = clip_by_global_norm(grads, 0.5)
    a, b = _flat(grads), _flat(clipped)
    assert norm == pytest.approx(before)
    assert np.linalg.norm(b) == pytest.approx(0.5)
    assert a @ b / (np.linalg.norm(a) * np.linalg.norm(b)) == pytest.approx(1.0, abs=1e-12)


def test_clipping_is_a_no_op_below_the_threshold():
    grads = _grads()
    clipped, norm = clip_by_global_norm(grads, 1e3)
    assert all(np.array_equal(g, c) for g, c in zip(grads, clipped, strict=True))
    assert norm == pytest.approx(np.linalg.norm(_flat(grads)))
    small = [0.01 * g for g in grads]
    assert all(np.array_equal(g, c) for g, c in zip(small, clip_by_value(small, 1.0), strict=True))


def test_value_clip_caps_each_entry_and_leaves_small_ones():
    grads = _grads()
    clipped = clip_by_value(grads, 0.3)
    a, b = _flat(grads), _flat(clipped)
    assert np.abs(b).max() == pytest.approx(0.3)
    small = np.abs(a) <= 0.3
    np.testing.assert_array_equal(a[small], b[small])
    np.testing.assert_array_equal(b[~small], 0.3 * np.sign(a[~small]))


def test_clip_thresholds_must_be_positive():
    with pytest.raises(ValueError, match="^max_norm:"):
        clip_by_global_norm(_grads(), 0.0)
    with pytest.raises(ValueError, match="^limit:"):
        clip_by_value(_grads(), -1.0)


def test_global_norm_survives_tiny_and_huge_gradients():
    for scale in (1e-200, 1e200):
        grads = [scale * g for g in _grads()]
        assert global_norm(grads) == pytest.approx(scale * np.linalg.norm(_flat(_grads())))


# --- optimizers -----------------------------------------------------------------------------


def test_adam_matches_the_textbook_update():
    grads_seq = [_grads(s) for s in range(3)]
    adam = Adam(0.01)
    m = [np.zeros_like(g) for g in grads_seq[0]]
    v = [np.zeros_like(g) for g in grads_seq[0]]
    for t, grads in enumerate(grads_seq, start=1):
        got = adam.step(grads)
        for k, g in enumerate(grads):
            m[k] = 0.9 * m[k] + 0.1 * g
            v[k] = 0.999 * v[k] + 0.001 * g**2
            want = -0.01 * (m[k] / (1 - 0.9**t)) / (np.sqrt(v[k] / (1 - 0.999**t)) + 1e-8)
            np.testing.assert_allclose(got[k], want, rtol=1e-12)


def test_sgd_steps_against_the_gradient():
    grads = _grads()
    for u, g in zip(SGD(0.5).step(grads), grads, strict=True):
        np.testing.assert_array_equal(u, -0.5 * g)


# --- training -------------------------------------------------------------------------------


@pytest.mark.parametrize("dataset", ["xor", "circles"])
def test_loss_goes_down_with_relu_he_adam(dataset):
    result = train(_cfg(steps=150, dataset=dataset))
    assert result.steps_done == 150 and result.diverged_at is None and not result.cancelled
    assert result.losses[-1] < 0.5 * result.losses[0]
    assert result.accuracies[-1] > 0.85


def test_result_shapes_are_per_step_and_per_weight_matrix_and_read_only():
    result = train(_cfg(steps=7, depth=4))
    assert result.losses.shape == result.accuracies.shape == (7,)
    assert result.global_norm_before.shape == result.global_norm_after.shape == (7,)
    for a in (result.grad_norms, result.moved, result.step_sizes):
        assert a.shape == (7, 5)
    with pytest.raises(ValueError):
        result.losses[0] = 0.0
    np.testing.assert_array_equal(result.global_norm_before, result.global_norm_after)


def test_same_config_gives_identical_arrays():
    a, b = train(_cfg(steps=20)), train(_cfg(steps=20))
    for name in (
        "losses",
        "accuracies",
        "grad_norms",
        "moved",
        "step_sizes",
        "global_norm_before",
        "global_norm_after",
    ):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def test_deep_sigmoid_sgd_first_layer_moves_far_less_than_last():
    cfg = _cfg(steps=30, optimizer="sgd", lr=0.5, activation="sigmoid", init="xavier", depth=10)
    moved = train(cfg).moved[-1]
    assert moved[0] < 1e-3 * moved[-1]


def test_adam_steps_are_large_relative_to_a_tiny_gradient_unlike_sgd():
    net = {"activation": "sigmoid", "init": "xavier", "depth": 8}
    sgd = train(_cfg(steps=5, optimizer="sgd", lr=0.01, **net))
    adam = train(_cfg(steps=5, optimizer="adam", lr=0.01, **net))
    sgd_ratio = sgd.step_sizes[:, 0] / sgd.grad_norms[:, 0]
    adam_ratio = adam.step_sizes[:, 0] / adam.grad_norms[:, 0]
    np.testing.assert_allclose(sgd_ratio, 0.01)
    assert np.all(adam_ratio > 1e3 * sgd_ratio)
    assert adam.step_sizes[0, 0] > 100 * sgd.step_sizes[0, 0]


EXPLODING = {"activation": "relu", "init": "standard", "depth": 10, "width": 32}


def test_exploding_run_diverges_without_clipping_and_reports_the_step_quietly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = train(_cfg(steps=50, optimizer="sgd", lr=1.0, **EXPLODING))
    assert result.diverged_at is not None and result.diverged_at <= 50
    assert result.steps_done == result.diverged_at - 1 == len(result.losses)
    assert np.isfinite(result.losses).all() and np.isfinite(result.grad_norms).all()


def test_clipping_by_global_norm_prevents_the_divergence():
    cfg = _cfg(steps=50, optimizer="sgd", lr=1.0, **EXPLODING)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = train(TrainConfig(**{**vars(cfg), "clip_norm": 1.0}))
    assert result.diverged_at is None and result.steps_done == 50
    assert np.all(result.global_norm_after <= 1.0 + 1e-9)
    assert result.global_norm_before.max() > 1.0


def test_clipping_by_value_in_training_shrinks_the_global_norm():
    cfg = _cfg(steps=5, optimizer="sgd", lr=0.01, **EXPLODING)
    result = train(TrainConfig(**{**vars(cfg), "clip_value": 1e-3}))
    assert result.diverged_at is None
    assert np.all(result.global_norm_after < result.global_norm_before)


def test_on_step_reports_every_step_and_should_stop_cancels():
    seen: list[tuple[int, StepRecord]] = []
    calls = iter(range(100))
    result = train(
        _cfg(steps=50),
        on_step=lambda s, r: seen.append((s, r)),
        should_stop=lambda: next(calls) >= 6,
    )
    assert result.cancelled and result.steps_done == 6 and len(result.losses) == 6
    assert [s for s, _ in seen] == [1, 2, 3, 4, 5, 6]
    last = seen[-1][1]
    assert last.loss == result.losses[-1]
    np.testing.assert_array_equal(last.moved, result.moved[-1])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"lr": 0}, "lr"), ({"dataset": "moons"}, "dataset"), ({"optimizer": "rmsprop"}, "optimizer")],
)
def test_invalid_settings_name_the_field(kwargs, field):
    with pytest.raises(ValueError, match=f"^{field}:"):
        train(TrainConfig(**kwargs))
