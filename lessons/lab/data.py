"""Small synthetic 2-D binary data sets, generated from a seed so nothing is downloaded.

Each set needs a non-linear boundary, so a net must use its hidden layers to fit it;
points lie roughly in [-1, 1]^2 and the two classes are balanced.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lessons.lab.config import DATASETS

Points = tuple[np.ndarray, np.ndarray]


def _xor(n0: int, n1: int, rng: np.random.Generator) -> Points:
    """Class 1 where the two coordinates have the same sign (quadrants I and III)."""

    def draw(count: int, same_sign: bool) -> np.ndarray:
        p = rng.uniform(0.05, 1.0, (count, 2)) * rng.choice([-1.0, 1.0], (count, 1))
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
