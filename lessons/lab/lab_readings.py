"""The one-line readings under the lab's charts: plain sentences a learner can trust.

"Level" is said in words (within LEVEL_DECADES), an underflow gets one sentence of its
own, and a profile's first-to-last ratio comes with the per-layer slope over the hidden
layers 2..L, because layer 1 (the input layer) can differ from the rest for a reason
that has nothing to do with vanishing: its inputs are the data, not a hidden layer's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from lessons.lab.config import METRICS

LEVEL_DECADES = 0.3
"""Within this many decades two gradients read as "about level"."""
INPUT_LAYER_GAP = 0.25
"""Layer 1 is called out when it sits this many decades off the hidden layers' trend."""
UNITS = {"weight": "weight gradient", "signal": "backward signal dL/dh"}


def power(log10_ratio: float | None) -> str:
    """A ratio as a power of ten: "10^-12", "10^-1.4"; "?" when it is not a number."""
    if log10_ratio is None or not math.isfinite(log10_ratio):
        return "10^?"
    if abs(log10_ratio) >= 3:
        return f"10^{log10_ratio:+.0f}"
    return f"10^{round(log10_ratio, 1) + 0.0:+.1f}"


def _logs(profile: Any, metric: str) -> list[float | None]:
    layers = profile.layers[: profile.config.depth]
    norms = [la.weight_grad_norm if metric == "weight" else la.signal_grad_norm for la in layers]
    return [None if n is None else (math.log10(n) if n > 0 else -math.inf) for n in norms]


def profile_reading(profile: Any, metric: str = "weight") -> str:
    """Layer 1 against the last hidden layer, and the slope over hidden layers 2..L."""
    if metric not in METRICS:
        raise ValueError(f"metric: must be one of {', '.join(METRICS)}; got {metric!r}")
    depth = profile.config.depth
    if profile.overflow_layer is not None:
        return (
            f"overflow at layer {profile.overflow_layer}: the numbers grew past what float64 "
            "can hold (inf or NaN), so the gradients cannot be compared"
        )
    if depth == 1:
        return "only one hidden layer: there is no earlier layer to compare it with"
    logs = _logs(profile, metric)
    unit = UNITS[metric]
    if logs[0] == -math.inf:
        return (
            f"layer 1's {unit} underflowed to exactly 0: more than 300 decades below "
            f"layer {depth}'s, too small for float64 to hold"
        )
    ratio = profile.weight_log10_ratio if metric == "weight" else profile.signal_log10_ratio
    if ratio is None:
        return "the gradients cannot be compared"
    if abs(ratio) <= LEVEL_DECADES:
        sentence = f"layers 1 and {depth} get about the same {unit} (level within 0.3 decades)"
    else:
        sentence = f"layer 1 gets {power(ratio)} of layer {depth}'s {unit}"
    return sentence + _slope_note(logs, depth)


def _slope_note(logs: Sequence[float | None], depth: int) -> str:
    """The per-layer slope over hidden layers 2..depth, and where layer 1 leaves the trend."""
    if depth < 3 or any(v is None or not math.isfinite(v) for v in logs):
        return ""
    second, last = logs[1], logs[depth - 1]
    assert second is not None and last is not None and logs[0] is not None
    slope = (second - last) / (depth - 2)  # per layer, going back toward the input
    if abs(slope) * (depth - 2) <= LEVEL_DECADES:
        note = f"; L{depth} back to L2 stay level"
    else:
        note = f"; {slope:+.2f} decades per layer from L{depth} back to L2"
    off = logs[0] - (second + slope)
    if abs(off) > INPUT_LAYER_GAP:
        where = "below" if off < 0 else "above"
        note += f"; L1 sits {abs(off):.1f} {where} that trend: it is the input layer"
    return note


def rnn_reading(profiles: dict[str, Any], cell: str) -> str:
    """Step 1 against step T for the current cell, then the other two cells."""
    profile = profiles[cell]
    seq_len = profile.config.seq_len
    if profile.overflow_step is not None:
        return (
            f"overflow at step {profile.overflow_step}: the numbers grew past what float64 can hold"
        )

    def said(p: Any) -> str:
        if p.log10_ratio == -math.inf:
            return "underflowed to 0"
        if p.log10_ratio is not None and abs(p.log10_ratio) <= LEVEL_DECADES:
            return "about level"
        return power(p.log10_ratio)

    if profile.log10_ratio == -math.inf:
        head = f"step 1's gradient underflowed to exactly 0 ({cell}, loss at step {seq_len})"
    elif abs(profile.log10_ratio) <= LEVEL_DECADES:
        head = f"steps 1 and {seq_len} get about the same gradient ({cell})"
    else:
        head = f"step 1 gets {power(profile.log10_ratio)} of step {seq_len}'s gradient ({cell})"
    others = ", ".join(f"{c} {said(p)}" for c, p in profiles.items() if c != cell)
    return f"{head}; {others}"


def train_reading(result: Any) -> str:
    cfg = result.config
    if result.diverged_at is not None:
        return (
            f"diverged at step {result.diverged_at}: the loss or a gradient was no "
            "longer finite (inf or NaN)"
        )
    if result.cancelled:
        return f"stopped at step {result.steps_done} of {cfg.steps}"
    losses, moved = result.losses.tolist(), result.moved[-1].tolist()
    depth = cfg.net.depth
    first, last = moved[0], moved[depth - 1]
    reading = f"loss {losses[0]:.3f} -> {losses[-1]:.3f} in {result.steps_done} steps"
    if depth > 1 and first > 0 and last > 0:
        ratio = math.log10(first / last)
        if abs(ratio) <= LEVEL_DECADES:
            reading += f"; layers 1 and {depth} moved about as far"
        else:
            reading += f"; layer 1 moved {power(ratio)} as far as layer {depth}"
    if cfg.clip_norm is not None:
        reading += (
            f"; global norm before clipping up to {max(result.global_norm_before):.3g},"
            f" after {max(result.global_norm_after):.3g}"
        )
    return reading


def curve_reading(name: str, act: Any, xs: Sequence[float], df: Sequence[float]) -> str:
    reading = f"max {name}'(x) = {act.grad_max:.3g}, {_where_max(xs, df)}"
    if act.saturating:
        reading += "; it tends to 0 as |x| grows (saturation)"
    return reading


def _where_max(xs: Sequence[float], df: Sequence[float]) -> str:
    """Where on xs the derivative reaches its maximum: one point or a plateau."""
    peak = max(df)
    at = [x for x, d in zip(xs, df, strict=True) if d >= peak - 1e-9]
    if len(at) == 1:
        return f"at x = {round(at[0], 2):g}"
    if at[0] == xs[0] and at[-1] == xs[-1]:
        return "for every x"
    if at[-1] == xs[-1] and round(at[0], 1) == 0:
        return "for every x > 0"
    return f"for x from {round(at[0], 2):g} to {round(at[-1], 2):g}"
