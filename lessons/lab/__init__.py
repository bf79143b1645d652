"""The numpy lab: nets at initialization and in training, with every gradient visible.

The few names here (what the tests reach for) load their module on first use (PEP 562),
so `lessons.lab.config` stays importable without paying numpy's import time (the pack
checker and `vgtutor --help` rely on it). Everything else is imported from its module.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_HOMES = {
    "MLP": "mlp",
    "compare_profiles": "profile",
    "gradient_profile": "profile",
    "one_line_reading": "profile",
    "run_profile": "profile",
}
"""Each name the package offers, and the module it lives in."""
__all__ = list(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
