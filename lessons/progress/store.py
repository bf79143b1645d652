"""The progress file on disk, safe to share: a lock, atomic writes, backups, warnings.

Progress is the one thing in vgtutor a learner cannot regenerate, so the store is
careful with it: writes are atomic, concurrent writers merge instead of overwriting
each other, and a file it cannot understand is kept aside (never deleted) before a
fresh one is started. Anything the learner should hear about goes to
`ProgressStore.warnings`, once.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path

import platformdirs

from lessons.progress.codec import NewerFormatError, ProgressFileError, encode, parse
from lessons.progress.merge import merge
from lessons.progress.model import Progress

try:
    import fcntl
except ImportError:  # Windows: no flock; the store's own mutex still serialises threads.
    fcntl = None  # type: ignore[assignment]

FILE_NAME = "progress.json"
LOCK_NAME = "progress.lock"
DATA_DIR_ENV = "VGTUTOR_DATA_DIR"
MAX_FILE_BYTES = 8 << 20
"""A progress file is a few kB (about 100 bytes a lesson); past this it is not one. The
same cap holds for reading and writing, so vgtutor never writes what it will not read."""
WARN_FILE_BYTES = MAX_FILE_BYTES * 3 // 4
"""Past this size a save warns, once, that the cap is near."""
STALE_TEMP_SECONDS = 60
"""A `.progress.json.*.tmp` this old is a killed writer's leftover (a write takes ms)."""


def default_folder() -> Path:
    """The per-user data folder; `VGTUTOR_DATA_DIR` overrides it (tests, portable installs)."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir("vgtutor"))


class ProgressStore:
    """The learner's progress file, safe to share between processes.

    Every update re-reads the file under an exclusive lock and merges into it, so two
    vgtutor windows never overwrite each other's work. load() and update() never raise
    over file trouble: it becomes a one-line warning, and progress is kept in memory
    until a write succeeds.
    """

    def __init__(self, folder: Path | None = None, *, read_only: bool = False) -> None:
        self.folder = Path(folder) if folder is not None else default_folder()
        self.path = self.folder / FILE_NAME
        self.read_only = read_only
        """A reader (`vgtutor progress`): it never renames, writes or deletes a file."""
        self._swept = read_only
        self.warnings: list[str] = []
        """One-line messages for the learner, each added once; see take_warnings()."""
        self._issued: set[str] = set()
        self._memory = Progress()
        self._unsaved = False
        self._save_warned = False
        self._mutex = threading.RLock()

    def take_warnings(self) -> list[str]:
        """Return the pending warnings and forget them, so each is shown once."""
        with self._mutex:
            taken = list(self.warnings)
            self.warnings.clear()
            return taken

    def load(self) -> Progress:
        """The learner's progress: the file's, plus anything not yet saved."""
        with self._locked(create=False):
            self._sweep_temps()
            disk = self._read_disk()
            if disk is not None:
                self._memory = merge(disk, self._memory) if self._unsaved else disk
            return self._memory

    def update(self, change: Callable[[Progress], Progress]) -> Progress:
        """Apply `change` to the latest progress, merge it in and save; return the result.

        `change` sees the file as it is now (other processes' work included); merging its
        result means a change can add progress but never erase completed work.
        """
        if self.read_only:
            raise ValueError("a read-only progress store cannot save")
        with self._locked(create=True):
            self._sweep_temps()
            disk = self._read_disk()
            if disk is None:
                base = self._memory
            else:
                # Unsaved work lives only in memory; otherwise the file is the truth
                # (so a reset from another process is not undone here).
                base = merge(disk, self._memory) if self._unsaved else disk
            self._memory = merge(base, change(base))
            self._unsaved = disk is None or not self._try_write(self._memory)
            return self._memory

    def reset(self) -> Path | None:
        """Start fresh, keeping the old file as `progress.json.reset-…`.

        Returns the backup's path, or None if there was no file. Raises OSError if the
        file cannot be moved aside (then nothing changed).
        """
        with self._locked(create=False):
            try:
                backup = self._move_aside("reset")
            except FileNotFoundError:
                backup = None
            self._memory = Progress()
            self._unsaved = False
            return backup

    @contextmanager
    def _locked(self, create: bool) -> Iterator[None]:
        """Hold the store's mutex and, where possible, an exclusive flock on progress.lock."""
        with self._mutex:
            fd = self._open_lock(create)
            try:
                if fd is not None:
                    with suppress(OSError):  # e.g. ENOLCK on some network file systems
                        fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                if fd is not None:
                    os.close(fd)  # releases the flock

    def _open_lock(self, create: bool) -> int | None:
        if fcntl is None:
            return None
        try:
            if create:
                self.folder.mkdir(parents=True, exist_ok=True)
            # Never follow a link: a planted progress.lock must not create its target.
            flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0)
            if not self.read_only:  # a reader locks only where a writer already does
                flags |= os.O_CREAT
            return os.open(self.folder / LOCK_NAME, flags, 0o644)
        except OSError as err:
            if err.errno in (errno.ELOOP, errno.EMLINK):  # EMLINK: BSDs' O_NOFOLLOW
                self._warn(
                    f"{self.folder / LOCK_NAME} is a symbolic link; vgtutor does not follow "
                    "it, so two windows open at once are not kept from overwriting each other."
                )
            return None  # no folder or not writable: any write will fail and warn

    def _sweep_temps(self) -> None:
        """Remove what killed writers left (`.progress.json.*.tmp`), once per store."""
        if self._swept:
            return
        self._swept = True
        now = time.time()
        with suppress(OSError):
            for temp in self.folder.glob(f".{FILE_NAME}.*.tmp"):
                with suppress(OSError):
                    info = temp.lstat()
                    if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_TEMP_SECONDS:
                        temp.unlink()

    def _read_disk(self) -> Progress | None:
        """The file's progress, or None when it cannot be read safely (a warning says why)."""
        try:
            data = read_regular(self.path)
        except FileNotFoundError:
            return Progress()
        except OSError as err:
            self._warn(
                f"Your progress file {self.path} could not be read ({_why(err)}); "
                "progress is kept in memory for this session."
            )
            return None
        try:
            progress, problems = parse(data)
        except NewerFormatError as err:
            self._warn(
                f"Your progress file {self.path} was {err}; it is left untouched and this "
                "session's progress is kept in memory only."
            )
            return None
        except ProgressFileError as err:
            progress, problems = Progress(), [str(err)]
        if not problems:
            return progress
        summary = problems[0] + (f"; {len(problems) - 1} more" if len(problems) > 1 else "")
        if self.read_only:
            part = "Part of your" if progress != Progress() else "Your"
            self._warn(
                f"{part} progress file {self.path} is unreadable ({summary}); it is left as "
                "it is (the app keeps it as a backup when it next saves progress)."
            )
            return progress
        try:
            backup = self._move_aside("bad")
        except OSError as err:
            self._warn(
                f"Your progress file {self.path} is unreadable ({summary}) and could not "
                f"be moved aside ({_why(err)}); it is left as it is and progress is kept "
                "in memory for this session."
            )
            return None
        if progress == Progress():
            self._warn(
                f"Your progress file was unreadable ({summary}); it was kept as "
                f"{backup} and a fresh one was started."
            )
        else:
            self._warn(
                f"Part of your progress file was unreadable ({summary}); the rest was "
                f"kept, and the original was saved as {backup}."
            )
        # If the file went bad under a running session (another program wrote it), what
        # this session had saved there is now only in memory: put it back in the file.
        recovered = merge(progress, self._memory)
        self._unsaved = recovered != Progress() and not self._try_write(recovered)
        return recovered

    def _try_write(self, progress: Progress) -> bool:
        """Write, or warn (once until a write succeeds again) and report failure."""
        try:
            self._write(progress)
        except OSError as err:
            if not self._save_warned:
                self._save_warned = True
                self._warn(
                    f"Your progress could not be saved to {self.path} ({_why(err)}); "
                    "it is kept in memory and saving will be retried."
                )
            return False
        self._save_warned = False
        return True

    def _write(self, progress: Progress) -> None:
        """Replace the file atomically: readers see the old or the new file, never a part.

        A progress.json that is a symbolic link is written through: its target is replaced.
        """
        data = encode(progress)
        if len(data) > MAX_FILE_BYTES:
            raise OSError(errno.EFBIG, f"it would be larger than {MAX_FILE_BYTES >> 20} MiB")
        if len(data) > WARN_FILE_BYTES:
            self._warn(
                f"Your progress file is {len(data) / 2**20:.1f} MiB, near the "
                f"{MAX_FILE_BYTES >> 20} MiB limit past which it cannot be saved."
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self._target()
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{FILE_NAME}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temp, target)
        except BaseException:
            with suppress(OSError):
                os.unlink(temp)
            raise
        _fsync_folder(target.parent)

    def _target(self) -> Path:
        """The file progress.json stands for: itself, or where its symbolic link points."""
        return Path(os.path.realpath(self.path)) if self.path.is_symlink() else self.path

    def _move_aside(self, tag: str) -> Path:
        """Rename the file to a timestamped `progress.json.<tag>-YYYYmmdd-HHMMSS[-n]`."""
        name = f"{FILE_NAME}.{tag}-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
        source = self._target()  # a link's target is what holds the progress
        backup, n = source.parent / name, 1
        while backup.exists():
            backup, n = source.parent / f"{name}-{n}", n + 1
        os.rename(source, backup)
        return backup

    def _warn(self, message: str) -> None:
        if message not in self._issued:
            self._issued.add(message)
            self.warnings.append(message)


def read_regular(path: Path, *, follow_links: bool = True) -> bytes:
    """The file's bytes; OSError unless it is a regular file of at most MAX_FILE_BYTES.

    Opened without blocking, so a named pipe or device in its place cannot hang the app.
    `follow_links=False` also refuses a symbolic link (a served class's folders, which
    the learners name, must not lead elsewhere).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise OSError(errno.EFBIG, f"larger than {MAX_FILE_BYTES >> 20} MiB")
    return data


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _why(err: OSError) -> str:
    return err.strerror or str(err)
