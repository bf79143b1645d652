"""The Textual application and the factory the CLI and the tests build it with."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.filter import LineFilter
from textual.geometry import Size

from lessons.catalog import MANIFEST, builtin_pack_path, load_pack
from lessons.pack import Lesson, Pack, PackError
from lessons.progress import Progress, ProgressStore, merge
from lessons.sanitize import clean
from tui.ascii_screen import ASCII_FILTER
from tui.cli import OUT_OF_MEMORY
from tui.navigation import LabPage, LessonPage, Navigator
from tui.palette import CourseCommands


@dataclass
class Course:
    """Every loaded pack, in course-map order, and the problems found loading them."""

    packs: list[Pack] = field(default_factory=list)
    errors: list[PackError] = field(default_factory=list)
    extra_folders: tuple[Path, ...] = ()
    """The --pack folders as given, for the `vgtutor check` command the notice prints."""

    def lessons(self) -> list[tuple[Pack, Lesson]]:
        return [(pack, lesson) for pack in self.packs for lesson in pack.lessons]


def load_course(extra_packs: Sequence[Path] = ()) -> Course:
    """Load the built-in course and `extra_packs`; a pack whose id is taken is left out.

    Progress and the course map key lessons by "<pack id>/<lesson id>", so two packs
    with one id (or one folder given twice) would collide there.
    """
    course = Course(extra_folders=tuple(Path(path) for path in extra_packs))
    for path in (builtin_pack_path(), *extra_packs):
        pack, errors = load_pack(Path(path))
        course.errors.extend(errors)
        if pack is None:
            continue
        taken = next((other for other in course.packs if other.id == pack.id), None)
        if taken is not None:
            course.errors.append(
                PackError(
                    str(Path(path) / MANIFEST),
                    None,
                    "id",
                    f'duplicate pack id "{pack.id}": {taken.root} already has it; '
                    "this pack was left out",
                )
            )
            continue
        course.packs.append(pack)
    return course


class VGTutorApp(App[int]):
    """Lessons, quizzes and the gradient lab, driven from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "vgtutor"
    COMMANDS = App.COMMANDS | {CourseCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        # Textual only hints at ctrl+q; learners press ctrl+c to leave, from anywhere.
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(self, course: Course, store: ProgressStore, *, ascii_plots: bool = False) -> None:
        super().__init__()
        self.course = course
        self.store = store
        self.ascii_plots = ascii_plots
        """--ascii: the whole screen in 7-bit ASCII (tui/ascii_screen.py), plots included."""
        self.progress = store.load()
        self._saver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vgtutor-save")
        """One thread saves progress changes, in order: a save re-reads and merges the
        file under a lock, about 1 s per MiB, which must not stall a key press."""
        self._pending_saves = 0
        self.nav = Navigator(self)
        """The one way screens open each other (tui/navigation.py)."""

    def get_line_filters(self) -> Sequence[LineFilter]:
        filters = super().get_line_filters()
        return [*filters, ASCII_FILTER] if self.ascii_plots else filters

    def record(self, change: Callable[[Progress], Progress]) -> None:
        """Apply a change to the learner's progress now and save it off the UI thread.

        Trouble saving is told once, never raised; quitting waits for pending saves.
        """
        self.progress = merge(self.progress, change(self.progress))
        self._pending_saves += 1
        loop = asyncio.get_running_loop()

        def save() -> None:
            saved = self.store.update(change)
            with suppress(RuntimeError):  # the loop is closed: the app has ended
                loop.call_soon_threadsafe(self._saved, saved)

        self._saver.submit(save)

    def _saved(self, saved: Progress) -> None:
        """A save finished: take the file's view (other windows' work) once none is pending."""
        self._pending_saves -= 1
        if not self._pending_saves:
            self.progress = saved
        self._tell_store_warnings()

    async def on_unmount(self) -> None:
        await asyncio.to_thread(self._saver.shutdown, wait=True)

    def open_lesson(self, pack: Pack, lesson: Lesson) -> None:
        """Show a lesson on top of the course map (from the command palette)."""
        self.nav.jump(LessonPage(pack, lesson))

    def open_lab(self, pack: Pack, lesson: Lesson, preset_id: str) -> None:
        """Show a lab preset on top of the course map (from the command palette)."""
        self.nav.jump(LabPage(pack, lesson, preset_id))

    def reset_progress(self) -> Path | None:
        """Start over; the old progress file is kept as a backup, whose path is returned."""
        try:
            backup = self._saver.submit(self.store.reset).result()  # after pending saves
        except OSError as error:
            self.notify(
                f"Could not reset progress: {clean(str(error))}", severity="error", markup=False
            )
            return None
        self.progress = self.store.load()
        self.nav.forget()  # a kept quiz or reader would show the old progress
        return backup

    def _tell_store_warnings(self) -> None:
        for warning in self.store.take_warnings():
            # Warnings quote paths and progress-file keys: data, shown as text.
            self.notify(clean(warning), severity="warning", timeout=10, markup=False)

    def _handle_exception(self, error: Exception) -> None:
        """Running out of memory is told in words, never as a traceback.

        The budgets in lessons.lab.config keep runs far below it; a busy machine can
        still get there. A worker's failure leaves the app running with a notice;
        anywhere else the app ends with one line (its message pumps stop on an error).
        """
        from textual.worker import WorkerFailed

        cause = error.error if isinstance(error, WorkerFailed) else error
        if not isinstance(cause, MemoryError):
            super()._handle_exception(error)
        elif isinstance(error, WorkerFailed):
            self.notify(OUT_OF_MEMORY, severity="error", timeout=10, markup=False)
        else:
            self.exit(return_code=1, message=f"vgtutor: {OUT_OF_MEMORY}")

    def on_mount(self) -> None:
        from tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        self._tell_store_warnings()
        self._guard_size(self.size)
        if self.course.errors:
            from lessons.sanitize import clean
            from tui.commands.check import check_command

            command = clean(check_command(self.course.extra_folders))
            self.notify(
                f"{len(self.course.errors)} problem(s) in the lesson packs; "
                f"run `{command}` for details.",
                severity="warning",
                markup=False,
            )

    def on_resize(self, event: events.Resize) -> None:
        # Runs before App's own handler has stored the new size: use the event's.
        self._guard_size(event.size)

    def _guard_size(self, size: Size) -> None:
        """Cover the app with a notice while the terminal is below 80x24."""
        from tui.screens.too_small import TooSmallScreen, too_small

        if too_small(size):
            if isinstance(self.screen, TooSmallScreen):
                self.screen.show_size(size)
            else:
                self.push_screen(TooSmallScreen(size))
        elif isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    def action_help(self) -> None:
        """Help for the screen in front: its keys first (in the lab, its view's elements).

        A screen names its help topic with a `help_topic()` method (tui/help_text.py).
        """
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            topic = getattr(self.screen, "help_topic", None)
            self.push_screen(HelpScreen(topic() if callable(topic) else None))


def make_app(
    packs: Sequence[Path] = (), *, ascii_plots: bool = False, data_dir: Path | None = None
) -> VGTutorApp:
    """Build the app with the built-in course plus `packs` (tests use this too).

    Progress lives in `data_dir`, by default the platform's data folder or
    $VGTUTOR_DATA_DIR.
    """
    return VGTutorApp(load_course(packs), ProgressStore(data_dir), ascii_plots=ascii_plots)
