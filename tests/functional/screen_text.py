"""The text a Pilot test's screen shows right now, line by line (what a learner reads)."""


def screen_lines(app) -> list[str]:
    """Every row of the current screen as plain text (modal screens include what shows through)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))
