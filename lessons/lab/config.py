"""Validated lab settings, shared by the lab, lesson presets and the command line.

This module does not import numpy: the pack checker and `vgtutor --help` validate
settings without paying numpy's import time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "silu", "linear")
INITS = ("small", "standard", "xavier", "he", "orthogonal")
FIXES = ("none", "batchnorm", "residual", "batchnorm+residual")
METRICS = ("weight", "signal")
COMPARE_AXES = {"activations": "activation", "inits": "init", "fixes": "fix", "depths": "depth"}
"""The ways the lab compares nets (the app's `g`, `--compare`, a preset's `compare`),
each with the NetConfig field the compared nets differ in."""
OPTIMIZERS = ("sgd", "adam")
DATASETS = ("spirals", "circles", "xor")
RANDOM_BATCH = "random"
"""The profiles' batch: Gaussian inputs of in_dim features, labels y = 1[x0 + x1 > 0]."""
DATA_SOURCES = (RANDOM_BATCH, *DATASETS)
"""What a lab measures on: the random batch or one of the 2-D data sets."""
CELLS = ("rnn", "lstm", "gru")
RECURRENT_INITS = ("pytorch", "orthogonal")

MAX_DEPTH = 200
MAX_WIDTH = 1024

MAX_RUN_WORK = 4 * 10**9
"""Multiply-adds one gradient profile or recurrent run may cost (the lab's deepest,
widest net at batch 256 costs 3.4e9; a few seconds of numpy in a worker)."""
MAX_TRAIN_WORK = 5 * 10**10
"""Multiply-adds a whole training run may cost: steps x one step (the built-in
presets cost 2e9)."""
MAX_RUN_BYTES = 2**31
"""Memory one run may hold at its peak (float64 arrays), measured with tracemalloc."""
_FLOAT = 8
_NET_ARRAYS = 11
"""float64 arrays of batch x width held per layer at a profile's peak: measured up to
10 with batch norm and skips, since the profile keeps every backward stage's tensors."""
_CELL_GATES = {"rnn": 1, "lstm": 4, "gru": 3}
_CELL_ARRAYS = {"rnn": 8, "lstm": 22, "gru": 20}
"""float64 arrays of steps x batch x hidden held at a recurrent run's peak (measured)."""


def _choice(field: str, value: Any, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{field}: must be one of {', '.join(allowed)}; got {value!r}")
    return value


def _int(field: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{field}: must be a whole number from {low} to {high}; got {value!r}")
    return value


def _float(field: str, value: Any, low: float, high: float, *, open_low: bool = False) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = number = float(value)
        if (number > low if open_low else number >= low) and number <= high:
            return number
    bound = "above" if open_low else "from"
    raise ValueError(f"{field}: must be a number {bound} {low:g} up to {high:g}; got {value!r}")


def _bool(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{field}: must be true or false; got {value!r}")
    return value


@dataclass(frozen=True)
class NetConfig:
    """A feed-forward net at initialization: what one gradient profile measures."""

    activation: str = "sigmoid"
    init: str = "xavier"
    depth: int = 10
    width: int = 64
    batchnorm: bool = False
    residual: bool = False
    seed: int = 0
    batch: int = 256
    in_dim: int = 16
    leaky_slope: float = 0.01
    elu_alpha: float = 1.0
    layernorm: bool = False

    def __post_init__(self) -> None:
        _choice("activation", self.activation, ACTIVATIONS)
        _choice("init", self.init, INITS)
        _int("depth", self.depth, 1, MAX_DEPTH)
        _int("width", self.width, 1, MAX_WIDTH)
        _bool("batchnorm", self.batchnorm)
        _bool("residual", self.residual)
        _bool("layernorm", self.layernorm)
        if self.layernorm and self.batchnorm:
            raise ValueError(
                "layernorm: cannot be combined with batchnorm; choose one normalization"
            )
        _int("seed", self.seed, 0, 2**32 - 1)
        _int("batch", self.batch, 2, 4096)
        _int("in_dim", self.in_dim, 1, MAX_WIDTH)
        _float("leaky_slope", self.leaky_slope, 0.0, 1.0)
        _float("elu_alpha", self.elu_alpha, 0.0, 10.0)

    @property
    def fix(self) -> str:
        """The fix setting as one of FIXES."""
        if self.batchnorm and self.residual:
            return "batchnorm+residual"
        return "batchnorm" if self.batchnorm else "residual" if self.residual else "none"

    def with_fix(self, fix: str) -> NetConfig:
        _choice("fix", fix, FIXES)
        batchnorm = "batchnorm" in fix
        return replace(
            self,
            batchnorm=batchnorm,
            residual="residual" in fix,
            layernorm=self.layernorm and not batchnorm,
        )


@dataclass(frozen=True)
class TrainConfig:
    """A short training run of a feed-forward net on a built-in synthetic data set."""

    net: NetConfig = NetConfig()
    steps: int = 300
    optimizer: str = "sgd"
    lr: float = 0.1
    clip_norm: float | None = None
    clip_value: float | None = None
    dataset: str = "spirals"

    def __post_init__(self) -> None:
        _int("steps", self.steps, 1, 100_000)
        _choice("optimizer", self.optimizer, OPTIMIZERS)
        _float("lr", self.lr, 0.0, 100.0, open_low=True)
        if self.clip_norm is not None:
            _float("clip_norm", self.clip_norm, 0.0, 1e6, open_low=True)
        if self.clip_value is not None:
            _float("clip_value", self.clip_value, 0.0, 1e6, open_low=True)
        _choice("dataset", self.dataset, DATA_SOURCES)


@dataclass(frozen=True)
class RNNConfig:
    """A recurrent net unrolled over `seq_len` steps with the loss on the last step only."""

    cell: str = "rnn"
    seq_len: int = 50
    hidden: int = 32
    in_dim: int = 8
    batch: int = 16
    forget_bias: float = 0.0
    recurrent_init: str = "pytorch"
    seed: int = 0

    def __post_init__(self) -> None:
        _choice("cell", self.cell, CELLS)
        _int("seq_len", self.seq_len, 1, 1000)
        _int("hidden", self.hidden, 1, MAX_WIDTH)
        _int("in_dim", self.in_dim, 1, MAX_WIDTH)
        _int("batch", self.batch, 1, 4096)
        _float("forget_bias", self.forget_bias, -10.0, 10.0)
        _choice("recurrent_init", self.recurrent_init, RECURRENT_INITS)
        _int("seed", self.seed, 0, 2**32 - 1)


@dataclass(frozen=True)
class Cost:
    """What a run needs: multiply-adds of its forward passes and bytes at its peak."""

    work: int
    bytes: int


def _net_cost(net: NetConfig, in_dim: int, passes: int) -> Cost:
    weights = in_dim * net.width + (net.depth - 1) * net.width**2 + net.width
    per_pass = net.batch * weights
    held = (weights * 3 + _NET_ARRAYS * net.depth * net.batch * net.width) * _FLOAT
    return Cost(per_pass * passes, held)


def run_cost(cfg: NetConfig | TrainConfig | RNNConfig) -> Cost:
    """The cost of the run `cfg` describes (a profile, a whole training run, a recurrent run)."""
    if isinstance(cfg, RNNConfig):
        gates, arrays = _CELL_GATES[cfg.cell], _CELL_ARRAYS[cfg.cell]
        weights = gates * cfg.hidden * (cfg.hidden + cfg.in_dim)
        steps = cfg.seq_len * cfg.batch
        return Cost(steps * weights, (weights * 3 + arrays * steps * cfg.hidden) * _FLOAT)
    if isinstance(cfg, TrainConfig):
        net = _net_cost(cfg.net, 2, cfg.steps)  # training data is 2-D
        return Cost(net.work, net.bytes + 3 * cfg.steps * (cfg.net.depth + 1) * _FLOAT)
    return _net_cost(cfg, cfg.in_dim, 1)


_SIZE_SETTINGS = {
    "rnn": ("seq_len", "hidden", "batch", "in_dim"),
    "train": ("steps", "depth", "width", "batch"),
    "profile": ("depth", "width", "batch", "in_dim"),
}


def budget_problem(cfg: NetConfig | TrainConfig | RNNConfig) -> str | None:
    """Why the run `cfg` describes is over its budget ("setting: message"), or None.

    The setting named is the size setting furthest above its default, the one most
    worth lowering; the message gives the cost and the limit.
    """
    cost = run_cost(cfg)
    limit_work = MAX_TRAIN_WORK if isinstance(cfg, TrainConfig) else MAX_RUN_WORK
    if cost.bytes > MAX_RUN_BYTES:
        said = f"needs about {_gib(cost.bytes)} of memory; the limit is {_gib(MAX_RUN_BYTES)}"
    elif cost.work > limit_work:
        said = f"costs {cost.work:.2g} multiply-adds; the limit is {limit_work:.2g} per run"
    else:
        return None
    kind = (
        "rnn"
        if isinstance(cfg, RNNConfig)
        else "train"
        if isinstance(cfg, TrainConfig)
        else "profile"
    )
    values = _size_values(cfg)
    defaults = _size_values(type(cfg)())
    names = _SIZE_SETTINGS[kind]
    worst = max(names, key=lambda name: values[name] / defaults[name])
    shown = ", ".join(f"{name} {values[name]}" for name in names)
    return f"{worst}: too big a run ({shown}) {said}"


def _size_values(cfg: NetConfig | TrainConfig | RNNConfig) -> dict[str, int]:
    if isinstance(cfg, TrainConfig):
        return {"steps": cfg.steps, **_size_values(cfg.net)}
    return {
        f.name: getattr(cfg, f.name) for f in fields(cfg) if isinstance(getattr(cfg, f.name), int)
    }


def _gib(size: int) -> str:
    return f"{size / 2**30:.1f} GiB" if size >= 2**30 else f"{size / 2**20:.0f} MiB"


def check_budget(cfg: NetConfig | TrainConfig | RNNConfig) -> None:
    """ValueError("setting: ...") when the run `cfg` describes is over its budget."""
    problem = budget_problem(cfg)
    if problem is not None:
        raise ValueError(problem)


PRESET_KINDS = ("profile", "train", "rnn", "activations")
_TRAIN_KEYS = tuple(f.name for f in fields(TrainConfig) if f.name != "net")
_NET_KEYS = tuple(f.name for f in fields(NetConfig))
_RNN_KEYS = tuple(f.name for f in fields(RNNConfig))


def allowed_settings(kind: str) -> tuple[str, ...]:
    """The setting names a preset of this kind may use (besides id, title, look_for...)."""
    _choice("kind", kind, PRESET_KINDS)
    if kind == "rnn":
        return _RNN_KEYS
    if kind == "train":
        return _NET_KEYS + _TRAIN_KEYS
    return _NET_KEYS


def config_from_settings(
    kind: str, settings: Mapping[str, Any]
) -> NetConfig | TrainConfig | RNNConfig:
    """Build the config for a preset kind from a flat mapping; ValueError names the bad key.

    The run it describes must also fit its budget (check_budget).
    """
    allowed = allowed_settings(kind)
    unknown = sorted(set(settings) - set(allowed))
    if unknown:
        raise ValueError(
            f"{unknown[0]}: unknown setting for a {kind} preset; allowed: {', '.join(allowed)}"
        )
    cfg: NetConfig | TrainConfig | RNNConfig
    if kind == "rnn":
        cfg = RNNConfig(**settings)
    else:
        cfg = NetConfig(**{k: v for k, v in settings.items() if k in _NET_KEYS})
        if kind == "train":
            cfg = TrainConfig(net=cfg, **{k: v for k, v in settings.items() if k in _TRAIN_KEYS})
    check_budget(cfg)
    return cfg
