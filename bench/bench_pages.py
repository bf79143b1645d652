"""Time opening a lesson page at each of `check`'s page caps (target: under 0.5 s).

Run: python bench/bench_pages.py [--repeats N]. Prints medians; not a test. A pack is
written to a temporary folder with one lesson per case, each a single page: the
built-in course's longest page (the baseline), then pages exactly at MAX_PAGE_LINES,
MAX_PAGE_BLOCKS (paragraphs, headings, list items) and a MAX_TABLE_ROWS x
MAX_TABLE_COLUMNS table. "open" is pushing the lesson screen until its page is
mounted and a frame is drawn, at 80x24 and 120x40; CPU is this process's, which a busy
shared machine inflates less than wall time.

Figures (2026-12-01, 2 shared cores under load, median of 3, ms CPU at 80x24 / 120x40):
built-in longest page 207 / 183; 120 lines 180 / 178; 24 list items 252 / 229;
24 blocks 263 / 229; a 12x6 table 182 / 293. With Textual's Markdown widget (a widget
per block) the same run gave 684 / 1079 for the list items and 655 / 636 for the table.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from lessons.catalog import builtin_pack_path, load_pack
from lessons.catalog.pages import (
    MAX_PAGE_BLOCKS,
    MAX_PAGE_LINES,
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    page_problem,
)
from tui.app import make_app
from tui.screens.lesson import LessonScreen

MINIMAL = Path(__file__).resolve().parents[1] / "lessons" / "examples" / "minimal"


def cases() -> dict[str, str]:
    builtin, _ = load_pack(builtin_pack_path())
    assert builtin is not None
    longest = max((p for lesson in builtin.lessons for p in lesson.pages), key=len)
    half = MAX_PAGE_BLOCKS // 3
    blocks = (
        "\n\n".join(f"Paragraph {n} of a page at the block cap." for n in range(half))
        + "\n\n"
        + "\n\n".join(f"## Heading {n}" for n in range(half))
        + "\n\n"
        + "\n".join(f"- item {n}" for n in range(MAX_PAGE_BLOCKS - 2 * half))
    )
    header = "|" + "|".join(f"col {n}" for n in range(MAX_TABLE_COLUMNS)) + "|"
    rule = "|" + "|".join("---" for _ in range(MAX_TABLE_COLUMNS)) + "|"
    rows = [
        "|" + "|".join(f"{r}.{c}" for c in range(MAX_TABLE_COLUMNS)) + "|"
        for r in range(MAX_TABLE_ROWS)
    ]
    found = {
        "built-in longest page (baseline)": longest,
        f"{MAX_PAGE_LINES} lines (one paragraph)": "\n".join(
            f"line {n} of a long paragraph" for n in range(MAX_PAGE_LINES)
        ),
        f"{MAX_PAGE_BLOCKS} list items": "\n".join(f"- item {n}" for n in range(MAX_PAGE_BLOCKS)),
        f"{MAX_PAGE_BLOCKS} blocks": blocks,
        f"table {MAX_TABLE_ROWS}x{MAX_TABLE_COLUMNS}": "\n".join([header, rule, *rows]),
    }
    for name, text in found.items():
        assert page_problem(text) is None, (name, page_problem(text))
    return found


def write_pack(folder: Path, pages: dict[str, str]) -> Path:
    shutil.copytree(MINIMAL, folder)
    manifest = (folder / "pack.toml").read_text().split("[[lesson]]")[0]
    manifest = manifest.replace('id = "minimal-example"', 'id = "bench-pages"')
    for n, text in enumerate(pages.values()):
        (folder / "readings" / f"p{n}.md").write_text(text)
        (folder / "quizzes" / f"q{n}.toml").write_text(
            (MINIMAL / "quizzes" / "01-why-it-shrinks.toml")
            .read_text()
            .replace('id = "', f'id = "p{n}-')
        )
        manifest += (
            f'[[lesson]]\nid = "p{n}"\ntitle = "P{n}"\nreading = "readings/p{n}.md"\n'
            f'questions = "quizzes/q{n}.toml"\npresets = ["sigmoid-6"]\n\n'
        )
    (folder / "pack.toml").write_text(manifest)
    return folder


async def bench(folder: Path, names: list[str], size: tuple[int, int], repeats: int) -> None:
    app = make_app([folder], data_dir=folder / "data")
    async with app.run_test(size=size) as pilot:
        pack = next(p for p in app.course.packs if p.id == "bench-pages")
        assert len(pack.lessons) == len(names), app.course.errors
        for name, lesson in zip(names, pack.lessons, strict=True):
            times, cpu = [], []
            for _ in range(repeats):
                start, start_cpu = time.perf_counter(), time.process_time()
                await app.push_screen(LessonScreen(pack, lesson))
                await pilot.pause()
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
                app.pop_screen()
                await pilot.pause()
            wall, used = (1000 * statistics.median(t) for t in (times, cpu))
            print(f"{size[0]}x{size[1]}  {name:34s} open {wall:7.1f} ms wall {used:7.1f} ms CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats
    pages = cases()
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_pack(Path(tmp) / "pack", pages)
        for size in ((80, 24), (120, 40)):
            asyncio.run(bench(folder, list(pages), size, repeats))


if __name__ == "__main__":
    main()
