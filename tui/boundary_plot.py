"""The decision boundary as a plotext scatter: one mark per grid cell, the data on top.

Every cell of the lab's grid lands on exactly one character (the axes' ticks are left
out and the limits sit on the grid's edges), so the predicted regions fill the frame.
Marks are 7-bit characters, one per class, so the chart reads the same in ASCII and
without colour; colour only adds to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy-bound; the caller computes the grid
    from lessons.lab.boundary import BoundaryGrid

REGION_MARKS = {0: ".", 1: ":", -1: "?"}
"""Predicted class 0, class 1, and a cell whose logit overflowed."""
POINT_MARKS = {0: "o", 1: "x"}
REGION_COLOURS = {0: "blue", 1: "red", -1: "gray"}
POINT_COLOURS = {0: "blue+", 1: "red+"}
LEGEND = ". net says 0   : net says 1   o class 0   x class 1"
FRAME_COLUMNS, FRAME_ROWS = 2, 3
"""Columns and rows around the cells: the two borders, and the title row above them."""


def grid_size(width: int, height: int) -> tuple[int, int]:
    """The (cols, rows) of cells that fill a chart of width x height characters."""
    return max(width - FRAME_COLUMNS, 1), max(height - FRAME_ROWS, 1)


def draw_boundary(plt: Any, grid: BoundaryGrid, width: int, height: int, title: str) -> None:
    """Lay out one boundary chart on plotext; the grid must have grid_size(width, height)."""
    import numpy as np

    plt.clear_figure()
    plt.plotsize(width, height)
    xs, ys = np.meshgrid(grid.xs, grid.ys)
    for label, mark in REGION_MARKS.items():
        cells = grid.classes == label
        if cells.any():
            plt.scatter(
                xs[cells].tolist(), ys[cells].tolist(), marker=mark, color=REGION_COLOURS[label]
            )
    for label, mark in POINT_MARKS.items():
        chosen = grid.labels == label
        points = grid.points[chosen]
        plt.scatter(
            points[:, 0].tolist(), points[:, 1].tolist(), marker=mark, color=POINT_COLOURS[label]
        )
    plt.xlim(*_edges(grid.xs))
    plt.ylim(*_edges(grid.ys))
    plt.xticks([])
    plt.yticks([])
    plt.title(title)


def _edges(centres: Any) -> tuple[float, float]:
    half = float(centres[1] - centres[0]) / 2 if len(centres) > 1 else 1.0
    return float(centres[0]) - half, float(centres[-1]) + half
