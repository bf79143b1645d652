"""Backward stages: each stage against finite differences of its own tensor, and the sums."""

import math
from dataclasses import replace

import numpy as np
import pytest
from gradcheck import numeric_grad

from lessons.lab import MLP
from lessons.lab.config import ACTIVATIONS, FIXES, NetConfig
from lessons.lab.mlp import BN_EPS, Gradients, bce_with_logits
from lessons.lab.profile import gradient_profile, run_profile
from lessons.lab.stages import backward_stages, frobenius

NORM_FIXES = (*FIXES, "layernorm", "layernorm+residual")
"""The fixes, plus layer norm in place of batch norm."""


def with_fix(cfg: NetConfig, fix: str) -> NetConfig:
    """cfg.with_fix, which also takes "layernorm" where it takes "batchnorm"."""
    if "layernorm" in fix:
        return replace(
            cfg.with_fix(fix.replace("layernorm", "batchnorm")), batchnorm=False, layernorm=True
        )
    return cfg.with_fix(fix)


def small_net(activation: str, fix: str) -> MLP:
    """Seed 2 keeps every preactivation away from ReLU's kink at 0 (as in test_mlp_gradients)."""
    cfg = NetConfig(activation=activation, init="xavier", depth=3, width=4, in_dim=3, seed=2)
    return MLP(with_fix(cfg, fix))


def batch() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.standard_normal((5, 3)), np.array([0, 1, 1, 0, 1], dtype=float)


def loss_from(net: MLP, layer: int, h: np.ndarray, y: np.ndarray) -> float:
    """The loss with h as layer `layer`'s output, the rest of the net run forward."""
    return bce_with_logits(net.logits(h, first_layer=layer + 1), y)[0]


def layer_output(net: MLP, layer: int, below: np.ndarray, u: np.ndarray) -> np.ndarray:
    """h_l from the activation input u (and h_(l-1) for the identity path)."""
    f = net.act.fn(u)
    return below + f if net.residual and layer >= 2 else f


def normed(net: MLP) -> bool:
    return net.batchnorm or net.layernorm


def batchnorm(net: MLP, layer: int, z: np.ndarray) -> np.ndarray:
    """Batch norm (each unit over the batch) or layer norm (each sample over its units)."""
    gamma, beta = net._layer(layer)[2:]
    axis, keep = (1, True) if net.layernorm else (0, False)
    mean, var = z.mean(axis=axis, keepdims=keep), z.var(axis=axis, keepdims=keep)
    return (z - mean) / np.sqrt(var + BN_EPS) * gamma + beta


def affine(net: MLP, layer: int, h: np.ndarray) -> np.ndarray:
    w, b = net._layer(layer)[:2]
    return h @ w + b


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b), 1e-300))


def decades(after: np.ndarray, before: np.ndarray) -> float:
    return math.log10(np.linalg.norm(after) / np.linalg.norm(before))


def check_layer(net: MLP, out: Gradients, X: np.ndarray, y: np.ndarray, layer: int) -> None:
    """Finite differences of the loss with respect to each tensor the stages measure."""
    inputs = [X] + out.activations
    below = inputs[layer - 1].copy()
    z = affine(net, layer, below)
    u = batchnorm(net, layer, z) if normed(net) else z.copy()
    h = out.activations[layer - 1].copy()
    branch_in = below.copy()

    def through_norm() -> float:
        pre = batchnorm(net, layer, z) if normed(net) else z
        return loss_from(net, layer, layer_output(net, layer, below, pre), y)

    def through_branch() -> float:
        pre = affine(net, layer, branch_in)
        pre = batchnorm(net, layer, pre) if normed(net) else pre
        return loss_from(net, layer, layer_output(net, layer, below, pre), y)

    d_h = numeric_grad(lambda: loss_from(net, layer, h, y), h)
    d_u = numeric_grad(lambda: loss_from(net, layer, layer_output(net, layer, below, u), y), u)
    d_z = numeric_grad(through_norm, z)
    d_branch = numeric_grad(through_branch, branch_in)
    if layer > 1:
        d_below = numeric_grad(lambda: loss_from(net, layer - 1, below, y), below)
    else:
        d_below = d_branch  # h_0 is the input: no identity path into it

    kept = out.stages[layer - 1]
    assert relative_error(out.signal_grads[layer - 1], d_h) < 1e-6
    assert relative_error(kept.preactivation, d_u) < 1e-6
    assert relative_error(kept.linear if normed(net) else kept.preactivation, d_z) < 1e-6
    assert relative_error(kept.branch, d_branch) < 1e-6
    assert (kept.linear is None) == (not normed(net))

    got = backward_stages(out)[layer - 1]
    assert got.activation == pytest.approx(decades(d_u, d_h), abs=1e-6)
    if normed(net):
        assert got.norm == pytest.approx(decades(d_z, d_u), abs=1e-6)
    else:
        assert got.norm is None
    assert got.weight == pytest.approx(decades(d_branch, d_z), abs=1e-6)
    assert got.total == pytest.approx(decades(d_below, d_h), abs=1e-6)


@pytest.mark.parametrize("fix", NORM_FIXES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_each_stage_tensor_and_value_match_finite_differences(activation, fix):
    net, (X, y) = small_net(activation, fix), batch()
    out = net.loss_and_grads(X, y, keep_stages=True)
    for layer in range(1, net.depth + 1):
        check_layer(net, out, X, y, layer)


@pytest.mark.parametrize("fix", NORM_FIXES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_stages_add_up_to_the_total_without_skip_connections(activation, fix):
    profile = run_profile(with_fix(NetConfig(activation=activation, depth=10), fix))
    hidden, output = profile.layers[:-1], profile.layers[-1]
    assert output.backward_stages is None
    for stats in hidden:
        s = stats.backward_stages
        assert s is not None
        branch = s.activation + (s.norm or 0.0) + s.weight
        if "residual" not in fix or stats.layer == 1:  # layer 1 has no identity path
            assert branch == pytest.approx(s.total, abs=1e-9)
        signal = [layer.signal_grad_norm for layer in hidden]
        if stats.layer >= 2:
            measured = math.log10(signal[stats.layer - 2] / signal[stats.layer - 1])
            assert s.total == pytest.approx(measured, abs=1e-9)


def test_stage_readings_the_why_view_teaches():
    """Sigmoid's slope costs at least 0.6 decades per layer; He weights pay ReLU's back;
    batch norm's stage compensates sigmoid's; the identity path carries residual nets."""
    sigmoid = run_profile(NetConfig(activation="sigmoid", init="xavier", depth=10))
    for stats in sigmoid.layers[:-1]:
        assert stats.backward_stages.activation <= -0.6
        assert stats.backward_stages.costliest() == "activation"
    relu = run_profile(NetConfig(activation="relu", init="he", depth=10))
    for stats in relu.layers[1:-1]:
        s = stats.backward_stages
        assert s.activation < -0.1 and s.weight > 0.1 and abs(s.total) < 0.1
    normed = run_profile(NetConfig(activation="sigmoid", depth=10, batchnorm=True))
    for stats in normed.layers[1:-1]:
        s = stats.backward_stages
        assert s.norm > 0.6 and abs(s.total) < 0.15
    residual = run_profile(NetConfig(activation="sigmoid", depth=10, residual=True))
    for stats in residual.layers[1:-1]:
        s = stats.backward_stages
        assert s.activation <= -0.6 and s.activation + s.weight < -0.4 and s.total > -0.1


def test_stages_are_finite_or_marked_as_overflow():
    net = MLP(NetConfig(in_dim=3, width=8, depth=40, activation="linear", init="standard"))
    for w in net.weights:
        w *= 1e10  # about 10^10.5 per layer: float64 overflows past layer 29
    grown = gradient_profile(net, *batch())
    shrunk = run_profile(NetConfig(activation="sigmoid", init="small", depth=200, width=16))
    assert grown.overflow_layer is not None
    for profile in (grown, shrunk):
        for stats in profile.layers[:-1]:
            for value in vars(stats.backward_stages).values():
                assert value is None or math.isfinite(value)
    assert any(s.backward_stages.total is None for s in grown.layers[:-1])
    assert all(s.backward_stages.total is not None for s in shrunk.layers[:-1])


def test_gradient_profile_carries_the_stages_of_its_own_batch():
    net, (X, y) = small_net("tanh", "batchnorm"), batch()
    profile = gradient_profile(net, X, y)
    expected = backward_stages(net.loss_and_grads(X, y, keep_stages=True))
    assert [s.backward_stages for s in profile.layers[:-1]] == expected


def test_stages_need_the_kept_tensors_and_training_does_not_keep_them():
    net, (X, y) = small_net("relu", "none"), batch()
    plain = net.loss_and_grads(X, y)
    assert plain.stages is None
    with pytest.raises(ValueError, match="keep_stages"):
        backward_stages(plain)
    kept = net.loss_and_grads(X, y, keep_stages=True)
    for a, b in zip(plain.param_grads, kept.param_grads, strict=True):
        np.testing.assert_array_equal(a, b)


def test_frobenius_survives_tiny_and_huge_entries():
    assert frobenius(np.full((2, 2), 1e-200)) == pytest.approx(2e-200)
    assert frobenius(np.full((2, 2), 1e200)) == pytest.approx(2e200)
    assert frobenius(np.zeros(3)) == 0.0
    assert frobenius(np.array([1.0, np.inf])) is None
