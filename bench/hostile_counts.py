"""How many hostile inputs the test suite tries, per category, and how many are handled.

Runs the hardening tests with pytest and reads its JUnit XML, so the figures are the
suite's own: a passed test is a handled input, a failed, errored or xfailed one is not,
a skipped one (tmux or a platform feature missing) is left out. A test that feeds
several inputs at once counts as that many. Also prints the end-to-end walk's duration
per terminal configuration. Run: python bench/hostile_counts.py [--no-e2e]
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = (
    "tests/unit/test_hostile_packs.py",
    "tests/unit/test_hostile_progress.py",
    "tests/unit/test_lab_grid.py",
    "tests/functional/test_hostile_markup_app.py",
    "tests/functional/test_hostile_progress_app.py",
    "tests/functional/test_app_hardening.py",
    "tests/unit/test_budgets.py",
    "tests/unit/test_hostile_paths.py",
    "tests/unit/test_hostile_pack_size.py",
    "tests/unit/test_hostile_progress_files.py",
    "tests/unit/test_output_trouble.py",
    "tests/unit/test_sanitize.py",
    "tests/functional/test_hardening_round2.py",
)
E2E = "tests/e2e"

# (test file stem, test name prefix) -> category; the first match wins.
CATEGORIES = (
    ("test_hostile_packs", "test_traversal", "pack: path traversal, symlinks, pipes"),
    ("test_hostile_packs", "test_huge_file", "pack: huge files (> 1 MiB, sparse 3 GiB)"),
    ("test_hostile_packs", "test_deeply_nested", "pack: deeply nested TOML"),
    ("test_hostile_packs", "test_invalid_utf8", "pack: invalid UTF-8"),
    ("test_hostile_packs", "test_duplicate_ids", "pack: duplicate ids"),
    ("test_hostile_packs", "test_terminal_escapes", "pack text: escapes (loader, per field)"),
    ("test_app_hardening", "test_a_pack", "pack: duplicate ids"),
    ("test_hostile_pack_terminal", "", "pack text: escapes in the terminal's bytes"),
    ("test_hostile_markup_app", "", "pack text: Rich/Textual markup"),
    ("test_hostile_progress", "test_corrupt_json", "progress: corrupt JSON"),
    ("test_hostile_progress", "test_wrong_types", "progress: wrong types"),
    ("test_hostile_progress", "test_an_unwritable", "progress: unwritable place"),
    ("test_hostile_progress", "test_a_full_disk", "progress: full disk"),
    ("test_hostile_progress", "test_two_instances", "progress: two instances"),
    ("test_hostile_progress_app", "test_a_corrupt", "progress: corrupt JSON"),
    ("test_hostile_progress_app", "test_a_partly", "progress: wrong types"),
    ("test_hostile_progress_app", "test_a_full_disk", "progress: full disk"),
    ("test_hostile_progress_app", "test_an_unwritable", "progress: unwritable place"),
    ("test_hostile_progress_app", "test_a_progress_path", "progress: unwritable place"),
    ("test_hostile_progress_app", "test_another_program", "progress: two instances"),
    ("test_two_instances", "", "progress: two instances"),
    ("test_lab_grid", "test_every_profile", "lab: activation x init x fix x depth grid"),
    ("test_lab_grid", "test_exploding", "lab: exploding settings"),
    ("test_resize", "", "terminal: resize storms, below minimum"),
    ("test_interrupt", "test_sigterm", "terminal: SIGTERM and SIGHUP"),
    ("test_interrupt", "", "terminal: ctrl+c and SIGINT"),
    ("test_app_hardening", "test_ctrl_c", "terminal: ctrl+c and SIGINT"),
    ("test_no_tty", "", "terminal: stdin/stdout/stderr not a tty"),
    ("test_quiz_typing", "", "terminal: keys typed in one burst"),
    ("test_hostile_paths", "", "pack: folder names (no id, escapes in paths)"),
    ("test_hostile_folder", "", "pack: folder names (no id, escapes in paths)"),
    ("test_sanitize", "test_direction_marks", "pack text: direction marks, tag characters"),
    ("test_hardening_round2", "test_course_map", "pack text: wide, combining, ZWJ titles"),
    ("test_hostile_pack_size", "test_a_page_over", "pack: pages over the caps"),
    ("test_hostile_pack_size", "test_one_quiz", "pack: amplification (shared files)"),
    ("test_hostile_pack_size", "test_the_bytes", "pack: amplification (shared files)"),
    ("test_hardening_round2", "test_markup_in", "progress: markup in keys (notifications)"),
    ("test_hostile_progress_files", "test_a_key", "progress: escapes in keys, paths"),
    ("test_hostile_progress_files", "test_vgtutor_progress_w", "progress: escapes in keys, paths"),
    ("test_hostile_progress_files", "test_a_save", "progress: size cap on write"),
    ("test_hostile_progress_files", "test_what_is", "progress: size cap on write"),
    ("test_hostile_progress_files", "test_vgtutor_progress_l", "progress: newer version, readers"),
    ("test_hostile_progress_files", "test_a_session", "progress: newer version, readers"),
    ("test_hostile_progress_files", "test_stale", "progress: leftovers and symlinks"),
    ("test_hostile_progress_files", "test_a_progress", "progress: leftovers and symlinks"),
    ("test_budgets", "test_settings_over", "lab: settings over the run budget"),
    ("test_budgets", "test_check_refuses", "lab: settings over the run budget"),
    ("test_budgets", "test_the_cli", "lab: settings over the run budget"),
    ("test_budgets", "test_a_memory", "lab: out of memory"),
    ("test_hardening_round2", "test_a_worker", "lab: out of memory"),
    ("test_output_trouble", "test_a_full", "output: full disk, ASCII-only stdout"),
    ("test_output_trouble", "test_an_ascii", "output: full disk, ASCII-only stdout"),
)
ESCAPES_PER_FIELD, FIELDS = 5, 11
"""tests/e2e/hostile_pack.py: CSI 2J, OSC 0, OSC 52, C1 CSI, C1 OSC in 11 texts."""
MARKUPS_PER_GROUP = {
    "click-bold-link": 3,
    "unbalanced": 4,
    "links-actions-vars": 3,
    "styles-emoji-brackets": 3,
}
"""tests/functional/test_hostile_markup_app.py: MARKUP_GROUPS, markups per group."""


@dataclass
class Tally:
    tried: int = 0
    handled: int = 0


def weight(stem: str, name: str) -> int:
    """How many hostile inputs one test case feeds the app."""
    if stem == "test_hostile_pack_terminal":
        return ESCAPES_PER_FIELD * FIELDS
    if stem == "test_hostile_markup_app":
        group = re.search(r"\[(.+)\]$", name)
        return MARKUPS_PER_GROUP[group.group(1)] if group else MARKUPS_PER_GROUP["click-bold-link"]
    return 1


def category(stem: str, name: str) -> str | None:
    for file, prefix, label in CATEGORIES:
        if stem == file and name.startswith(prefix):
            return label
    return None


def run(paths: list[str]) -> ET.Element:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.xml"
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             f"--junitxml={report}", "-o", "junit_family=xunit1", *paths],
            cwd=ROOT,
            check=False,
        )  # fmt: skip
        return ET.parse(report).getroot()


def main(argv: list[str]) -> int:
    paths = list(FILES) + ([] if "--no-e2e" in argv else [E2E])
    root = run(paths)
    tallies: dict[str, Tally] = defaultdict(Tally)
    walks: list[tuple[str, str]] = []
    for case in root.iter("testcase"):
        stem = case.get("classname", "").rsplit(".", 1)[-1]
        name = case.get("name", "")
        for prop in case.iter("property"):
            if prop.get("name") == "walk_seconds":
                walks.append((name, prop.get("value", "?")))
        label = category(stem, name)
        skipped = case.find("skipped")
        if label is None or (skipped is not None and "xfail" not in skipped.get("type", "")):
            continue
        tally, count = tallies[label], weight(stem, name)
        tally.tried += count
        if skipped is None and case.find("failure") is None and case.find("error") is None:
            tally.handled += count
    print(f"\n{'category':<48} {'tried':>6} {'handled':>8}")
    for label in dict.fromkeys(label for _, _, label in CATEGORIES):
        if label in tallies:
            print(f"{label:<48} {tallies[label].tried:>6} {tallies[label].handled:>8}")
    for name, seconds in walks:
        print(f"e2e walk {name}: {seconds} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
