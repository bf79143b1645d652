"""The data a lab measures on, generated from a seed so nothing is downloaded.

Two kinds: the random batch the gradient profiles use (Gaussian inputs with labels that
depend on them), and small 2-D binary data sets for training. Each 2-D set needs a
non-linear boundary, so a net must use its hidden layers to fit it; points lie roughly
in [-1, 1]^2 and the two classes are balanced. `lab_inputs` is the one place that turns a
data source name into a batch, so a profile and step 1 of a training run on the same
settings see the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from lessons.lab.config import DATA_SOURCES, DATASETS, RANDOM_BATCH, NetConfig

Points = tuple[np.ndarray, np.ndarray]
_DATA_STREAM = 1
"""The random batch comes from rng([seed, 1]), a stream independent of the weights' rng(seed)."""


def _xor(n0: int, n1: int, rng: np.random.Generator) -> Points:
    """Class 1 where the two coordinates have the same sign (quadrants I and III)."""

    def draw(count: int, same_sign: bool) -> np.ndarray:
        p: np.ndarray = rng.uniform(0.05, 1.0, (count, 2)) * rng.choice([-1.0, 1.0], (count, 1))
        if not same_sign:
            p[:, 1] *= -1.0
        return p

    return draw(n0, False), draw(n1, True)


def _circles(n0: int, n1: int, rng: np.random.Generator) -> Points:
    """Class 1 on an inner circle of radius 0.4, class 0 on an outer one of radius 1."""

    def ring(count: int, radius: float) -> np.ndarray:
        angle = rng.uniform(0.0, 2 * np.pi, count)
        r = radius + 0.08 * rng.standard_normal(count)
        return np.column_stack([r * np.cos(angle), r * np.sin(angle)])

    return ring(n0, 1.0), ring(n1, 0.4)


def _spirals(n0: int, n1: int, rng: np.random.Generator) -> Points:
    """Two interleaved spirals of 1.5 turns each, the second rotated by half a turn."""

    def arm(count: int, phase: float) -> np.ndarray:
        t = np.sqrt(rng.uniform(0.0, 1.0, count))  # even density along the arm
        angle = 3 * np.pi * t + phase
        p = np.column_stack([t * np.cos(angle), t * np.sin(angle)])
        return p + 0.03 * rng.standard_normal(p.shape)

    return arm(n0, 0.0), arm(n1, np.pi)


_MAKERS: dict[str, Callable[[int, int, np.random.Generator], Points]] = {
    "xor": _xor,
    "circles": _circles,
    "spirals": _spirals,
}


def make_dataset(name: str, n: int = 256, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n points X (n, 2) and labels y (n,) in {0, 1}, both float64, in a seeded shuffled order."""
    if name not in _MAKERS:
        raise ValueError(f"dataset: must be one of {', '.join(DATASETS)}; got {name!r}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"n: must be a whole number of at least 2; got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise ValueError(f"seed: must be a whole number from 0 to {2**32 - 1}; got {seed!r}")
    rng = np.random.default_rng(seed)
    n1 = n // 2
    class0, class1 = _MAKERS[name](n - n1, n1, rng)
    X = np.vstack([class0, class1])
    y = np.r_[np.zeros(n - n1), np.ones(n1)]
    order = rng.permutation(n)
    return X[order], y[order]


def random_batch(n: int, in_dim: int, seed: int = 0) -> Points:
    """X ~ N(0, 1) of shape (n, in_dim) and y = 1[x0 + x1 > 0] (1[x0 > 0] when in_dim is 1).

    The labels depend on the inputs, so the loss's gradient carries information about
    the data, as it does in training; the classes are balanced on average.
    """
    rng = np.random.default_rng([seed, _DATA_STREAM])
    X = rng.standard_normal((n, in_dim))
    y = (X[:, :2].sum(axis=1) > 0).astype(np.float64)
    return X, y


def lab_inputs(
    net: NetConfig, data: str = RANDOM_BATCH
) -> tuple[NetConfig, np.ndarray, np.ndarray]:
    """The net to build and the batch (X, y) to measure it on, for one data source.

    The random batch has net.in_dim features; a 2-D data set makes the net's in_dim 2.
    Both hold net.batch points seeded by net.seed.
    """
    if data == RANDOM_BATCH:
        return net, *random_batch(net.batch, net.in_dim, net.seed)
    if data not in DATA_SOURCES:
        raise ValueError(f"dataset: must be one of {', '.join(DATA_SOURCES)}; got {data!r}")
    X, y = make_dataset(data, n=net.batch, seed=net.seed)
    return replace(net, in_dim=2), X, y
