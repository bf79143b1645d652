"""Weight initialization schemes: how large the weights start decides whether the
backward signal shrinks, holds or grows from layer to layer.

Every scheme returns a float64 matrix of shape (fan_in, fan_out); biases start at zero.
"""

from __future__ import annotations

import math

import numpy as np

from lessons.lab.config import INITS


def init_weight(scheme: str, fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """One weight matrix drawn with `scheme` (one of config.INITS).

    small:      N(0, 0.01^2) — shrinks the signal at every layer, even with ReLU.
    standard:   N(0, 1) — grows it (each unit sums fan_in terms of variance 1).
    xavier:     N(0, 2 / (fan_in + fan_out)), Glorot & Bengio 2010, for tanh/sigmoid.
    he:         N(0, 2 / fan_in), He et al. 2015: the 2 makes up for ReLU zeroing half the units.
    orthogonal: a random matrix with orthonormal rows or columns (Saxe et al. 2014), which
                preserves the length of every vector it multiplies (gain 1).
    """
    if scheme == "small":
        return 0.01 * rng.standard_normal((fan_in, fan_out))
    if scheme == "standard":
        return rng.standard_normal((fan_in, fan_out))
    if scheme == "xavier":
        return math.sqrt(2.0 / (fan_in + fan_out)) * rng.standard_normal((fan_in, fan_out))
    if scheme == "he":
        return math.sqrt(2.0 / fan_in) * rng.standard_normal((fan_in, fan_out))
    if scheme == "orthogonal":
        return _orthogonal(fan_in, fan_out, rng)
    raise ValueError(f"init: must be one of {', '.join(INITS)}; got {scheme!r}")


def _orthogonal(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """QR of a tall Gaussian matrix; multiplying Q's columns by sign(diag R) makes Q uniformly
    distributed (Mezzadri 2007) instead of biased by the QR routine's sign convention."""
    tall, short = max(fan_in, fan_out), min(fan_in, fan_out)
    q, r = np.linalg.qr(rng.standard_normal((tall, short)))
    q *= np.where(np.diag(r) < 0, -1.0, 1.0)
    return q if fan_in >= fan_out else q.T
