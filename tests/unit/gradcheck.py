"""Central finite differences: the reference every hand-written gradient is checked against."""

from collections.abc import Callable

import numpy as np

STEP = 1e-6


def numeric_grad(loss: Callable[[], float], array: np.ndarray, step: float = STEP) -> np.ndarray:
    """d loss() / d array, entry by entry; `array` is perturbed in place and restored."""
    grad = np.zeros_like(array)
    for idx in np.ndindex(array.shape):
        old = array[idx]
        array[idx] = old + step
        up = loss()
        array[idx] = old - step
        down = loss()
        array[idx] = old
        grad[idx] = (up - down) / (2 * step)
    return grad
