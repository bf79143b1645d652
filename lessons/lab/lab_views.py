"""What each lab view shows, built from a LabState as plain frozen data (no drawing).

A builder reads the state and returns a model, or None while the result it needs is
missing; it never writes the state. The screen draws the model with the view's widget
and then keeps the model's axis (`LabState.keep_axis`), which is how an axis stays
fixed for a session. Values are log10 norms: None marks an overflow (inf/NaN), -inf
a norm that underflowed to exactly 0, NaN a row the series has no value for.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from lessons.lab.chart_rows import METRIC_SHORT, METRIC_TITLES, profile_norms
from lessons.lab.config import CELLS, COMPARE_AXES
from lessons.lab.lab_state import LabSettings, LabState, compare_key, profile_key, rnn_key

MIN_DECADES = 10
"""The narrowest session axis: level bars must look level, not stretched to fill the width."""
AXIS_PAD = 1
"""Decades added on each side of the opening values, so nearby settings stay on the axis."""
SETTING_WORDS = {
    "batchnorm": "BN",
    "layernorm": "LN",
    "residual": "res",
    "leaky_slope": "slope",
    "elu_alpha": "alpha",
    "clip_norm": "clip norm",
    "clip_value": "clip value",
    "dataset": "data",
    "compare_axis": "vs",
}
"""How the before/after legend names a setting whose value alone would not say which."""


FLOAT16_GUIDES = (
    ("normal", math.log10(2.0**-14)),
    ("subnormal", math.log10(2.0**-24)),
)
"""float16's smallest normal (6.1e-5, log10 -4.21) and smallest subnormal (6.0e-8, -7.22)
values: a gradient below the first loses precision, one below the second becomes 0."""


def log10(norm: float | None) -> float | None:
    """None for inf/NaN (an overflow), -inf for exactly 0 (an underflow)."""
    if norm is None or not math.isfinite(norm):
        return None
    return math.log10(norm) if norm > 0 else -math.inf


def session_axis(values: Sequence[float | None]) -> tuple[int, int]:
    """Whole decades around every finite value, padded by AXIS_PAD, at least MIN_DECADES wide
    (widened downward, where vanishing gradients go).

    Chosen once per session from the opening preset, so a bar's length means the same
    thing after the learner switches settings.
    """
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return (-MIN_DECADES, 0)
    low, high = math.floor(min(finite)) - AXIS_PAD, math.ceil(max(finite)) + AXIS_PAD
    return (min(low, high - MIN_DECADES), high)


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float | None, ...]
    """One log10 value per row of the chart."""
    ghost: bool = False
    """The previous setting's values: drawn dim (a distinct character without colour)."""


@dataclass(frozen=True)
class ProfileChart:
    """A profile on a fixed log10 axis: rows are layers (L1..out) or time steps (t1..tT)."""

    title: str
    rows: tuple[str, ...]
    series: tuple[Series, ...]
    """The current setting first; more series are other nets or the ghost."""
    axis: tuple[int, int]
    legend: str = ""
    """"now: tanh · before: sigmoid" while a ghost is shown."""
    plot: str = "auto"
    """lessons.lab.lab_state.PLOTS: bars when every row fits (auto), or always one way."""
    xlabel: str = "layer"
    guides: tuple[tuple[str, float], ...] = ()
    """(name, log10 value) of reference values drawn across the chart (FLOAT16_GUIDES)."""

    def clipped(self) -> list[tuple[str, float]]:
        """(row, value) of the current series' values beyond the axis."""
        low, high = self.axis
        now = self.series[0].values
        return [
            (row, v)
            for row, v in zip(self.rows, now, strict=True)
            if v is not None and not math.isnan(v) and math.isfinite(v) and not low <= v <= high
        ]


def profile_rows(profile: Any, metric: str) -> tuple[tuple[str, ...], tuple[float | None, ...]]:
    """Labels and log10 norms of a GradientProfile's layers for a metric (the output layer
    has a weight gradient but no backward signal)."""
    labels, norms = profile_norms(profile, metric)
    return labels, tuple(log10(n) for n in norms)


def _aligned(
    rows: Sequence[str], labels: Sequence[str], values: Sequence[float | None]
) -> tuple[float | None, ...]:
    by_label = dict(zip(labels, values, strict=True))
    return tuple(by_label.get(row, math.nan) for row in rows)


def setting_text(settings: LabSettings, name: str) -> str:
    """A setting's value as the legend shows it: "tanh", "depth 20", "BN on"."""
    if name.startswith("rnn "):
        value: Any = getattr(settings.rnn, name[4:])
        name = name[4:]
    elif name in ("metric", "compare_axis"):
        value = getattr(settings, name)
    elif hasattr(settings.net, name):
        value = getattr(settings.net, name)
    else:
        value = getattr(settings.training, name)
    if name in ("activation", "init", "cell", "optimizer"):
        return str(value)
    if isinstance(value, bool):
        value = "on" if value else "off"
    elif value is None:
        value = "off"
    return (
        f"{SETTING_WORDS.get(name, name)} {value:g}"
        if isinstance(value, float)
        else (f"{SETTING_WORDS.get(name, name)} {value}")
    )


def legend(now: LabSettings, before: LabSettings) -> str:
    """One line naming what changed: "now: tanh · before: sigmoid"."""
    names = [n for n in now.changed_from(before) if n != "metric"] or now.changed_from(before)
    if not names:
        return ""
    said = ", ".join(setting_text(now, n) for n in names)
    was = ", ".join(setting_text(before, n) for n in names)
    return f"now: {said} · before: {was}"


def bars_chart(state: LabState) -> ProfileChart | None:
    """The bars view: the current net's profile, the previous setting's as a ghost."""
    s = state.settings
    profile = state.result(profile_key(s))
    if profile is None:
        return None
    rows, values = profile_rows(profile, s.metric)
    series = [Series("now", values)]
    text = ""
    before = state.before
    old = None if before is None else state.result(profile_key(before))
    if before is not None and old is not None:
        old_rows, old_values = profile_rows(old, s.metric)
        series.append(Series("before", _aligned(rows, old_rows, old_values), ghost=True))
        text = legend(s, before)
    axis = state.axes.get("bars") or session_axis(values)
    guides = FLOAT16_GUIDES if s.float16 else ()
    return ProfileChart(
        METRIC_TITLES[s.metric], rows, tuple(series), axis, text, s.plot, guides=guides
    )


@dataclass(frozen=True)
class CompareRow:
    """One compared net: log10 norms of its first and last hidden layer and their ratio."""

    label: str
    first: float | None
    last: float | None
    ratio: float | None
    overflow_layer: int | None = None


@dataclass(frozen=True)
class CompareModel:
    caption: str
    rows: tuple[CompareRow, ...]
    current: int
    """The row of the lab's own current setting (the cursor starts there)."""
    axis: tuple[int, int]
    """One axis for every row's chart, so picking another row compares at a glance."""


def short_label(label: str) -> str:
    """Compare labels that fit the table: "batchnorm+residual" -> "BN+res", "none" -> "plain"."""
    if label == "none":
        return "plain"
    return label.replace("batchnorm", "BN").replace("residual", "res")


def _current_label(s: LabSettings) -> str:
    return str(getattr(s.net, COMPARE_AXES[s.compare_axis]))


def compare_model(state: LabState) -> CompareModel | None:
    s = state.settings
    entries = state.result(compare_key(s))
    if entries is None:
        return None
    rows: list[CompareRow] = []
    every: list[float | None] = []
    for label, profile in entries:
        _, values = profile_rows(profile, s.metric)
        every += values
        depth = profile.config.depth
        ratio = profile.weight_log10_ratio if s.metric == "weight" else profile.signal_log10_ratio
        rows.append(
            CompareRow(
                short_label(label), values[0], values[depth - 1], ratio, profile.overflow_layer
            )
        )
    labels = [label for label, _ in entries]
    current = labels.index(_current_label(s)) if _current_label(s) in labels else 0
    axis = state.axes.get("compare") or session_axis(every)
    return CompareModel(f"{METRIC_SHORT[s.metric]}, L1 vs last", tuple(rows), current, axis)


def compare_chart(state: LabState, model: CompareModel, index: int) -> ProfileChart:
    """The picked row's profile on the compare view's shared axis."""
    s = state.settings
    label, profile = state.result(compare_key(s))[index]
    rows, values = profile_rows(profile, s.metric)
    title = f"{short_label(label)}: {METRIC_SHORT[s.metric]}"
    return ProfileChart(title, rows, (Series(short_label(label), values),), model.axis)


def depth_ratios(state: LabState) -> tuple[tuple[int, float | None], ...] | None:
    """(depth, log10 first-to-last ratio) of each net when comparing by depth, else None:
    the compare view draws them as a line, straight when every layer costs the same."""
    s = state.settings
    entries = state.result(compare_key(s)) if s.compare_axis == "depths" else None
    if entries is None:
        return None
    weight = s.metric == "weight"
    return tuple(
        (p.config.depth, p.weight_log10_ratio if weight else p.signal_log10_ratio)
        for _, p in entries
    )


def rnn_chart(state: LabState) -> ProfileChart | None:
    """The rnn view: RNN, LSTM and GRU on one axis, the current cell first; the previous
    setting's current cell as a ghost."""
    s = state.settings
    profiles = state.result(rnn_key(s))
    if profiles is None:
        return None
    order = [s.rnn.cell, *(c for c in CELLS if c != s.rnn.cell)]
    rows = tuple(f"t{t}" for t in range(1, s.rnn.seq_len + 1))
    series = [Series(cell, tuple(log10(n) for n in profiles[cell].norms)) for cell in order]
    text = ""
    before = state.before
    old = None if before is None else state.result(rnn_key(before))
    if before is not None and old is not None and replace(before.rnn, cell="rnn") != rnn_key(s)[1]:
        # Aligned on the loss's step (the right edge): a point is as many steps back in time.
        old_values = tuple(log10(n) for n in old[before.rnn.cell].norms)[-len(rows) :]
        ghost = (math.nan,) * (len(rows) - len(old_values)) + old_values
        series.append(Series("before", ghost, ghost=True))
        text = legend(s, before)
    every = [v for one in series for v in one.values]
    axis = state.axes.get("rnn") or session_axis(every)
    title = f"||dL/dh_t|| per time step (Frobenius, log10), loss at t={s.rnn.seq_len}"
    plot = "line" if s.plot == "auto" else s.plot
    return ProfileChart(title, rows, tuple(series), axis, text, plot, xlabel="time step")
