"""Recurrent cells: BPTT vs finite differences, PyTorch's equations, the outline's figures."""

import warnings

import numpy as np
import pytest
from gradcheck import numeric_grad

from lessons.lab.config import RNNConfig
from lessons.lab.rnn import GRU, LSTM, VanillaRNN, make_cell, time_profile

B, T, D, H = 2, 4, 2, 3
CELLS = [
    ("rnn", {}),
    ("rnn", {"recurrent_init": "orthogonal"}),
    ("lstm", {"forget_bias": 0.5}),
    ("lstm", {"recurrent_init": "orthogonal"}),
    ("gru", {}),
    ("gru", {"recurrent_init": "orthogonal"}),
]


def _net(cell, extra):
    return make_cell(RNNConfig(cell=cell, seq_len=T, hidden=H, in_dim=D, batch=B, seed=3, **extra))


def _data(seed=7):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((B, T, D)), rng.standard_normal((B, H))


def _rel_err(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


@pytest.mark.parametrize(("cell", "extra"), CELLS)
def test_param_grads_match_finite_differences(cell, extra):
    net = _net(cell, extra)
    X, target = _data()
    out = net.loss_and_grads(X, target)
    for name, p, g in zip(net.param_names, net.params, out.param_grads, strict=True):
        num = numeric_grad(lambda: net.loss_and_grads(X, target).loss, p)
        assert _rel_err(g, num) < 1e-6, name


@pytest.mark.parametrize(("cell", "extra"), CELLS)
def test_input_and_hidden_grads_match_finite_differences(cell, extra):
    net = _net(cell, extra)
    X, target = _data()
    shift = np.zeros((B, T, H))
    out = net.loss_and_grads(X, target, h_shift=shift)
    num_x = numeric_grad(lambda: net.loss_and_grads(X, target).loss, X)
    num_h = numeric_grad(lambda: net.loss_and_grads(X, target, h_shift=shift).loss, shift)
    assert _rel_err(out.input_grads, num_x) < 1e-6
    assert _rel_err(out.hidden_grads, num_h) < 1e-6


def _sig(x):
    return 1 / (1 + np.exp(-x))


def _reference_last_state(net, X):
    """h_T from PyTorch's documented equations, weights taken in PyTorch's (out, in) layout."""
    W_ih, W_hh, b_ih, b_hh = net.W_ih.T, net.W_hh.T, net.b_ih, net.b_hh
    h = np.zeros((X.shape[0], net.hidden))
    c = np.zeros_like(h)
    for t in range(X.shape[1]):
        gi = X[:, t] @ W_ih.T + b_ih
        gh = h @ W_hh.T + b_hh
        if isinstance(net, VanillaRNN):
            h = np.tanh(gi + gh)
        elif isinstance(net, LSTM):
            i, f, g, o = np.split(gi + gh, 4, axis=1)
            c = _sig(f) * c + _sig(i) * np.tanh(g)
            h = _sig(o) * np.tanh(c)
        else:
            (ir, iz, i_n), (hr, hz, hn) = np.split(gi, 3, axis=1), np.split(gh, 3, axis=1)
            r, z = _sig(ir + hr), _sig(iz + hz)
            n = np.tanh(i_n + r * hn)
            h = (1 - z) * n + z * h
    return h


@pytest.mark.parametrize(("cell", "extra"), CELLS)
def test_forward_follows_pytorch_equations(cell, extra):
    net = _net(cell, extra)
    X, _ = _data()
    # With a zero target, dL/dh_T = h_T / batch.
    h_T = B * net.loss_and_grads(X, np.zeros((B, H))).hidden_grads[:, -1]
    np.testing.assert_allclose(h_T, _reference_last_state(net, X), rtol=1e-12, atol=1e-14)


def test_pytorch_init_range_and_orthogonal_recurrent_matrices():
    net = make_cell(RNNConfig(cell="lstm", hidden=16, in_dim=5))
    k = 1 / np.sqrt(16)
    assert net.param_names == ["W_ih", "W_hh", "b_ih", "b_hh"]
    assert [p.shape for p in net.params] == [(5, 64), (16, 64), (64,), (64,)]
    assert all(np.abs(p).max() <= k for p in net.params)
    ortho = make_cell(RNNConfig(cell="gru", hidden=16, recurrent_init="orthogonal"))
    for block in np.split(ortho.W_hh, 3, axis=1):
        np.testing.assert_allclose(block.T @ block, np.eye(16), atol=1e-12)


def test_forget_bias_shifts_only_the_forget_gate_bias():
    base = LSTM(4, 8, seed=1)
    shifted = LSTM(4, 8, forget_bias=1.0, seed=1)
    diff = shifted.b_ih - base.b_ih
    np.testing.assert_allclose(diff, np.r_[np.zeros(8), np.ones(8), np.zeros(16)])


def test_make_cell_builds_the_configured_class():
    assert type(make_cell(RNNConfig(cell="rnn"))) is VanillaRNN
    assert type(make_cell(RNNConfig(cell="lstm"))) is LSTM
    assert type(make_cell(RNNConfig(cell="gru"))) is GRU


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"cell": "elman"}, "cell"),
        ({"hidden": 0}, "hidden"),
        ({"seq_len": 0}, "seq_len"),
        ({"recurrent_init": "zeros"}, "recurrent_init"),
        ({"forget_bias": "1"}, "forget_bias"),
    ],
)
def test_invalid_settings_name_the_field(kwargs, field):
    with pytest.raises(ValueError, match=f"^{field}:"):
        time_profile(RNNConfig(**kwargs))


def test_wrong_shapes_name_the_argument():
    net = VanillaRNN(3, 4)
    with pytest.raises(ValueError, match="^X:"):
        net.loss_and_grads(np.zeros((2, 5, 2)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="^X:"):
        net.loss_and_grads(np.zeros((5, 3)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="^target:"):
        net.loss_and_grads(np.zeros((2, 5, 3)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="^h_shift:"):
        net.loss_and_grads(np.zeros((2, 5, 3)), np.zeros((2, 4)), h_shift=np.zeros((2, 4, 4)))
    with pytest.raises(ValueError, match="^hidden:"):
        GRU(3, 0)
    with pytest.raises(ValueError, match="^recurrent_init:"):
        LSTM(3, 4, recurrent_init="identity")


def _decay_per_step(cell, forget_bias=0.0, recurrent_init="pytorch"):
    """Decades lost per time step: slope of log10 ||dL/dh_t|| over t, mean of 3 seeds."""
    slopes = []
    for seed in range(3):
        cfg = RNNConfig(
            cell=cell,
            seq_len=100,
            forget_bias=forget_bias,
            recurrent_init=recurrent_init,
            seed=seed,
        )
        logs = np.log10(time_profile(cfg).norms)
        slopes.append(np.polyfit(np.arange(1, 101), logs, 1)[0])
    return float(np.mean(slopes))  # norms grow toward t = T, so a positive slope is decay


@pytest.mark.parametrize(
    ("cell", "forget_bias", "outline"),
    [("rnn", 0.0, 0.27), ("lstm", 0.0, 0.20), ("lstm", 1.0, 0.07), ("gru", 0.0, 0.19)],
)
def test_decay_per_step_matches_the_outline(cell, forget_bias, outline):
    assert _decay_per_step(cell, forget_bias) == pytest.approx(outline, abs=0.04)


def test_vanilla_rnn_loses_about_six_decades_over_25_steps():
    ratios = [time_profile(RNNConfig(seq_len=25, seed=s)).log10_ratio for s in range(3)]
    assert np.mean(ratios) == pytest.approx(-6.6, abs=1.0)


def test_lstm_with_forget_bias_one_keeps_more_gradient_than_vanilla_rnn():
    rnn = time_profile(RNNConfig(cell="rnn", seq_len=50))
    lstm = time_profile(RNNConfig(cell="lstm", seq_len=50, forget_bias=1.0))
    assert lstm.log10_ratio > rnn.log10_ratio + 5


def test_orthogonal_recurrent_init_helps_the_vanilla_rnn():
    plain = time_profile(RNNConfig(seq_len=50))
    ortho = time_profile(RNNConfig(seq_len=50, recurrent_init="orthogonal"))
    assert ortho.log10_ratio > plain.log10_ratio + 5
    assert _decay_per_step("rnn", recurrent_init="orthogonal") < 0.15


def test_time_profile_shape_determinism_and_no_overflow():
    cfg = RNNConfig(cell="gru", seq_len=30, seed=4)
    a, b = time_profile(cfg), time_profile(cfg)
    assert a == b
    assert len(a.norms) == 30 and a.overflow_step is None and a.config is cfg
    assert a.log10_ratio == pytest.approx(np.log10(a.norms[0] / a.norms[-1]))


def test_underflow_over_very_long_sequences_is_reported_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rnn = time_profile(RNNConfig(seq_len=1000, hidden=8, batch=2))
        lstm = time_profile(RNNConfig(cell="lstm", forget_bias=3.0, seq_len=1000, batch=2))
    assert rnn.norms[0] == 0.0 and rnn.log10_ratio == float("-inf") and rnn.overflow_step is None
    assert all(n > 0 for n in lstm.norms) and np.isfinite(lstm.log10_ratio)


def test_params_are_live_even_when_replaced_in_the_list():
    net = VanillaRNN(D, H)
    X, target = _data()
    net.params[1] = np.zeros((H, H))  # no recurrence: nothing flows back past the last step
    grads = net.loss_and_grads(X, target).hidden_grads
    assert np.all(grads[:, :-1] == 0) and np.any(grads[:, -1] != 0)
