"""What the net learned: its predicted class over the plane of a 2-D data set.

A deep sigmoid net whose early layers never learn draws one class everywhere; the same
net with batch norm draws the spiral. The grid is evaluated with batch norm using the
training data's statistics, as a trained net is used (a grid has statistics of its own
that mean nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lessons.lab.config import DATASETS, TrainConfig
from lessons.lab.data import lab_inputs
from lessons.lab.mlp import MLP
from lessons.lab.train import TrainResult

MARGIN = 0.1
"""The grid reaches this share of the data's extent beyond its outermost point."""
MAX_CELLS = 20_000
"""A grid evaluates one forward pass over this many points at most."""
UNKNOWN = -1
"""The class of a cell whose logit overflowed (inf or NaN)."""


@dataclass(frozen=True, eq=False)
class BoundaryGrid:
    """The predicted class on a cols x rows grid, and the training points over it."""

    xs: np.ndarray
    """(cols,) cell centres along x0, left to right."""
    ys: np.ndarray
    """(rows,) cell centres along x1, bottom to top."""
    classes: np.ndarray
    """(rows, cols) 1 where P(y = 1) >= 0.5, else 0; UNKNOWN where the logit overflowed.
    Row 0 is the bottom row (ys[0])."""
    points: np.ndarray
    """(n, 2) the training data."""
    labels: np.ndarray
    """(n,) its 0/1 labels."""

    def class_share(self) -> float:
        """Share of the known cells predicted as class 1."""
        known = self.classes[self.classes != UNKNOWN]
        return float(np.mean(known == 1)) if known.size else float("nan")


def initial_net(cfg: TrainConfig) -> MLP:
    """The net train(cfg) starts from."""
    return MLP(lab_inputs(cfg.net, cfg.dataset)[0])


def trained_net(result: TrainResult) -> MLP:
    """The net as it stood after the run's last completed step."""
    net = initial_net(result.config)
    if result.final_params:
        for live, final in zip(net.params, result.final_params, strict=True):
            live[...] = final
    return net


def decision_grid(net: MLP, cfg: TrainConfig, cols: int, rows: int) -> BoundaryGrid:
    """The class `net` predicts at the centre of each cell of a cols x rows grid spanning
    the data set of `cfg` (a square extent: both axes share a scale). Only the 2-D data
    sets have a plane to draw; the random batch has in_dim features."""
    if cfg.dataset not in DATASETS:
        raise ValueError(
            f"dataset: a boundary needs a 2-D data set ({', '.join(DATASETS)}); got {cfg.dataset!r}"
        )
    if not (1 <= cols and 1 <= rows and cols * rows <= MAX_CELLS):
        raise ValueError(
            f"grid: must be at least 1x1 and at most {MAX_CELLS} cells; got {cols}x{rows}"
        )
    _, X, y = lab_inputs(cfg.net, cfg.dataset)
    reach = float(np.max(np.abs(X))) * (1 + MARGIN)
    xs = _centres(-reach, reach, cols)
    ys = _centres(-reach, reach, rows)
    plane = np.column_stack([np.tile(xs, rows), np.repeat(ys, cols)])
    logits = net.logits_against(plane, X)
    classes = np.where(np.isfinite(logits), (logits >= 0).astype(int), UNKNOWN)
    return BoundaryGrid(xs, ys, classes.reshape(rows, cols), X, y)


def start_and_end(result: TrainResult, cols: int, rows: int) -> tuple[BoundaryGrid, BoundaryGrid]:
    """The boundary at step 0 and after the run's last completed step."""
    cfg = result.config
    start = decision_grid(initial_net(cfg), cfg, cols, rows)
    return start, decision_grid(trained_net(result), cfg, cols, rows)


def _centres(low: float, high: float, count: int) -> np.ndarray:
    edges = np.linspace(low, high, count + 1)
    return (edges[:-1] + edges[1:]) / 2
