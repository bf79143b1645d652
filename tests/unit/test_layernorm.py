"""Layer norm in the lab's MLP: backprop against central finite differences, and its contract."""

import json

import numpy as np
import pytest
from gradcheck import numeric_grad
from test_mlp_gradients import assert_close, batch

from lessons.lab import MLP
from lessons.lab.config import NetConfig
from lessons.lab.lab_state import KEY_ACTIONS, LabSettings
from lessons.lab.lab_views import legend
from lessons.lab.mlp import bce_with_logits
from tui.cli import main


def layernorm_net(activation: str, residual: bool, seed: int = 2) -> MLP:
    cfg = NetConfig(
        activation=activation, depth=3, width=4, in_dim=3, seed=seed, layernorm=True,
        residual=residual,
    )  # fmt: skip
    return MLP(cfg)


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "gelu"])
def test_param_grads_match_finite_differences(activation, residual):
    net = layernorm_net(activation, residual)
    X, y = batch()
    out = net.loss_and_grads(X, y)
    assert [n for n in net.param_names if n.startswith("gamma")] == ["gamma1", "gamma2", "gamma3"]
    for name, param, grad in zip(net.param_names, net.params, out.param_grads, strict=True):
        assert grad.shape == param.shape, name
        numeric = numeric_grad(lambda: net.loss_and_grads(X, y).loss, param)
        assert_close(grad, numeric, name)


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_signal_grads_match_finite_differences(activation, residual):
    net = layernorm_net(activation, residual)
    X, y = batch()
    out = net.loss_and_grads(X, y)
    for layer in range(1, net.depth + 1):
        h = out.activations[layer - 1].copy()

        def loss_from_h(h: np.ndarray = h, first_layer: int = layer + 1) -> float:
            return bce_with_logits(net.logits(h, first_layer=first_layer), y)[0]

        assert_close(out.signal_grads[layer - 1], numeric_grad(loss_from_h, h), layer)


def test_layernorm_normalizes_each_sample_over_its_units():
    net = MLP(NetConfig(in_dim=3, width=6, depth=2, activation="relu", layernorm=True))
    out = net.loss_and_grads(*batch())
    pre = out.preactivations[0]  # gamma = 1, beta = 0 at the start
    np.testing.assert_allclose(pre.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(pre.var(axis=1), 1, atol=1e-3)
    assert np.abs(pre.mean(axis=0)).max() > 1e-3  # not over the batch, as batch norm does


def test_a_sample_is_normalized_alone_so_a_grid_needs_no_reference():
    net = MLP(NetConfig(in_dim=3, width=4, depth=3, layernorm=True))
    X, _ = batch()
    alone = np.concatenate([net.logits(X[i : i + 1]) for i in range(len(X))])
    np.testing.assert_allclose(net.logits(X), alone, rtol=1e-12)
    np.testing.assert_allclose(net.logits_against(X[:2], X), net.logits(X[:2]), rtol=1e-12)


def test_layernorm_and_batchnorm_together_are_refused_naming_the_field():
    with pytest.raises(ValueError, match="^layernorm: cannot be combined with batchnorm"):
        NetConfig(layernorm=True, batchnorm=True)
    with pytest.raises(ValueError, match="^layernorm: must be true or false"):
        NetConfig(layernorm="yes")  # type: ignore[arg-type]


def test_switching_to_a_batchnorm_fix_turns_layernorm_off():
    cfg = NetConfig(layernorm=True)
    assert cfg.with_fix("residual").layernorm and cfg.with_fix("residual").residual
    assert not cfg.with_fix("batchnorm").layernorm and cfg.with_fix("batchnorm").batchnorm


def test_the_layernorm_key_switches_normalization_and_the_legend_names_it():
    s = LabSettings()
    on = KEY_ACTIONS["toggle_layernorm"](s, 1)
    assert on.net.layernorm and not on.net.batchnorm
    assert legend(on, s) == "now: LN on · before: LN off"
    swapped = KEY_ACTIONS["toggle_batchnorm"](on, 1)  # b while layer norm is on: batch norm
    assert swapped.net.batchnorm and not swapped.net.layernorm
    back = KEY_ACTIONS["toggle_layernorm"](swapped, 1)
    assert back.net.layernorm and not back.net.batchnorm


def test_cli_layernorm_flag_measures_a_layernorm_net_and_misuse_exits_2(capsys):
    assert main(["lab", "--layernorm", "--depth", "3", "--width", "8", "--json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert main(["lab", "--depth", "3", "--width", "8", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) != plain
    assert main(["lab", "--layernorm", "--batchnorm"]) == 2
    assert "--layernorm: cannot be combined with batchnorm" in capsys.readouterr().err
    assert main(["lab", "--layernorm", "--script", "numpy"]) == 2
    assert "--layernorm:" in capsys.readouterr().err
