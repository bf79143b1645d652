"""`vgtutor lab --compare KIND --table`: one row per setting instead of one chart each.

For a slide or a handout: `--compare activations --depth 20` as charts is about 200
lines; as a table it is a dozen. Numbers are the lab's own (lessons.lab.profile).
"""

from __future__ import annotations

import math
from typing import Any

from tui.commands.chart_output import Output
from tui.commands.slides import settings_line, wrap

HEADINGS = ("layer 1", "last hidden", "gap")


def compare_table(
    cfg: Any, runs: list[tuple[str, Any]], metric: str, each: str, out: Output
) -> str:
    """Rows of log10 norms (layer 1, the last hidden layer) and the gap between them."""
    unit = "weight gradient ||dL/dW||" if metric == "weight" else "backward signal ||dL/dh||"
    rows = [(each, *HEADINGS)]
    for label, profile in runs:
        last = profile.layers[profile.config.depth - 1]
        first = profile.layers[0]
        ratio = getattr(profile, f"{metric}_log10_ratio")
        rows.append(
            (
                label,
                _decades(getattr(first, f"{metric}_grad_norm")),
                _decades(getattr(last, f"{metric}_grad_norm")),
                "overflow" if profile.overflow_layer is not None else _signed(ratio),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADINGS) + 1)]
    lines = [
        "  ".join(
            [
                row[0].ljust(widths[0]),
                *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)),
            ]
        )
        for row in rows
    ]
    intro = f"{unit} per {each}, log10 (gap: layer 1 vs the last hidden layer, in decades)"
    note = f"{settings_line(cfg, metric)} (each row changes the {each})"
    return "\n".join([wrap(out, intro), *(out.text(line) for line in lines), wrap(out, note)])


def _decades(norm: float | None) -> str:
    if norm is None or not math.isfinite(norm):
        return "overflow"
    return "-inf" if norm <= 0 else _signed(math.log10(norm))


def _signed(value: float | None) -> str:
    if value is None:
        return "n/a"
    if not math.isfinite(value):
        return "-inf" if value < 0 else "+inf"
    return "0.0" if abs(value) < 0.05 else f"{value:+.1f}"
