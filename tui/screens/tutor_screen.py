"""The base of this app's full screens: one typed way to reach the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from tui.app import VGTutorApp


class TutorScreen(Screen[None]):
    """A screen of VGTutorApp (posting's habit: cast once here, never reach untyped self.app.x)."""

    @property
    def tutor(self) -> VGTutorApp:
        """The app, typed (it holds the course, the progress and the navigator)."""
        return cast("VGTutorApp", self.app)
