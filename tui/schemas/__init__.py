"""The JSON contract of every `--json` output: its version and one JSON Schema per output.

Each output carries a top-level `"version": JSON_VERSION`; a change that could break a
reader raises it. The schema files beside this module (`<output>.schema.json`) are the
documentation readers write against, and tests validate every output against them.
Only the standard library is used, so commands that emit JSON stay fast to import.
"""

from __future__ import annotations

from pathlib import Path

JSON_VERSION = 1
OUTPUTS = (
    "check",
    "lab",
    "lab-compare",
    "lab-train",
    "rnn",
    "exercise",
    "exercise-list",
    "progress",
    "class-report",
)
"""The outputs that have a schema, by file stem."""


def schema_path(output: str) -> Path:
    """The JSON Schema file of one output, e.g. schema_path("lab")."""
    return Path(__file__).resolve().parent / f"{output}.schema.json"
