"""The net at its edges: a batch of one, a unit the batch cannot vary, numbers past float64,
scales and shifts away from their start; and results that cannot be changed."""

import dataclasses
import warnings

import numpy as np
import pytest
from gradcheck import numeric_grad

from lessons.lab import MLP
from lessons.lab.config import NetConfig

NORMALIZATIONS = ["none", "batchnorm", "layernorm", "residual"]


def net_with(normalization: str, depth: int = 3, **settings: object) -> MLP:
    cfg = NetConfig(in_dim=3, width=4, depth=depth, seed=2, **settings)  # type: ignore[arg-type]
    if normalization != "none":
        cfg = dataclasses.replace(cfg, **{normalization: True})
    return MLP(cfg)


def batch(size: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    return rng.standard_normal((size, 3)), (np.arange(size) % 2).astype(float)


@pytest.mark.parametrize("normalization", NORMALIZATIONS)
def test_a_batch_of_one_has_the_right_gradients(normalization):
    net = net_with(normalization, activation="tanh")
    X, y = batch(1)
    out = net.loss_and_grads(X, y)
    assert out.logits.shape == (1,) and np.isfinite(out.loss)
    np.testing.assert_array_equal(net.logits(X), out.logits)
    for name, param, grad in zip(net.param_names, net.params, out.param_grads, strict=True):
        numeric = numeric_grad(lambda: net.loss_and_grads(X, y).loss, param)
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9, err_msg=name)


def test_batch_norm_on_a_batch_of_one_passes_nothing_back_below_it():
    """One sample is its own batch mean: every unit normalizes to 0 whatever came in."""
    net = net_with("batchnorm", activation="tanh")
    out = net.loss_and_grads(*batch(1))
    assert all(np.all(pre == 0.0) for pre in out.preactivations)
    assert np.all(out.signal_grads[0] == 0.0) and np.all(out.weight_grads[0] == 0.0)


@pytest.mark.parametrize("normalization", ["batchnorm", "layernorm"])
def test_a_unit_with_no_spread_normalizes_to_zero_not_nan(normalization):
    """The epsilon under the square root keeps 0 / 0 away when the variance is 0: a batch
    whose samples agree (batch norm) or a layer whose units agree (layer norm). One hidden
    layer: in a deeper net each normalization would amplify a finite difference's step by
    1 / sqrt(epsilon) until it no longer measures a slope."""
    net = net_with(normalization, depth=1, activation="tanh")
    net.weights[0][...] = 0.0  # layer 1's preactivations are its bias, 0, everywhere
    X, y = batch(6)
    out = net.loss_and_grads(X, y)
    assert np.all(out.preactivations[0] == 0.0)
    assert np.isfinite(out.loss) and all(np.all(np.isfinite(g)) for g in out.param_grads)
    grads = dict(zip(net.param_names, out.param_grads, strict=True))
    numeric = numeric_grad(lambda: net.loss_and_grads(X, y).loss, net.params[0])
    np.testing.assert_allclose(grads["W1"], numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("normalization", NORMALIZATIONS)
def test_overflow_never_warns_or_raises_it_propagates_as_inf_or_nan(normalization):
    net = net_with(normalization, activation="linear", init="standard")
    for w in net.weights[1:]:
        w *= 1e200  # h_2 ~ 1e200, h_3 ~ 1e400 without normalization: inf, then inf - inf
    net.params[-1][...] = np.inf  # the output bias: overflow reaches the logits in every net
    X, y = batch(8)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = net.loss_and_grads(X, y, keep_stages=True)
        trained = net.loss_and_grads(X, y)
        logits = net.logits(X)
        against = net.logits_against(X[:3], X)
        proba = net.predict_proba(X)
    assert not np.isfinite(out.loss) and not np.isfinite(trained.loss)
    assert not np.all(np.isfinite(logits)) and not np.all(np.isfinite(against))
    assert proba.shape == (8,) and np.all(np.isnan(proba) | (proba == 1.0))


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("normalization", ["batchnorm", "layernorm"])
def test_scales_and_shifts_away_from_their_start_are_applied_and_differentiated(
    normalization, residual
):
    """A trained net's gamma and beta are not 1 and 0, where gamma * u and u / gamma agree."""
    net = net_with(normalization, activation="tanh", residual=residual)
    rng = np.random.default_rng(4)
    params = dict(zip(net.param_names, net.params, strict=True))
    for layer in range(1, net.depth + 1):
        params[f"gamma{layer}"][...] = rng.uniform(0.5, 2.0, net.width)
        params[f"beta{layer}"][...] = rng.uniform(-0.5, 0.5, net.width)
    X, y = batch(6)
    out = net.loss_and_grads(X, y)
    pre = X @ params["W1"] + params["b1"]
    axis = 0 if normalization == "batchnorm" else 1
    centred = pre - pre.mean(axis=axis, keepdims=True)
    normalized = centred / np.sqrt(np.mean(centred**2, axis=axis, keepdims=True) + 1e-5)
    expected = params["gamma1"] * normalized + params["beta1"]
    np.testing.assert_allclose(out.preactivations[0], expected, rtol=1e-12, atol=1e-14)
    for name, param, grad in zip(net.param_names, net.params, out.param_grads, strict=True):
        numeric = numeric_grad(lambda: net.loss_and_grads(X, y).loss, param)
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9, err_msg=name)


def test_a_pass_and_its_stages_are_frozen():
    out = net_with("batchnorm", activation="tanh").loss_and_grads(*batch(4), keep_stages=True)
    assert out.stages is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        out.loss = 0.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        out.stages[0].linear = None  # type: ignore[misc]


def test_a_wrong_shape_is_named_after_what_the_layer_takes():
    net = net_with("none")
    with pytest.raises(ValueError, match=r"^X: must have shape \(batch, 3\)"):
        net.logits(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"^h: must have shape \(batch, 4\)"):
        net.logits(np.zeros((2, 3)), first_layer=2)
    with pytest.raises(ValueError, match=r"^first_layer: must be from 1 to 4; got 5"):
        net.logits(np.zeros((2, 4)), first_layer=5)
    with pytest.raises(ValueError, match=r"^points: must have shape"):
        net.logits_against(np.zeros((2, 4)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"^reference: must have shape"):
        net.logits_against(np.zeros((2, 3)), np.zeros((5, 4)))
