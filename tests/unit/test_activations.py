"""Activations: derivatives against central finite differences, their maxima, and erf."""

import math
import warnings

import numpy as np
import pytest

from lessons.lab.activations import (
    ELU,
    LeakyReLU,
    ReLU,
    activation_curve,
    get_activation,
    normal_cdf,
)
from lessons.lab.config import ACTIVATIONS, NetConfig

# Kinks at 0 (ReLU, leaky ReLU, ELU with alpha != 1) are kept out of the grid.
XS = np.concatenate([np.linspace(-6, -0.01, 300), np.linspace(0.01, 6, 300)])
VARIANTS = [(name, {}) for name in ACTIVATIONS] + [
    ("leaky_relu", {"leaky_slope": 0.2}),
    ("elu", {"elu_alpha": 0.5}),
    ("elu", {"elu_alpha": 3.0}),
]


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b), 1e-300))


@pytest.mark.parametrize("name,kwargs", VARIANTS)
def test_grad_matches_central_differences(name, kwargs):
    act = get_activation(name, **kwargs)
    step = 1e-6
    numeric = (act.fn(XS + step) - act.fn(XS - step)) / (2 * step)
    assert relative_error(act.grad(XS), numeric) < 1e-6


@pytest.mark.parametrize("name,kwargs", VARIANTS)
def test_fn_and_grad_agrees_with_fn_and_grad(name, kwargs):
    act = get_activation(name, **kwargs)
    f, df = act.fn_and_grad(XS)
    np.testing.assert_allclose(f, act.fn(XS), rtol=0, atol=1e-15)
    np.testing.assert_allclose(df, act.grad(XS), rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    "name,kwargs,expected",
    [
        ("sigmoid", {}, 0.25),
        ("tanh", {}, 1.0),
        ("relu", {}, 1.0),
        ("leaky_relu", {}, 1.0),
        ("elu", {}, 1.0),
        ("elu", {"elu_alpha": 3.0}, 3.0),
        ("gelu", {}, 1.1289),
        ("silu", {}, 1.0998),
        ("linear", {}, 1.0),
    ],
)
def test_grad_max_is_the_derivatives_maximum(name, kwargs, expected):
    act = get_activation(name, **kwargs)
    grid = np.linspace(-8, 8, 160_001)
    assert act.grad_max == pytest.approx(expected, abs=1e-4)
    assert act.grad(grid).max() <= act.grad_max + 1e-12
    assert act.grad(grid).max() == pytest.approx(act.grad_max, abs=1e-6)


def test_gelu_derivative_peaks_at_sqrt_2():
    grid = np.linspace(0, 3, 300_001)
    peak = grid[np.argmax(get_activation("gelu").grad(grid))]
    assert peak == pytest.approx(math.sqrt(2), abs=1e-4)


def test_only_sigmoid_and_tanh_saturate():
    assert [n for n in ACTIVATIONS if get_activation(n).saturating] == ["sigmoid", "tanh"]


def test_normal_cdf_matches_math_erf_to_float64_precision():
    rng = np.random.default_rng(0)
    x = np.concatenate([np.linspace(-14, 14, 200_001), rng.normal(0, 3, 20_000)])
    reference = np.array([0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x])
    assert np.max(np.abs(normal_cdf(x) - reference)) <= 2.5e-16


def test_normal_cdf_lower_tail_keeps_relative_accuracy():
    x = np.linspace(-12.7, -1, 20_000)
    reference = np.array([0.5 * math.erfc(-v / math.sqrt(2)) for v in x])
    assert np.max(np.abs(normal_cdf(x) / reference - 1)) < 1e-10


def test_normal_cdf_at_extremes_is_quiet_and_bounded():
    x = np.array([-np.inf, -1e300, -40.0, 0.0, 40.0, 1e300, np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = normal_cdf(x)
    assert np.all((p >= 0) & (p <= 1))
    assert p[3] == 0.5 and p[-1] == 1.0 and p[0] < 1e-36


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_large_inputs_give_finite_values_without_warnings(name):
    x = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f, df = get_activation(name).fn_and_grad(x)
    assert np.all(np.isfinite(f)) and np.all(np.isfinite(df))


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_scalars_and_0d_arrays_work_like_1_element_arrays(name):
    act = get_activation(name)
    expected = [v[0] for v in act.fn_and_grad(np.array([0.7]))]
    for x in (0.7, np.float64(0.7), np.array(0.7)):
        assert [float(v) for v in act.fn_and_grad(x)] == pytest.approx(expected, abs=1e-15)
        assert float(act.fn(x)) == pytest.approx(expected[0], abs=1e-15)
        assert float(act.grad(x)) == pytest.approx(expected[1], abs=1e-15)


def test_sigmoid_and_tanh_derivatives_vanish_far_from_zero():
    for name in ("sigmoid", "tanh"):
        assert get_activation(name).grad(np.array([-20.0, 20.0])).max() < 1e-8


def test_activation_curve_returns_values_and_derivatives():
    xs = np.linspace(-3, 3, 7)
    f, df = activation_curve("leaky_relu", xs, leaky_slope=0.1)
    np.testing.assert_allclose(f, np.where(xs > 0, xs, 0.1 * xs))
    np.testing.assert_allclose(df, np.where(xs > 0, 1.0, 0.1))


def assert_same_curve(got: tuple[np.ndarray, np.ndarray], want: tuple[np.ndarray, np.ndarray]):
    """The same values and the same derivatives, bit for bit."""
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])


@pytest.mark.parametrize(
    "name,kwargs",
    [("leaky_relu", {"leaky_slope": 0.3}), ("elu", {"elu_alpha": 2.5})],
)
def test_activation_curve_passes_its_shape_setting_on(name, kwargs):
    """The lab's curve view draws the activation the net uses, not the default one."""
    xs = np.linspace(-3, 3, 13)
    act = get_activation(name, **kwargs)
    assert_same_curve(activation_curve(name, xs, **kwargs), act.fn_and_grad(xs))
    default_f, _ = activation_curve(name, xs)
    assert not np.allclose(default_f[xs < 0], act.fn(xs)[xs < 0])


@pytest.mark.parametrize("name,cls", [("leaky_relu", LeakyReLU), ("elu", ELU)])
def test_every_way_to_build_an_activation_defaults_to_the_net_configs_shape(name, cls):
    """A net built from a default NetConfig, the class itself and the lab's curve view all
    draw one function, so what the curve shows is what the net computes."""
    cfg = NetConfig()
    xs = np.linspace(-3, 3, 13)
    expected = get_activation(name, cfg.leaky_slope, cfg.elu_alpha).fn_and_grad(xs)
    assert_same_curve(cls().fn_and_grad(xs), expected)
    assert_same_curve(get_activation(name).fn_and_grad(xs), expected)
    assert_same_curve(activation_curve(name, xs), expected)


def test_unknown_activation_names_the_field():
    with pytest.raises(ValueError, match="activation: must be one of sigmoid, tanh"):
        get_activation("swish")


FLAT_SIDED = [ReLU(), LeakyReLU(0.3), LeakyReLU(0.0), LeakyReLU(0.999), ELU(0.0)]


@pytest.mark.parametrize("act", FLAT_SIDED, ids=repr)
def test_the_floor_is_the_derivative_on_the_whole_flat_side(act):
    """What dead_share compares against: the slope for every x <= 0, above it for x > 0."""
    below = np.append(-np.logspace(-8, 3, 50), 0.0)
    assert act.grad_floor is not None
    np.testing.assert_array_equal(act.grad(below), act.grad_floor)
    assert np.all(act.grad(np.logspace(-8, 3, 50)) > act.grad_floor)


@pytest.mark.parametrize("act", [LeakyReLU(1.0), ELU(0.5), ELU(1.0)], ids=repr)
def test_without_a_flat_side_there_is_no_floor(act):
    """Leaky slope 1 is the identity; ELU with alpha > 0 keeps sloping as x falls."""
    xs = -np.logspace(-3, 1, 20)
    assert act.grad_floor is None
    assert len(np.unique(act.grad(xs))) > 1 or act.grad(xs)[0] == act.grad(-xs)[0]
