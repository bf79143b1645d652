"""The numpy lab: nets at initialization and in training, with every gradient visible.

Names are imported on first use (PEP 562), so `lessons.lab.config` stays importable
without paying numpy's import time (the pack checker and `vgtutor --help` rely on it).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lessons.lab.activations import activation_curve, get_activation
    from lessons.lab.mlp import MLP, Gradients
    from lessons.lab.profile import (
        GradientProfile,
        LayerStats,
        compare_profiles,
        gradient_profile,
        one_line_reading,
        run_profile,
    )

_HOMES = {
    "activation_curve": "activations",
    "get_activation": "activations",
    "MLP": "mlp",
    "Gradients": "mlp",
    "GradientProfile": "profile",
    "LayerStats": "profile",
    "compare_profiles": "profile",
    "gradient_profile": "profile",
    "one_line_reading": "profile",
    "run_profile": "profile",
}

__all__ = [
    "MLP",
    "GradientProfile",
    "Gradients",
    "LayerStats",
    "activation_curve",
    "compare_profiles",
    "get_activation",
    "gradient_profile",
    "one_line_reading",
    "run_profile",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
