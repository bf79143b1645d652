"""A gradient profile as the rows of a chart: layer labels, norms and the metric's title.

One home for the app's views (lessons.lab.lab_views) and the command line
(tui/commands), so a chart of the same profile names its rows and its metric the same
way wherever it is drawn. numpy-free: a profile is read through its attributes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

METRIC_TITLES = {
    "weight": "weight gradient ||dL/dW||, log10 Frobenius",
    "signal": "backward signal ||dL/dh||, log10 Frobenius",
}
"""A per-layer chart's title for each of lessons.lab.config.METRICS."""
METRIC_SHORT = {"weight": "log10 ||dL/dW||", "signal": "log10 ||dL/dh||"}
"""The same, where a table caption or a compared net's chart leaves little room."""


def layer_labels(depth: int, layers: Iterable[int]) -> tuple[str, ...]:
    """L1..L{depth} for the hidden layers, "out" for the weight matrix after them."""
    return tuple("out" if layer > depth else f"L{layer}" for layer in layers)


def profile_norms(profile: Any, metric: str) -> tuple[tuple[str, ...], tuple[float | None, ...]]:
    """Labels and norms of a GradientProfile's layers for a metric (the output layer has a
    weight gradient but no backward signal); None marks an overflow."""
    depth = profile.config.depth
    layers = [la for la in profile.layers if metric == "weight" or la.layer <= depth]
    norms = tuple(
        la.weight_grad_norm if metric == "weight" else la.signal_grad_norm for la in layers
    )
    return layer_labels(depth, (la.layer for la in layers)), norms
