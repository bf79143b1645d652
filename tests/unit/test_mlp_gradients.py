"""MLP backprop against central finite differences, and the net's contract."""

import dataclasses

import numpy as np
import pytest
from gradcheck import numeric_grad

from lessons.lab import MLP
from lessons.lab.activations import sigmoid
from lessons.lab.config import ACTIVATIONS, FIXES, NetConfig
from lessons.lab.mlp import bce_with_logits


def small_net(activation: str, fix: str, seed: int = 2) -> MLP:
    """Seed 2 keeps every preactivation at least 1e-3 away from ReLU's kink at 0."""
    cfg = NetConfig(activation=activation, init="xavier", depth=3, width=4, in_dim=3, seed=seed)
    return MLP(cfg.with_fix(fix))


def batch(seed: int = 0, size: int = 5, in_dim: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((size, in_dim)), np.array([0, 1, 1, 0, 1], dtype=float)[:size]


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b), 1e-300))


def assert_close(grad: np.ndarray, numeric: np.ndarray, what: object) -> None:
    """Relative error below 1e-6; a gradient that is 0 in theory (a bias or shift whose effect
    the next batch norm removes) shows up as finite-difference noise (~1e-10) and must be ~0."""
    if np.linalg.norm(numeric) < 1e-8:
        assert np.abs(grad).max() < 1e-14, what
    else:
        assert relative_error(grad, numeric) < 1e-6, what


@pytest.mark.parametrize("fix", FIXES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_param_grads_match_finite_differences(activation, fix):
    net = small_net(activation, fix)
    X, y = batch()
    out = net.loss_and_grads(X, y)
    for name, param, grad in zip(net.param_names, net.params, out.param_grads, strict=True):
        assert grad.shape == param.shape, name
        numeric = numeric_grad(lambda: net.loss_and_grads(X, y).loss, param)
        assert_close(grad, numeric, name)


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_batchnorm_makes_hidden_bias_gradients_zero(activation):
    """Batch norm subtracts the batch mean, so a bias before it cannot change the loss."""
    net = small_net(activation, "batchnorm")
    out = net.loss_and_grads(*batch())
    grads = dict(zip(net.param_names, out.param_grads, strict=True))
    assert max(np.abs(grads[name]).max() for name in ("b1", "b2", "b3")) < 1e-15
    assert np.linalg.norm(out.weight_grads[0]) > 1e-6  # while the weights before it do matter


@pytest.mark.parametrize("fix", FIXES)
@pytest.mark.parametrize("activation", ["sigmoid", "relu", "gelu"])
def test_signal_grads_match_finite_differences(activation, fix):
    net = small_net(activation, fix)
    X, y = batch()
    out = net.loss_and_grads(X, y)
    assert len(out.signal_grads) == net.depth
    for layer in range(1, net.depth + 1):
        h = out.activations[layer - 1].copy()

        def loss_from_h(h: np.ndarray = h, first_layer: int = layer + 1) -> float:
            return bce_with_logits(net.logits(h, first_layer=first_layer), y)[0]

        numeric = numeric_grad(loss_from_h, h)
        assert_close(out.signal_grads[layer - 1], numeric, layer)


def test_weight_grads_are_the_weight_entries_of_param_grads():
    net = small_net("tanh", "batchnorm+residual")
    out = net.loss_and_grads(*batch())
    names = [n for n in net.param_names if n.startswith("W")]
    assert names == [f"W{k}" for k in range(1, net.depth + 2)]
    assert len(out.weight_grads) == len(net.weights) == net.depth + 1
    for w, g in zip(net.weights, out.weight_grads, strict=True):
        assert g.shape == w.shape
        assert any(g is p for p in out.param_grads)


def test_param_names_follow_layers():
    net = MLP(NetConfig(in_dim=2, width=3, depth=2, batchnorm=True))
    assert net.param_names == [
        "W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3"
    ]  # fmt: skip
    shapes = [(2, 3), (3,), (3,), (3,), (3, 3), (3,), (3,), (3,), (3, 1), (1,)]
    assert [p.shape for p in net.params] == shapes
    params = dict(zip(net.param_names, net.params, strict=True))
    assert all(np.all(params[f"gamma{k}"] == 1) and np.all(params[f"beta{k}"] == 0) for k in (1, 2))
    assert all(np.all(params[f"b{k}"] == 0) for k in (1, 2, 3))


def test_shapes_of_the_result():
    net = MLP(NetConfig(in_dim=3, width=5, depth=4, activation="relu", init="he", batchnorm=True))
    X, y = batch()
    out = net.loss_and_grads(X, y)
    assert out.logits.shape == (5,)
    assert isinstance(out.loss, float)
    for lst in (out.activations, out.preactivations, out.derivatives, out.signal_grads):
        assert len(lst) == 4 and all(a.shape == (5, 5) for a in lst)
    np.testing.assert_allclose(net.predict_proba(X), sigmoid(out.logits))


def test_residual_adds_the_previous_hidden_output():
    net = MLP(NetConfig(in_dim=3, width=4, depth=3, activation="tanh", residual=True))
    out = net.loss_and_grads(*batch())
    h1, h2 = out.activations[0], out.activations[1]
    np.testing.assert_allclose(h2, h1 + np.tanh(out.preactivations[1]))
    np.testing.assert_allclose(h1, np.tanh(out.preactivations[0]))


def test_batchnorm_normalizes_each_unit_over_the_batch():
    net = MLP(NetConfig(in_dim=3, width=4, depth=2, activation="relu", batchnorm=True))
    out = net.loss_and_grads(*batch())
    pre = out.preactivations[0]  # gamma = 1, beta = 0 at the start
    np.testing.assert_allclose(pre.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(pre.var(axis=0), 1, atol=1e-3)  # eps = 1e-5 in the denominator


def test_bce_from_logits_is_right_for_saturated_samples():
    z = np.array([50.0, -50.0, 50.0, -50.0, 0.0])
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0])
    loss, grad = bce_with_logits(z, y)
    assert loss == pytest.approx((50 + 50 + 2 * np.log1p(np.exp(-50)) + np.log(2)) / 5)
    np.testing.assert_allclose(grad, (sigmoid(z) - y) / 5, rtol=1e-12, atol=0)
    assert grad[0] == pytest.approx(0.2) and grad[1] == pytest.approx(-0.2)
    numeric = numeric_grad(lambda: bce_with_logits(z, y)[0], z)
    np.testing.assert_allclose(grad, numeric, atol=1e-8)


def test_net_with_saturated_output_keeps_the_right_output_gradient():
    net = MLP(NetConfig(in_dim=3, width=4, depth=2, activation="tanh"))
    X, y = batch()
    net.weights[-1][:] = 0.0
    net.params[-1][:] = 50.0  # every logit is 50: confidently "1", wrong for the y = 0 samples
    out = net.loss_and_grads(X, y)
    np.testing.assert_allclose(out.logits, 50.0)
    assert out.loss == pytest.approx(50 * np.mean(y == 0), rel=1e-12)
    expected = (sigmoid(out.logits) - y) / len(y)
    np.testing.assert_allclose(out.param_grads[-1], [expected.sum()], rtol=1e-12)
    assert out.param_grads[-1][0] == pytest.approx(0.2 * np.sum(y == 0))
    np.testing.assert_allclose(
        out.weight_grads[-1][:, 0], out.activations[-1].T @ expected, rtol=1e-12
    )


def test_weights_are_live_and_seeded():
    X, y = batch()
    cfg = NetConfig(in_dim=3, width=4, depth=2, seed=7)
    a, b = MLP(cfg), MLP(cfg)
    assert all(np.array_equal(p, q) for p, q in zip(a.params, b.params, strict=True))
    assert not np.array_equal(a.weights[0], MLP(dataclasses.replace(cfg, seed=8)).weights[0])
    before = a.loss_and_grads(X, y).loss
    a.weights[1] *= 3.0
    assert a.params[2] is a.weights[1]
    assert a.loss_and_grads(X, y).loss != before


NET_SETTING_CHANGES = {
    "activation": "tanh",
    "init": "he",
    "depth": 3,
    "width": 5,
    "batchnorm": True,
    "residual": True,
    "seed": 3,
    "in_dim": 4,
    "leaky_slope": 0.2,
    "elu_alpha": 0.5,
    "layernorm": True,
}
"""A new value for every NetConfig field the net is built from (all but `batch`)."""


def net_fingerprint(net: MLP) -> tuple[list[str], list[np.ndarray], float]:
    X, y = batch(in_dim=net.in_dim)
    return net.param_names, net.params, net.loss_and_grads(X, y).loss


@pytest.mark.parametrize("setting", sorted(NET_SETTING_CHANGES))
def test_every_setting_of_its_config_reaches_the_net(setting):
    activation = {"leaky_slope": "leaky_relu", "elu_alpha": "elu"}.get(setting, "relu")
    base = NetConfig(activation=activation, in_dim=3, width=4, depth=2, seed=2)
    changed = dataclasses.replace(base, **{setting: NET_SETTING_CHANGES[setting]})
    net = MLP(changed)
    assert net.config is changed
    names, params, loss = net_fingerprint(MLP(base))
    other_names, other_params, other_loss = net_fingerprint(net)
    same_params = names == other_names and all(
        np.array_equal(p, q) for p, q in zip(params, other_params, strict=True)
    )
    assert not (same_params and loss == other_loss), setting


def test_every_net_setting_is_checked_and_the_batch_is_not_one():
    net_fields = {f.name for f in dataclasses.fields(NetConfig)} - {"batch"}
    assert set(NET_SETTING_CHANGES) == net_fields
    base = NetConfig(in_dim=3, width=4, depth=2)
    names, params, loss = net_fingerprint(MLP(dataclasses.replace(base, batch=7)))
    assert names == net_fingerprint(MLP(base))[0] and loss == net_fingerprint(MLP(base))[2]
    assert all(np.array_equal(p, q) for p, q in zip(params, MLP(base).params, strict=True))


@pytest.mark.parametrize(
    "activation,setting,value", [("leaky_relu", "leaky_slope", 0.3), ("elu", "elu_alpha", 2.5)]
)
def test_the_activations_shape_setting_is_the_one_the_forward_pass_uses(activation, setting, value):
    net = MLP(NetConfig(activation=activation, in_dim=3, width=8, depth=2, **{setting: value}))
    out = net.loss_and_grads(*batch())
    pre = out.preactivations[0]
    assert (pre < 0).any() and (pre > 0).any()
    below = value * pre if activation == "leaky_relu" else value * np.expm1(pre)
    np.testing.assert_allclose(out.activations[0], np.where(pre > 0, pre, below), rtol=1e-14)
    slope = value if activation == "leaky_relu" else value * np.exp(pre)
    np.testing.assert_allclose(out.derivatives[0], np.where(pre > 0, 1.0, slope), rtol=1e-14)


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"activation": "swish"}, "activation"),
        ({"init": "kaiming"}, "init"),
        ({"depth": 0}, "depth"),
        ({"depth": 201}, "depth"),
        ({"width": 0}, "width"),
        ({"width": 1025}, "width"),
        ({"leaky_slope": -1.0}, "leaky_slope"),
    ],
)
def test_invalid_settings_raise_value_error_naming_the_field(kwargs, field):
    with pytest.raises(ValueError, match=f"^{field}: must be"):
        MLP(NetConfig(**kwargs))


@pytest.mark.parametrize(
    "X,y,field",
    [
        (np.zeros((5, 4)), np.zeros(5), "X"),
        (np.zeros(3), np.zeros(1), "X"),
        (np.zeros((0, 3)), np.zeros(0), "X"),
        (np.zeros((5, 3)), np.zeros(4), "y"),
        (np.zeros((5, 3)), np.zeros((5, 1)), "y"),
    ],
)
def test_wrong_data_shapes_raise_value_error_naming_the_argument(X, y, field):
    net = MLP(NetConfig(in_dim=3, width=4, depth=2))
    with pytest.raises(ValueError, match=f"^{field}: must have shape"):
        net.loss_and_grads(X, y)
