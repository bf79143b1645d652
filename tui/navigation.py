"""One way to go anywhere in the course and back: a lesson page, a quiz, a lab, an exercise.

Screens never import screens: they ask the app's `Navigator` for a destination.

- `visit(place)` is a round trip: the place opens on top of the current screen, and
  `esc` there comes back to exactly what was left (the same quiz question with the
  same ticks and shuffle, the same feedback, the same lesson page). If the place is
  already open further down (the quiz under the lab it opened), the screens above it
  close and it shows again as it was.
- `jump(place)` starts afresh from the course map (the next lesson, `c`, the palette):
  everything above the map closes, then the place opens.

Every screen the navigator opens is kept (installed in the app) while it is among the
last `KEPT` places, so closing a quiz or a lab and opening it again finds it as it was.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lessons.pack import Lesson, Pack
from lessons.progress import lesson_key

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

KEPT = 12
"""How many places keep their screen (and so their state) once closed."""


@dataclass(frozen=True, eq=False)
class LessonPage:
    pack: Pack
    lesson: Lesson
    page: int | None = None
    """None keeps the page a kept reader is on (page 0 for a new one)."""

    @property
    def key(self) -> str:
        return f"lesson:{lesson_key(self.pack.id, self.lesson.id)}"


@dataclass(frozen=True, eq=False)
class QuizPage:
    pack: Pack
    lesson: Lesson

    @property
    def key(self) -> str:
        return f"quiz:{lesson_key(self.pack.id, self.lesson.id)}"


@dataclass(frozen=True, eq=False)
class LabPage:
    pack: Pack
    lesson: Lesson
    preset_id: str | None = None
    """None opens the lesson's main preset."""

    @property
    def key(self) -> str:
        preset = self.preset_id or self.lesson.presets[0]
        return f"lab:{lesson_key(self.pack.id, self.lesson.id)}:{preset}"


@dataclass(frozen=True, eq=False)
class ExercisePage:
    pack: Pack
    exercise_id: str

    @property
    def key(self) -> str:
        return f"exercise:{lesson_key(self.pack.id, self.exercise_id)}"


@dataclass(frozen=True, eq=False)
class ExerciseList:
    packs: Sequence[Pack]
    lesson: Lesson | None = None
    """None lists every exercise of `packs`; a lesson lists its own (one pack)."""

    @property
    def key(self) -> str:
        if self.lesson is None:
            return "exercises:all"
        return f"exercises:{lesson_key(self.packs[0].id, self.lesson.id)}"


Place = LessonPage | QuizPage | LabPage | ExercisePage | ExerciseList


def build(place: Place) -> Screen[None]:
    """A new screen for `place` (the only code that constructs course screens)."""
    from tui.screens.exercise_list import ExercisesScreen
    from tui.screens.lab import LabScreen
    from tui.screens.lesson import LessonScreen
    from tui.screens.quiz import QuizScreen

    if isinstance(place, LessonPage):
        return LessonScreen(place.pack, place.lesson, page=place.page or 0)
    if isinstance(place, QuizPage):
        return QuizScreen(place.pack, place.lesson)
    if isinstance(place, LabPage):
        return LabScreen(place.pack, place.lesson, place.preset_id)
    if isinstance(place, ExercisePage):
        exercise = place.pack.exercises[place.exercise_id]
        lesson = place.pack.lesson(exercise.lesson) if exercise.lesson is not None else None
        return LabScreen(place.pack, lesson, exercise_id=exercise.id)
    return ExercisesScreen(place.packs, place.lesson)


class Navigator:
    """The app's one route between screens; see the module docstring."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._kept: OrderedDict[str, Screen[None]] = OrderedDict()

    def visit(self, place: Place) -> Screen[None]:
        """Open `place` on top of the current screen (or go back down to it); return it."""
        screen = self._kept.get(place.key)
        stack = self.app.screen_stack
        if screen is not None and screen in stack:
            while self.app.screen is not screen:
                self.app.pop_screen()
        else:
            if screen is None:
                screen = build(place)
                self.app.install_screen(screen, place.key)
            self.app.push_screen(screen)
        self._kept[place.key] = screen
        self._kept.move_to_end(place.key)
        if isinstance(place, LessonPage) and place.page is not None:
            screen.page = min(max(place.page, 0), len(place.lesson.pages) - 1)  # type: ignore[attr-defined]
        self._forget_old()
        return screen

    def jump(self, place: Place) -> Screen[None]:
        """Close everything above the course map, then open `place`."""
        self.home()
        return self.visit(place)

    def home(self) -> None:
        """Back to the course map (the bottom screen the app pushed first)."""
        while len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def confirm(self, question: str, then: Callable[[bool | None], None]) -> None:
        """Ask a yes/no question on top of the current screen; `then` gets the answer."""
        from tui.screens.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(question), then)

    def kept(self, place: Place) -> Screen[None] | None:
        """The screen kept for `place`, if it has one (tests look at its state)."""
        return self._kept.get(place.key)

    def forget(self) -> None:
        """Let go of every kept screen not on the stack (after a progress reset)."""
        self._forget_old(keep=0)

    def _forget_old(self, keep: int = KEPT) -> None:
        """Let go of the oldest kept screens that are not on the stack."""
        for key in list(self._kept):
            if len(self._kept) <= keep:
                return
            screen = self._kept[key]
            if screen not in self.app.screen_stack:
                del self._kept[key]
                self.app.uninstall_screen(key)
                screen.remove()
