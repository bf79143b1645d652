"""Load a lesson-pack folder into the dataclasses of lessons.pack, reporting every problem.

A pack is untrusted data. It is read with tomllib and plain file reads only (never
eval, exec, pickle or import); every file must stay inside the pack folder and under
1 MiB; all its text is cleaned of terminal escapes and control characters. Problems
never raise: each becomes a PackError naming the file and line to edit, and the sound
parts of the pack still load. Only an unusable manifest gives no pack at all.

What a returned Pack promises the app: every lesson has at least one page and at least
one preset, and every preset id a lesson or question names is in `pack.presets`;
every question has at least one choice. A lesson whose reading or presets are unusable
is left out; a bad question is left out of its lesson (which may be left with none).

The modules, one job each: `files` (the untrusted-file boundary: reading, size and
depth limits, why a file is unreadable), `fields` (field validation and error
reporting), `pages` (Markdown readings), `presets`, `quizzes`, `exercises`, and
`loader` (the manifest and its lessons, in the order the parts depend on each other).
"""

from lessons.catalog.files import MANIFEST, MAX_FILE_BYTES, MAX_KEY_PARTS
from lessons.catalog.loader import builtin_pack_path, load_pack
from lessons.catalog.pages import split_pages
from lessons.catalog.presets import DEFAULT_PRESET_FILES

__all__ = [
    "DEFAULT_PRESET_FILES",
    "MANIFEST",
    "MAX_FILE_BYTES",
    "MAX_KEY_PARTS",
    "builtin_pack_path",
    "load_pack",
    "split_pages",
]
