"""The numpy lab: nets at initialization and in training, with every gradient visible.

Names are imported on first use (PEP 562), so `lessons.lab.config` stays importable
without paying numpy's import time (the pack checker and `vgtutor --help` rely on it).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lessons.lab.activations import activation_curve, get_activation
    from lessons.lab.data import make_dataset
    from lessons.lab.mlp import MLP, Gradients
    from lessons.lab.profile import (
        GradientProfile,
        LayerStats,
        compare_profiles,
        gradient_profile,
        one_line_reading,
        run_profile,
    )
    from lessons.lab.rnn import GRU, LSTM, TimeProfile, VanillaRNN, make_cell, time_profile
    from lessons.lab.train import (
        StepRecord,
        TrainResult,
        clip_by_global_norm,
        clip_by_value,
        train,
    )

_EXPORTS = {
    "activations": ("activation_curve", "get_activation"),
    "data": ("make_dataset",),
    "mlp": ("MLP", "Gradients"),
    "profile": (
        "GradientProfile",
        "LayerStats",
        "compare_profiles",
        "gradient_profile",
        "one_line_reading",
        "run_profile",
    ),
    "rnn": ("GRU", "LSTM", "TimeProfile", "VanillaRNN", "make_cell", "time_profile"),
    "train": ("StepRecord", "TrainResult", "clip_by_global_norm", "clip_by_value", "train"),
}
_HOMES = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = [
    "GRU",
    "GradientProfile",
    "Gradients",
    "LSTM",
    "LayerStats",
    "MLP",
    "StepRecord",
    "TimeProfile",
    "TrainResult",
    "VanillaRNN",
    "activation_curve",
    "clip_by_global_norm",
    "clip_by_value",
    "compare_profiles",
    "get_activation",
    "gradient_profile",
    "make_cell",
    "make_dataset",
    "one_line_reading",
    "run_profile",
    "time_profile",
    "train",
]
assert sorted(__all__) == sorted(_HOMES)  # one list to keep in step with the other


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
