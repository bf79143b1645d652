"""The lab's state, apart from any drawing: settings, what a key does to them, and results.

The lab screen (tui/screens/lab.py) owns one `LabState`, turns key presses into the
pure functions in KEY_ACTIONS, asks the state which result it lacks (`missing`), runs
that (at once or in a worker), and hands the result back (`store`). Each view widget
draws what lessons/lab/lab_views.py builds from the state; nothing here knows Textual,
and no drawing code writes state.

Adding a view (say "why"):
1. add its name to VIEWS (its number key follows the order) and, when a preset kind
   opens on it, to PRESET_VIEWS;
2. name the result it needs in `LabState.missing` (a key from `profile_key` and its
   friends, or a new `*_key`), and how to compute a key in `compute` below;
3. write a pure model builder in lab_views.py (`why_model(state)` returns a frozen
   dataclass; None while its result is missing) and a widget with `show(model)` under
   tui/widgets/; in tui/screens/lab.py yield the widget with id "view-why" in
   `compose`, and in tui/screens/lab_drawing.py add a `_draw_why` method: build the
   model, `show` it, then `state.keep_axis("why", model.axis)` if it has a session axis;
4. list in VIEWS_OF_ACTION the views where existing keys mean something to it, and
   add its key hints in tui/widgets/lab_controls.py `setting_hints`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from lessons.lab.config import (
    ACTIVATIONS,
    CELLS,
    COMPARE_AXES,
    INITS,
    METRICS,
    OPTIMIZERS,
    RANDOM_BATCH,
    RECURRENT_INITS,
    NetConfig,
    RNNConfig,
    TrainConfig,
)

VIEWS = ("bars", "compare", "train", "rnn", "curves", "why")
PRESET_VIEWS = {"profile": "bars", "train": "train", "rnn": "rnn", "activations": "curves"}
DEPTHS = (1, 2, 3, 5, 10, 20, 30, 50, 100, 200)
WIDTHS = (8, 16, 32, 64, 128, 256)
RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
CLIPS = ((None, None), (1.0, None), (5.0, None))
"""(clip_norm, clip_value) pairs the c key steps through: off, global norm 1, global norm 5."""
SEQ_LENS = (10, 25, 50, 100)
FORGET_BIASES = (0.0, 1.0, 2.0)
PLOTS = ("auto", "bars", "line")
"""How a profile is drawn: bars when every layer fits a row (auto), or always one way."""
NET_VIEWS = frozenset({"bars", "compare", "train", "why"})
PLOT_VIEWS = frozenset({"bars", "compare", "rnn", "train", "why"})
"""Views drawn on a fixed log10 axis that the re-fit key chooses again."""
CACHE_SIZE = 64
"""Results kept per lab session; a setting revisited within that many is not recomputed."""


@dataclass(frozen=True)
class LabSettings:
    """Everything a learner can change in the lab. `train` and `data` are derived, so the
    training run always uses the net and the data the bars view shows."""

    net: NetConfig = NetConfig()
    training: TrainConfig = TrainConfig(dataset=RANDOM_BATCH)
    """Optimizer, rate, clipping, steps and data set; its own `net` is not used."""
    rnn: RNNConfig = RNNConfig()
    view: str = "bars"
    metric: str = "weight"
    compare_axis: str = "activations"
    plot: str = "auto"
    float16: bool = False
    """The bars view draws float16's smallest normal and subnormal values as guides."""

    @property
    def train(self) -> TrainConfig:
        """The run the train view starts: the lab's net on the lab's data."""
        return replace(self.training, net=self.net)

    @property
    def data(self) -> str:
        """What every net view measures on: "random" (the profile batch) or a 2-D data set."""
        return self.training.dataset

    def changed_from(self, other: LabSettings) -> list[str]:
        """Names of the settings (not view, plot) that differ, in a fixed order."""
        names = [f.name for f in fields(NetConfig) if _get(self.net, f) != _get(other.net, f)]
        for f in fields(TrainConfig):
            if f.name != "net" and _get(self.training, f) != _get(other.training, f):
                names.append(f.name)
        names += [
            f"rnn {f.name}" for f in fields(RNNConfig) if _get(self.rnn, f) != _get(other.rnn, f)
        ]
        names += [
            name
            for name in ("metric", "compare_axis")
            if getattr(self, name) != getattr(other, name)
        ]
        return names


def _get(obj: Any, f: Any) -> Any:
    return getattr(obj, f.name)


def opening_settings(
    kind: str | None,
    config: NetConfig | TrainConfig | RNNConfig | None,
    metric: str = "weight",
    compare: str | None = None,
) -> LabSettings:
    """The settings a preset or an exercise opens the lab on (None: the defaults)."""
    settings = LabSettings(metric=metric, view=PRESET_VIEWS.get(kind or "profile", "bars"))
    if isinstance(config, TrainConfig):
        settings = replace(settings, net=config.net, training=config)
    elif isinstance(config, RNNConfig):
        settings = replace(settings, rnn=config)
    elif isinstance(config, NetConfig):
        settings = replace(settings, net=config)
    if compare is not None:
        settings = replace(settings, view="compare", compare_axis=compare)
    return settings


# -- what the keys do (pure: settings in, settings out) ---------------------------------


def cycle(options: Collection[Any], current: Any, delta: int = 1) -> Any:
    """The option `delta` places after `current`, wrapping; the first one if current is unknown."""
    listed = list(options)
    if current not in listed:
        return listed[0]
    return listed[(listed.index(current) + delta) % len(listed)]


def step(options: Sequence[float], current: float, delta: int) -> Any:
    """The next larger (delta > 0) or smaller option, staying put at either end."""
    if delta > 0:
        return min((o for o in options if o > current), default=current)
    return max((o for o in options if o < current), default=current)


def _net(s: LabSettings, **changes: Any) -> LabSettings:
    return replace(s, net=replace(s.net, **changes))


def _training(s: LabSettings, **changes: Any) -> LabSettings:
    return replace(s, training=replace(s.training, **changes))


def _rnn(s: LabSettings, **changes: Any) -> LabSettings:
    return replace(s, rnn=replace(s.rnn, **changes))


def _init(s: LabSettings, d: int) -> LabSettings:
    if s.view == "rnn":
        return _rnn(s, recurrent_init=cycle(RECURRENT_INITS, s.rnn.recurrent_init, d))
    return _net(s, init=cycle(INITS, s.net.init, d))


def _seed(s: LabSettings, d: int) -> LabSettings:
    if s.view == "rnn":
        return _rnn(s, seed=max(0, s.rnn.seed + d))
    return _net(s, seed=max(0, s.net.seed + d))


def _clip(s: LabSettings, d: int) -> LabSettings:
    clip_norm, clip_value = cycle(CLIPS, (s.training.clip_norm, s.training.clip_value), d)
    return _training(s, clip_norm=clip_norm, clip_value=clip_value)


KEY_ACTIONS: dict[str, Callable[[LabSettings, int], LabSettings]] = {
    "view": lambda s, d: replace(s, view=VIEWS[d]),
    "cycle_view": lambda s, d: replace(s, view=cycle(VIEWS, s.view, d)),
    "next_activation": lambda s, d: _net(s, activation=cycle(ACTIVATIONS, s.net.activation, d)),
    "next_init": _init,
    "depth": lambda s, d: _net(s, depth=step(DEPTHS, s.net.depth, d)),
    "width": lambda s, d: _net(s, width=step(WIDTHS, s.net.width, d)),
    "toggle_batchnorm": lambda s, d: _net(s, batchnorm=not s.net.batchnorm, layernorm=False),
    "toggle_layernorm": lambda s, d: _net(s, layernorm=not s.net.layernorm, batchnorm=False),
    "toggle_residual": lambda s, d: _net(s, residual=not s.net.residual),
    "seed": _seed,
    "next_metric": lambda s, d: replace(s, metric=cycle(METRICS, s.metric, d)),
    "next_axis": lambda s, d: replace(s, compare_axis=cycle(COMPARE_AXES, s.compare_axis, d)),
    "next_plot": lambda s, d: replace(s, plot=cycle(PLOTS, s.plot, d)),
    "toggle_float16": lambda s, d: replace(s, float16=not s.float16),
    "next_clip": _clip,
    "next_optimizer": lambda s, d: _training(
        s, optimizer=cycle(OPTIMIZERS, s.training.optimizer, d)
    ),
    "rate": lambda s, d: _training(s, lr=step(RATES, s.training.lr, d)),
    "next_cell": lambda s, d: _rnn(s, cell=cycle(CELLS, s.rnn.cell, d)),
    "seq_len": lambda s, d: _rnn(s, seq_len=step(SEQ_LENS, s.rnn.seq_len, d)),
    "toggle_forget_bias": lambda s, d: _rnn(s, forget_bias=cycle(FORGET_BIASES, s.rnn.forget_bias)),
}
"""Action name (as the screen's bindings spell it) -> new settings, given a direction."""

VIEWS_OF_ACTION: dict[str, frozenset[str]] = {
    "next_activation": NET_VIEWS | {"curves"},
    "next_init": NET_VIEWS | {"rnn"},
    "depth": NET_VIEWS,
    "width": NET_VIEWS,
    "toggle_batchnorm": NET_VIEWS,
    "toggle_layernorm": NET_VIEWS,
    "toggle_residual": NET_VIEWS,
    "seed": NET_VIEWS | {"rnn"},
    "next_metric": frozenset({"bars", "compare"}),
    "next_axis": frozenset({"compare"}),
    "next_plot": frozenset({"bars", "rnn"}),
    "toggle_float16": frozenset({"bars"}),
    "refit": PLOT_VIEWS,
    "next_clip": frozenset({"train"}),
    "next_optimizer": frozenset({"train"}),
    "rate": frozenset({"train"}),
    "run": frozenset({"train"}),
    "cancel": frozenset({"train"}),
    "next_cell": frozenset({"rnn"}),
    "seq_len": frozenset({"rnn"}),
    "toggle_forget_bias": frozenset({"rnn"}),
}
"""The views in which each key means something (the others ignore it)."""


# -- results -------------------------------------------------------------------------------


def profile_key(s: LabSettings) -> tuple[Hashable, ...]:
    return ("profile", s.net, s.data)


def compare_key(s: LabSettings) -> tuple[Hashable, ...]:
    return ("compare", s.net, s.compare_axis, s.data)


def rnn_key(s: LabSettings) -> tuple[Hashable, ...]:
    """All three cells at once: the rnn view draws them on one axis."""
    return ("rnn", replace(s.rnn, cell="rnn"))


def train_key(s: LabSettings) -> tuple[Hashable, ...]:
    return ("train", s.train)


def compute(key: tuple[Any, ...]) -> Any:
    """The result a key names (may take a while: call it off the UI thread when large)."""
    kind = key[0]
    if kind == "profile":
        from lessons.lab.profile import run_profile

        return run_profile(key[1], key[2])
    if kind == "compare":
        from lessons.lab.profile import compare_profiles

        return compare_profiles(key[1], key[2], key[3])
    if kind == "rnn":
        from lessons.lab.rnn import time_profile

        return {cell: time_profile(replace(key[1], cell=cell)) for cell in CELLS}
    raise ValueError(f"key: no computation for {kind!r} (training runs in a worker of its own)")


def cost(key: tuple[Any, ...]) -> int:
    """Multiply-adds a key's computation takes, roughly (compare: all its variants)."""
    if key[0] in ("profile", "compare"):
        net: NetConfig = key[1]
        work = net.batch * net.width * net.width * net.depth
        return work * (8 if key[0] == "compare" else 1)
    if key[0] == "rnn":
        rc: RNNConfig = key[1]
        return 3 * 4 * rc.batch * rc.hidden * rc.hidden * rc.seq_len
    return 0


class ResultCache:
    """Results by key (the most recent CACHE_SIZE), and the keys being computed."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._results: OrderedDict[Hashable, Any] = OrderedDict()
        self._pending: set[Hashable] = set()
        self._size = size

    def get(self, key: Hashable) -> Any:
        if key in self._results:
            self._results.move_to_end(key)
        return self._results.get(key)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._results

    def pending(self, key: Hashable) -> bool:
        return key in self._pending

    def claim(self, key: Hashable) -> bool:
        """True when the caller should compute `key` (neither known nor under way); then
        it is marked pending until `put` or `release`."""
        if key in self._results or key in self._pending:
            return False
        self._pending.add(key)
        return True

    def put(self, key: Hashable, result: Any) -> None:
        self._pending.discard(key)
        self._results[key] = result
        self._results.move_to_end(key)
        while len(self._results) > self._size:
            self._results.popitem(last=False)

    def release(self, key: Hashable) -> None:
        """Forget that `key` is under way (its worker was cancelled)."""
        self._pending.discard(key)


@dataclass(frozen=True)
class Opening:
    """One of the lesson's presets as the lab can restore it."""

    id: str
    title: str
    look_for: str
    settings: LabSettings


@dataclass
class LabState:
    """One lab session: current and previous settings, fixed axes, presets and results."""

    settings: LabSettings
    openings: tuple[Opening, ...] = ()
    opening: int | None = None
    """Index into `openings` of the preset last opened or restored."""
    before: LabSettings | None = None
    """The settings before the last change: the ghost marks show their results."""
    axes: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per view, the log10 axis chosen for this session (kept while settings change)."""
    cache: ResultCache = field(default_factory=ResultCache)

    @classmethod
    def from_openings(cls, openings: Sequence[Opening], first: int = 0) -> LabState:
        return cls(openings[first].settings, tuple(openings), first)

    @property
    def preset(self) -> Opening | None:
        return None if self.opening is None else self.openings[self.opening]

    def changed(self) -> list[str]:
        """The settings that differ from the preset's (empty without a preset)."""
        preset = self.preset
        return [] if preset is None else self.settings.changed_from(preset.settings)

    def apply(self, new: LabSettings) -> bool:
        """Move to `new` settings; the old ones become the ghost when a measured setting
        changed (not on a change of view or plot). False when nothing changed."""
        old = self.settings
        if new == old:
            return False
        if new.changed_from(old):
            self.before = old
        self.settings = new
        return True

    def restore(self, index: int) -> None:
        """Open preset `index`: its settings and a fresh axis fitted to it; no ghost."""
        self.opening = index % len(self.openings)
        self.settings = self.openings[self.opening].settings
        self.before = None
        self.axes.clear()

    def refit(self, view: str) -> None:
        """Let the next result drawn in `view` choose its axes again ("train", "train-moved")."""
        for name in [a for a in self.axes if a == view or a.startswith(f"{view}-")]:
            del self.axes[name]

    def keep_axis(self, view: str, axis: tuple[int, int]) -> None:
        """Keep the axis a view was first drawn on for the rest of the session (or the
        preset, or until `refit`). The screen calls it after drawing: models never write."""
        self.axes.setdefault(view, axis)

    def missing(self) -> tuple[Any, ...] | None:
        """The key of the result the current view needs and does not have (None if none)."""
        s = self.settings
        key = {"bars": profile_key, "why": profile_key, "compare": compare_key, "rnn": rnn_key}.get(
            s.view
        )
        if key is None or key(s) in self.cache:
            return None
        return key(s)

    def store(self, key: Hashable, result: Any) -> None:
        self.cache.put(key, result)

    def result(self, key: Hashable) -> Any:
        return self.cache.get(key)
