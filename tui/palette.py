"""Command-palette entries for every lesson and every lab preset (ctrl+p, then type)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from lessons.pack import Lesson, Pack

if TYPE_CHECKING:  # tui.app imports this module
    from tui.app import VGTutorApp

Entry = tuple[str, Callable[[], None], str]
"""A palette line: its text, what choosing it does, and the help shown under it."""


class CourseCommands(Provider):
    """Type part of a lesson's or preset's title to jump straight to it."""

    def _entries(self) -> list[Entry]:
        app = cast("VGTutorApp", self.app)
        lessons = app.course.lessons()
        entries: list[Entry] = [
            (f"Lesson: {lesson.title}", partial(app.open_lesson, pack, lesson), pack.title)
            for pack, lesson in lessons
        ]
        for pack in app.course.packs:
            for preset_id, preset in pack.presets.items():
                lesson = _lesson_for(pack, preset_id)
                if lesson is None:
                    continue
                entries.append(
                    (
                        f"Lab: {preset.title}",
                        partial(app.open_lab, pack, lesson, preset_id),
                        preset.look_for,
                    )
                )
        return entries

    async def discover(self) -> Hits:
        for name, command, help_text in self._entries():
            # Pack text is data: shown as plain text, never parsed as markup.
            yield DiscoveryHit(Content(name), command, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, _highlight(matcher, name), command, help=escape(help_text))


def _highlight(matcher: Matcher, name: str) -> Content:
    """The matched letters highlighted, the name itself never parsed as markup.

    (Matcher.highlight parses its candidate as markup, which pack text must not be.)
    """
    content = Content(name)
    _, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _lesson_for(pack: Pack, preset_id: str) -> Lesson | None:
    """The lesson a preset belongs to: one listing it, else one whose quiz runs it."""
    for lesson in pack.lessons:
        if preset_id in lesson.presets:
            return lesson
    for lesson in pack.lessons:
        if any(question.preset == preset_id for question in lesson.questions):
            return lesson
    return pack.lessons[0] if pack.lessons else None
