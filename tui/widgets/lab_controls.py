"""The lab's views and settings as one compact strip of key hints.

Every setting shows its key next to its value ("d/D depth 10"), so an 80x24 terminal
needs no separate legend; hints are packed into as many lines as the width needs and
a hint is never split across two lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.widget import Widget

from lessons.lab.config import RANDOM_BATCH, NetConfig
from lessons.lab.lab_state import NET_VIEWS, PLOT_VIEWS, LabSettings

GAP = "  "


@dataclass(frozen=True)
class Hint:
    """One key hint: the key(s), what they change, and the current value."""

    keys: str
    label: str
    value: str = ""
    fixed: bool = False
    """The setting is locked (an exercise): its keys are struck through and muted."""


class LabControls(Widget):
    """Shows the view tabs on the first line, then the current view's hints."""

    DEFAULT_CSS = """
    LabControls {
        height: auto;
        padding: 0 1;
        background: $boost;
    }
    LabControls > .lab-controls--key {
        color: $accent;
        text-style: bold;
    }
    LabControls > .lab-controls--value {
        color: $text;
        text-style: bold;
    }
    LabControls > .lab-controls--label {
        color: $text-muted;
    }
    """
    COMPONENT_CLASSES = {"lab-controls--key", "lab-controls--value", "lab-controls--label"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tabs: tuple[Hint, ...] = ()
        self.current_tab = ""
        self.hints: tuple[Hint, ...] = ()

    def show(self, tabs: Sequence[Hint], current_tab: str, hints: Sequence[Hint]) -> None:
        """Tabs are Hint(key, view name); the current one is drawn in brackets."""
        self.tabs, self.current_tab, self.hints = tuple(tabs), current_tab, tuple(hints)
        self.refresh(layout=True)

    def _token(self, hint: Hint, *, current: bool = False) -> Text:
        key = self.get_component_rich_style("lab-controls--key", partial=True)
        label = self.get_component_rich_style("lab-controls--label", partial=True)
        value = self.get_component_rich_style("lab-controls--value", partial=True)
        text = Text("[" if current else "")
        if hint.keys:
            text.append(hint.keys, label + Style(strike=True) if hint.fixed else key)
            text.append(" ")
        text.append(hint.label, value if current else label)
        if hint.value:
            text.append(" ")
            text.append(hint.value, value)
        if current:
            text.append("]")
        return text

    def lines(self, width: int) -> list[Text]:
        """The strip laid out for `width` cells: tabs first, then the hints."""
        tabs = [self._token(t, current=t.label == self.current_tab) for t in self.tabs]
        hints = [self._token(h) for h in self.hints]
        return _pack(tabs, width) + _pack(hints, width)

    def render(self) -> RenderResult:
        return Text("\n").join(self.lines(self.content_size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.lines(width)))


def _pack(tokens: list[Text], width: int) -> list[Text]:
    """Greedy line filling; a token wider than the line gets a line of its own."""
    lines: list[Text] = []
    line = Text()
    for token in tokens:
        if line and line.cell_len + len(GAP) + token.cell_len > width:
            lines.append(line)
            line = Text()
        if line:
            line.append(GAP)
        line.append_text(token)
    if line:
        lines.append(line)
    return lines


def _on_off(flag: bool) -> str:
    return "on" if flag else "off"


def _norm_hint(net: NetConfig, fixed: set[str]) -> Hint:
    """Batch norm's hint (b), or layer norm's (B) while layer norm is on."""
    if net.layernorm:
        return Hint("B", "LN", "on", "layernorm" in fixed)
    return Hint("b", "BN", _on_off(net.batchnorm), "batchnorm" in fixed)


def clip_text(clip_norm: float | None, clip_value: float | None) -> str:
    parts = [f"value {clip_value:g}"] if clip_value is not None else []
    parts += [f"norm {clip_norm:g}"] if clip_norm is not None else []
    return " + ".join(parts) or "off"


def data_text(settings: LabSettings) -> str:
    """Which data the net views measure on, as the strip names it."""
    if settings.data == RANDOM_BATCH:
        return f"random {settings.net.in_dim}-d"
    return f"{settings.data} 2-d"


def setting_hints(settings: LabSettings, fixed: set[str], presets: int) -> list[Hint]:
    """The current view's settings as key hints; `fixed` names locked ones (struck out)."""
    s, net, tc, rc = settings, settings.net, settings.training, settings.rnn
    hints = [
        Hint("a", "act", net.activation, "activation" in fixed),
        Hint("i", "init", net.init, "init" in fixed),
        Hint("d/D", "depth", str(net.depth), "depth" in fixed),
        Hint("w/W", "width", str(net.width), "width" in fixed),
        _norm_hint(net, fixed),
        Hint("r", "res", _on_off(net.residual), "residual" in fixed),
        Hint("s/S", "seed", str(net.seed), "seed" in fixed),
    ]
    if s.view == "bars":
        hints += [Hint("m", "metric", s.metric), Hint("y", "plot", s.plot)]
    elif s.view == "compare":
        hints += [
            Hint("m", "metric", s.metric),
            Hint("g", "vs", s.compare_axis),
            Hint("up/dn", "pick"),
        ]
    elif s.view == "train":
        hints += [
            Hint(
                "c",
                "clip",
                clip_text(tc.clip_norm, tc.clip_value),
                bool(fixed & {"clip_norm", "clip_value"}),
            ),
            Hint("o", "opt", tc.optimizer, "optimizer" in fixed),
            Hint("l/L", "lr", f"{tc.lr:g}", "lr" in fixed),
            Hint("enter", "run"),
            Hint("x", "stop"),
            Hint("u", "panels"),
        ]
    elif s.view == "why":
        pass  # the net keys only: the stages are measured on the bars view's profile
    elif s.view == "rnn":
        hints = [
            Hint("n", "cell", rc.cell, "cell" in fixed),
            Hint("t/T", "steps", str(rc.seq_len), "seq_len" in fixed),
            Hint("f", "forget bias", f"{rc.forget_bias:g}", "forget_bias" in fixed),
            Hint("i", "init", rc.recurrent_init, "recurrent_init" in fixed),
            Hint("s/S", "seed", str(rc.seed), "seed" in fixed),
            Hint("y", "plot", s.plot),
        ]
    else:
        return [Hint("a", "act", net.activation)]
    if s.view in NET_VIEWS:
        hints.append(Hint("", "data", data_text(s), "dataset" in fixed))
    if s.view in PLOT_VIEWS:
        hints.append(Hint("e", "re-fit axis"))
    if presets > 1:
        hints.append(Hint("p/P", "preset"))
    return hints
