"""Unit health: how many units a layer has lost to saturation or to ReLU's flat side.

A saturated unit (sigmoid, tanh) passes back almost nothing for that sample; a dead unit
(ReLU family) passes back only its floor slope for every sample, so its incoming weights
get no gradient (ReLU) or a tiny one (leaky ReLU) however long the net trains.
"""

from __future__ import annotations

import numpy as np

from lessons.lab.activations import Activation

SATURATION_LEVEL = 0.01
"""A unit is saturated when act'(x) is below 1% of the derivative's maximum."""


def saturated_share(act: Activation, derivative: np.ndarray) -> float | None:
    """Share of (sample, unit) pairs whose act'(preactivation) is below SATURATION_LEVEL of
    its maximum; None for activations that do not saturate (all but sigmoid and tanh)."""
    if not act.saturating:
        return None
    return np.count_nonzero(derivative < SATURATION_LEVEL * act.grad_max) / derivative.size


def dead_share(act: Activation, derivative: np.ndarray) -> float | None:
    """Share of units (columns) whose derivative sits at the activation's floor for every
    sample of the batch (rows); None for activations without a flat side."""
    if act.grad_floor is None:
        return None
    return float(np.mean(np.all(derivative <= act.grad_floor, axis=0)))
