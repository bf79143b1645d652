"""The typed, validated form of a lesson pack: what the loader produces and the app reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lessons.lab.config import NetConfig, RNNConfig, TrainConfig

if TYPE_CHECKING:  # the loader imports it; readers of a Pack need not
    from lessons.exercise_goals import Exercise

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    choices: tuple[Choice, ...]
    preset: str | None = None
    """A preset the learner can run to confirm the answer ("predict, then run")."""

    @property
    def correct_indices(self) -> frozenset[int]:
        return frozenset(i for i, c in enumerate(self.choices) if c.correct)


@dataclass(frozen=True)
class Preset:
    id: str
    title: str
    kind: str
    """One of lessons.lab.config.PRESET_KINDS: profile, train, rnn, activations."""
    look_for: str
    config: NetConfig | TrainConfig | RNNConfig
    metric: str = "weight"
    compare: str | None = None
    """For profile presets: None, "activations", "inits", "fixes" or "depths"."""


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    pages: tuple[str, ...]
    """Markdown, one string per screen-sized page."""
    questions: tuple[Question, ...]
    presets: tuple[str, ...]
    """Preset ids, the first one is the lesson's main demonstration."""
    pack_id: str = ""


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    root: Path
    lessons: tuple[Lesson, ...]
    presets: dict[str, Preset] = field(default_factory=dict)
    exercises: dict[str, Exercise] = field(default_factory=dict)
    """Lab exercises by id, in file order (empty when the pack defines none)."""

    def lesson(self, lesson_id: str) -> Lesson:
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise KeyError(lesson_id)


@dataclass(frozen=True)
class PackError:
    """One problem found while loading a pack, printed as `file:line: field: message`."""

    file: str
    line: int | None
    field: str
    message: str
    severity: str = "error"
    """"error" (`vgtutor check` exits 1) or "warning" (said, but the pack is usable)."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        warning = "warning: " if self.severity == "warning" else ""
        return f"{where}: {self.field}: {warning}{self.message}"
