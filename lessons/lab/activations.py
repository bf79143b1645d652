"""Activation functions and their derivatives, one small class each (after numpy-ml).

Backpropagation multiplies the backward signal by `grad(x)` at every layer, so the
derivative's maximum `grad_max` bounds how much one layer can pass on: sigmoid 0.25,
tanh 1, ReLU 1, GELU about 1.13.
"""

from __future__ import annotations

import math

import numpy as np

from lessons.lab.config import ACTIVATIONS

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)

# erfc is tabulated with math.erfc at t = k/128 for 0 <= t <= 9 (erfc(9) = 4e-37) and
# corrected by a 6-term Taylor series: with |t - t0| <= 1/256 the error is below 1 ulp.
_NODES_PER_UNIT = 128
_ERFC_END = 9.0
_ERFC_TABLE = np.array(
    [math.erfc(k / _NODES_PER_UNIT) for k in range(int(_ERFC_END * _NODES_PER_UNIT) + 1)]
)
_TAYLOR_TERMS = 6


def _erfc_nonnegative(t: np.ndarray) -> np.ndarray:
    """erfc(t) for t >= 0, absolute error about 1e-16 (numpy has no erf, scipy is not a dependency).

    Taylor series around the nearest table node t0, with d = t - t0:
    erfc(t0 + d) = erfc(t0) - 2/sqrt(pi) exp(-t0^2) sum_k (-1)^(k-1) H_(k-1)(t0) d^k / k!
    where H_n are the physicists' Hermite polynomials (H_(n+1) = 2t H_n - 2n H_(n-1)).
    Inputs beyond 9 (and NaN) are read as 9: erfc is below 4e-37 there.
    """
    # In-place arithmetic keeps the number of batch-sized temporaries (and page faults) down.
    d = np.fmin(t, _ERFC_END)
    node = np.rint(d * _NODES_PER_UNIT).astype(np.intp)
    t0 = node * (1 / _NODES_PER_UNIT)
    d -= t0
    factor = np.square(t0)
    np.exp(np.negative(factor, out=factor), out=factor)
    factor *= _TWO_OVER_SQRT_PI  # 2/sqrt(pi) exp(-t0^2)
    two_t0 = np.multiply(t0, 2.0, out=t0)
    hermite_prev, hermite = np.ones_like(d), two_t0.copy()  # H_0, H_1
    term = d.copy()  # (-1)^(k-1) d^k / k! for k = 1
    series = d.copy()  # H_0 * term
    scratch = np.empty_like(d)
    for k in range(2, _TAYLOR_TERMS + 1):
        term *= d
        term *= -1.0 / k
        series += np.multiply(hermite, term, out=scratch)
        hermite_prev *= -2.0 * (k - 1)
        hermite_prev += np.multiply(two_t0, hermite, out=scratch)
        hermite, hermite_prev = hermite_prev, hermite
    series *= factor
    result: np.ndarray = np.subtract(_ERFC_TABLE.take(node), series, out=series)
    return result


def normal_cdf(x: np.ndarray) -> np.ndarray:
    """Phi(x) = (1 + erf(x / sqrt 2)) / 2, the standard normal CDF, to float64 accuracy.

    The lower tail is computed as erfc(|x| / sqrt 2) / 2 directly, so it keeps its relative
    accuracy (about 1e-12) instead of cancelling in 1 - (something close to 1).
    """
    x = np.asarray(x, dtype=np.float64)
    flat = np.abs(x).reshape(-1)  # at least 1-d, so the in-place steps have arrays to work on
    lower_tail = 0.5 * _erfc_nonnegative(flat * _SQRT_HALF).reshape(x.shape)
    return np.where(x < 0, lower_tail, 1.0 - lower_tail)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)); exp overflowing to inf for x < -709 correctly gives 0."""
    s = np.negative(x, out=np.empty(np.shape(x)))
    with np.errstate(over="ignore"):
        np.exp(s, out=s)
    s += 1.0
    result: np.ndarray = np.reciprocal(s, out=s)
    return result


class Activation:
    """An elementwise nonlinearity `fn(x)`, its derivative `grad(x)` and that one's maximum."""

    name: str = ""
    grad_max: float = 1.0
    saturating: bool = False
    """True when the derivative tends to 0 for large |x| (sigmoid, tanh)."""
    grad_floor: float | None = None
    """The ReLU family's flat side: the derivative's minimum, which it keeps for every
    x <= 0 (ReLU 0, leaky ReLU its slope). A unit whose derivative stays there for a whole
    batch is dead. None where no interval holds the derivative at its minimum."""

    def fn(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def grad(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def fn_and_grad(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(fn(x), grad(x)): the forward pass keeps the derivative for backprop. Subclasses
        override it where both share work (sigmoid, tanh, GELU, SiLU)."""
        return self.fn(x), self.grad(x)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Sigmoid(Activation):
    name = "sigmoid"
    grad_max = 0.25
    saturating = True

    def fn(self, x: np.ndarray) -> np.ndarray:
        """s(x) = 1 / (1 + exp(-x))."""
        return sigmoid(x)

    def grad(self, x: np.ndarray) -> np.ndarray:
        """s'(x) = s(x) (1 - s(x)), at most 0.25 (at x = 0)."""
        return self.fn_and_grad(x)[1]

    def fn_and_grad(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s = sigmoid(x)
        grad = 1.0 - s
        grad *= s
        return s, grad


class Tanh(Activation):
    name = "tanh"
    grad_max = 1.0
    saturating = True

    def fn(self, x: np.ndarray) -> np.ndarray:
        result: np.ndarray = np.tanh(x)
        return result

    def grad(self, x: np.ndarray) -> np.ndarray:
        """tanh'(x) = 1 - tanh(x)^2, at most 1 (at x = 0)."""
        return self.fn_and_grad(x)[1]

    def fn_and_grad(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        t = np.tanh(x)
        return t, 1.0 - t * t


class ReLU(Activation):
    name = "relu"
    grad_floor = 0.0

    def fn(self, x: np.ndarray) -> np.ndarray:
        result: np.ndarray = np.maximum(x, 0.0)
        return result

    def grad(self, x: np.ndarray) -> np.ndarray:
        """relu'(x) = 1 for x > 0, else 0 (0 at x = 0 too): a unit below 0 passes nothing back."""
        result: np.ndarray = np.greater(x, 0).astype(np.float64)
        return result


class LeakyReLU(Activation):
    name = "leaky_relu"

    def __init__(self, slope: float = 0.01) -> None:
        self.slope = float(slope)
        self.grad_max = max(1.0, self.slope)
        self.grad_floor = self.slope if self.slope < 1.0 else None  # slope 1 is linear

    def fn(self, x: np.ndarray) -> np.ndarray:
        return np.where(x > 0, x, self.slope * x)

    def grad(self, x: np.ndarray) -> np.ndarray:
        """f'(x) = 1 for x > 0, else `slope`: negative inputs still pass a little gradient."""
        return np.where(x > 0, 1.0, self.slope)

    def __repr__(self) -> str:
        return f"LeakyReLU(slope={self.slope:g})"


class ELU(Activation):
    name = "elu"

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = float(alpha)
        self.grad_max = max(1.0, self.alpha)
        self.grad_floor = 0.0 if self.alpha == 0.0 else None  # alpha 0 is ReLU

    def fn(self, x: np.ndarray) -> np.ndarray:
        """x for x > 0, alpha (exp(x) - 1) otherwise."""
        return self.fn_and_grad(x)[0]

    def grad(self, x: np.ndarray) -> np.ndarray:
        """f'(x) = 1 for x > 0, alpha exp(x) otherwise (approaches alpha just below 0)."""
        return self.fn_and_grad(x)[1]

    def fn_and_grad(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        positive = x > 0
        below = self.alpha * np.expm1(np.minimum(x, 0.0))  # alpha (exp(x) - 1) for x <= 0
        return np.where(positive, x, below), np.where(positive, 1.0, below + self.alpha)

    def __repr__(self) -> str:
        return f"ELU(alpha={self.alpha:g})"


class GELU(Activation):
    """The exact, erf-based GELU of Hendrycks & Gimpel (not the tanh approximation)."""

    name = "gelu"
    grad_max = 0.5 * (1 + math.erf(1.0)) + math.sqrt(2) * _INV_SQRT_2PI * math.exp(-1.0)
    """Phi(x) + x phi(x) peaks at x = sqrt 2, where its derivative phi(x) (2 - x^2) is 0: 1.1289."""

    def fn(self, x: np.ndarray) -> np.ndarray:
        """x Phi(x), Phi the standard normal CDF."""
        result: np.ndarray = x * normal_cdf(x)
        return result

    def grad(self, x: np.ndarray) -> np.ndarray:
        """f'(x) = Phi(x) + x phi(x), phi the standard normal density; it exceeds 1 for x > 0.75."""
        return self.fn_and_grad(x)[1]

    def fn_and_grad(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cdf = normal_cdf(x)
        return x * cdf, cdf + x * _INV_SQRT_2PI * np.exp(-0.5 * x * x)


class SiLU(Activation):
    """SiLU (swish): x s(x), s the sigmoid."""

    name = "silu"
    _PEAK_X = 2.3993572805154675
    """Where silu'' = s (1 - s) (2 + x (1 - 2s)) is 0, i.e. x tanh(x / 2) = 2."""
    grad_max = (1 + _PEAK_X * (1 - 1 / (1 + math.exp(-_PEAK_X)))) / (1 + math.exp(-_PEAK_X))

    def fn(self, x: np.ndarray) -> np.ndarray:
        result: np.ndarray = x * sigmoid(x)
        return result

    def grad(self, x: np.ndarray) -> np.ndarray:
        """f'(x) = s(x) (1 + x (1 - s(x))), at most about 1.0998 (at x = 2.3994)."""
        return self.fn_and_grad(x)[1]

    def fn_and_grad(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s = sigmoid(x)
        return x * s, s * (1.0 + x * (1.0 - s))


class Linear(Activation):
    name = "linear"

    def fn(self, x: np.ndarray) -> np.ndarray:
        return x

    def grad(self, x: np.ndarray) -> np.ndarray:
        """f'(x) = 1: a linear net is a product of weight matrices and nothing else."""
        return np.ones_like(x)


_CLASSES: dict[str, type[Activation]] = {
    cls.name: cls for cls in (Sigmoid, Tanh, ReLU, LeakyReLU, ELU, GELU, SiLU, Linear)
}


def get_activation(name: str, leaky_slope: float = 0.01, elu_alpha: float = 1.0) -> Activation:
    """The activation called `name` (one of config.ACTIVATIONS); ValueError otherwise."""
    if name not in _CLASSES:
        raise ValueError(f"activation: must be one of {', '.join(ACTIVATIONS)}; got {name!r}")
    if name == "leaky_relu":
        return LeakyReLU(leaky_slope)
    if name == "elu":
        return ELU(elu_alpha)
    return _CLASSES[name]()


def activation_curve(
    name: str, xs: np.ndarray, leaky_slope: float = 0.01, elu_alpha: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """(f(xs), f'(xs)) for plotting an activation next to its derivative."""
    act = get_activation(name, leaky_slope=leaky_slope, elu_alpha=elu_alpha)
    return act.fn_and_grad(np.asarray(xs, dtype=np.float64))
