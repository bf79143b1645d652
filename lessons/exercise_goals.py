"""Lab exercises: a starting configuration, settings the learner must keep, and a goal.

The goal is checked against the numbers the lab itself reports (the log10 ratios of a
gradient profile, a training run's final loss, a recurrent net's time profile), so
an exercise never does its own arithmetic on gradients. This module imports neither
numpy nor any UI library at load time: the pack checker validates exercises without
running the lab, and the app and the `vgtutor exercise` command share `check_exercise`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from lessons.lab.config import NetConfig, RNNConfig, TrainConfig, config_from_settings

Config = NetConfig | TrainConfig | RNNConfig

EXERCISE_KINDS = ("profile", "train", "rnn")
RANGE, FLAG = "range", "flag"
GOAL_METRICS: dict[str, dict[str, str]] = {
    "profile": {"weight_log10_ratio": RANGE, "signal_log10_ratio": RANGE, "overflow": FLAG},
    "train": {"final_loss": RANGE, "final_accuracy": RANGE, "diverged": FLAG},
    "rnn": {"log10_ratio": RANGE, "overflow": FLAG},
}
"""The metrics a goal may name, by exercise kind: a range (min and/or max) or a flag."""

METRIC_LABELS = {
    "weight_log10_ratio": "layer 1's weight gradient vs the last hidden layer's (log10)",
    "signal_log10_ratio": "layer 1's backward signal vs the last hidden layer's (log10)",
    "log10_ratio": "step 1's gradient vs the last step's (log10)",
    "final_loss": "final training loss",
    "final_accuracy": "final training accuracy",
}
FLAG_PHRASES = {
    "diverged": {False: "the run did not diverge", True: "the run diverged (inf or NaN)"},
    "overflow": {False: "no number overflowed", True: "numbers overflowed (inf or NaN)"},
}
"""What a flag metric's value means, for the learner."""


@dataclass(frozen=True)
class Goal:
    """One condition on one metric: `min <= value <= max`, or `value is flag`."""

    metric: str
    min: float | None = None
    max: float | None = None
    flag: bool | None = None

    def holds(self, value: float | bool | None) -> bool:
        """Whether a measured value meets the condition; an unmeasurable value never does."""
        if self.flag is not None:
            return value is self.flag
        if value is None or isinstance(value, bool):
            return False
        low = -math.inf if self.min is None else self.min
        high = math.inf if self.max is None else self.max
        return low <= value <= high

    def describe(self) -> str:
        """The condition in words, e.g. "from -1 to +1" or "the run did not diverge"."""
        if self.flag is not None:
            return FLAG_PHRASES[self.metric][self.flag]
        shown = "{:+g}" if self.metric.endswith("ratio") else "{:g}"
        if self.min is not None and self.max is not None:
            return f"from {shown.format(self.min)} to {shown.format(self.max)}"
        if self.min is not None:
            return f"at least {shown.format(self.min)}"
        return f"at most {shown.format(self.max)}"


@dataclass(frozen=True)
class Exercise:
    """A lab challenge: change `start` (not its `locked` settings) until every goal holds."""

    id: str
    title: str
    task: str
    kind: str
    """One of EXERCISE_KINDS: which lab run measures the goal."""
    start: Config
    goals: tuple[Goal, ...]
    hints: tuple[str, ...]
    """Revealed one at a time, first to last."""
    locked: tuple[str, ...] = ()
    """Setting names (as in presets) the learner may not change."""
    lesson: str | None = None
    pack_id: str = ""
    solution: Config | None = None
    """The start with the pack's [exercise.solution] applied: proof the goal can be met."""
    file: str = ""
    line: int | None = None
    """Where the exercise's table is, for `vgtutor check` to point at."""


@dataclass(frozen=True)
class ExerciseCheck:
    """The verdict on one configuration and the numbers it rests on."""

    met: bool
    measured: dict[str, Any]
    """The kind's lab numbers by name (None where not finite or not measurable)."""
    message: str
    """One line for the learner: what was measured against what goal, or what is locked."""


def settings_of(config: Config) -> dict[str, Any]:
    """A config as the flat settings mapping presets and exercises use."""
    flat = asdict(config)
    net = flat.pop("net", None)
    return {**net, **flat} if net is not None else flat


def config_with(exercise: Exercise, changes: Mapping[str, Any]) -> Config:
    """The exercise's start config with `changes` applied; ValueError names a bad setting."""
    return config_from_settings(exercise.kind, {**settings_of(exercise.start), **changes})


def locked_changes(exercise: Exercise, config: Config) -> list[str]:
    """The locked settings whose value in `config` differs from the start."""
    start, now = settings_of(exercise.start), settings_of(config)
    return [name for name in exercise.locked if start.get(name) != now.get(name)]


def check_exercise(exercise: Exercise, config: Config, result: Any = None) -> ExerciseCheck:
    """Say whether the exercise's goals all hold for `config`, running the lab if needed.

    `result` is the lab's own result for `config` when the caller already has it (a
    GradientProfile, TrainResult or TimeProfile, as the lab screen does), so the lab
    does not run twice. A config that changes a locked setting is refused without
    running anything. TypeError or ValueError: a config of another kind, or a result
    for another config (a caller's mistake).
    """
    expected = type(exercise.start)
    if not isinstance(config, expected):
        raise TypeError(f"a {exercise.kind} exercise needs a {expected.__name__}")
    changed = locked_changes(exercise, config)
    if changed:
        start, now = settings_of(exercise.start), settings_of(config)
        shown = ", ".join(f"{name} (keep {start[name]!r}, not {now[name]!r})" for name in changed)
        return ExerciseCheck(False, {}, f"not allowed: this exercise locks {shown}")
    measured = measure(config, result)
    failing = [goal for goal in exercise.goals if not goal.holds(measured[goal.metric])]
    shown_goals = failing or list(exercise.goals)
    said = "; ".join(_goal_line(goal, measured[goal.metric]) for goal in shown_goals)
    return ExerciseCheck(not failing, measured, f"{'not met' if failing else 'met'}: {said}")


@dataclass(frozen=True)
class Finding:
    """One thing `vgtutor check` says about an exercise's solvability."""

    severity: str
    """"error" (the exercise cannot be used as written) or "warning"."""
    field: str
    message: str


def prove(exercise: Exercise) -> list[Finding]:
    """Run the exercise's start and solution: the start must miss the goal, the solution
    meet it without changing a locked setting. No findings means proven solvable."""
    name = f"exercise[{exercise.id}]"
    findings = []
    at_start = check_exercise(exercise, exercise.start)
    if at_start.met:
        findings.append(
            Finding(
                "error",
                f"{name}.start",
                f"already meets the goal, nothing to do: {at_start.message}",
            )
        )
    if exercise.solution is None:
        findings.append(
            Finding(
                "warning",
                f"{name}.solution",
                "missing: the goal is unproven; add [exercise.solution] with settings that meet it",
            )
        )
        return findings
    changed = locked_changes(exercise, exercise.solution)
    if changed:
        findings.append(
            Finding(
                "error",
                f"{name}.solution",
                f"changes locked setting(s) {', '.join(changed)}: a learner could not do that",
            )
        )
        return findings
    solved = check_exercise(exercise, exercise.solution)
    if not solved.met:
        findings.append(
            Finding("error", f"{name}.solution", f"does not meet the goal: {solved.message}")
        )
    return findings


def measure(config: Config, result: Any = None) -> dict[str, Any]:
    """Every goal metric of the config's kind, read from the lab's result for `config`
    (`result` if given, else a fresh run)."""
    if result is None:
        result = run_lab(config)
    elif result.config != config:
        raise ValueError("the lab result given is for another configuration")
    if isinstance(config, RNNConfig):
        return {
            "log10_ratio": _finite(result.log10_ratio),
            "overflow": result.overflow_step is not None,
            "overflow_step": result.overflow_step,
        }
    if isinstance(config, TrainConfig):
        complete = result.diverged_at is None and result.steps_done == config.steps
        return {
            "final_loss": _finite(result.losses[-1]) if complete else None,
            "final_accuracy": _finite(result.accuracies[-1]) if complete else None,
            "diverged": result.diverged_at is not None,
            "diverged_at": result.diverged_at,
            "steps_done": result.steps_done,
        }
    return {
        "weight_log10_ratio": _finite(result.weight_log10_ratio),
        "signal_log10_ratio": _finite(result.signal_log10_ratio),
        "overflow": result.overflow_layer is not None,
        "overflow_layer": result.overflow_layer,
    }


def run_lab(config: Config) -> Any:
    """The lab's result for `config`; numpy is imported here, on first use."""
    if isinstance(config, RNNConfig):
        from lessons.lab.rnn import time_profile

        return time_profile(config)
    if isinstance(config, TrainConfig):
        from lessons.lab.train import train

        return train(config)
    from lessons.lab.profile import run_profile

    return run_profile(config)


def _finite(value: Any) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def _goal_line(goal: Goal, value: Any) -> str:
    if goal.flag is not None:
        said = FLAG_PHRASES[goal.metric][bool(value)]
        return said if goal.holds(value) else f"{said}, goal: {goal.describe()}"
    label = METRIC_LABELS[goal.metric]
    if value is None:
        shown = "not measurable (the run overflowed or diverged)"
    else:
        shown = f"{value:+.2f}" if goal.metric.endswith("ratio") else f"{value:.3g}"
    return f"{label} is {shown}, goal {goal.describe()}"
