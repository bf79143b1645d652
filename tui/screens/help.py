"""Every key, and what each plot shows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# Keys

| Where | Key | Does |
|---|---|---|
| everywhere | `?` | this help |
| everywhere | `q` | quit (progress is saved as you go) |
| everywhere | `esc` | back |
| course map | `↑` `↓` `enter` | choose and open a lesson |
| course map | `l` | open the highlighted lesson's lab |
| lesson | `→` `n` `space` / `←` `p` | next / previous page |
| lesson | `z` / `l` | the lesson's quiz / lab |
| quiz | `↑` `↓` `space` or `1`-`9` | move, tick or untick a choice |
| quiz | `enter` | submit, then go to the next question |
| lab | `a` | next activation function |
| lab | `m` | show weight gradients or backward signal |

# What the lab shows

One bar per layer, the input layer at the top and the output layer (`out`) at the
bottom. A bar's length is the **log10 of a gradient norm** (Frobenius): every tick
to the left is ten times smaller.

- **Weight gradient** `||dL/dW_l||`: what layer l's update is made of.
- **Backward signal** `||dL/dh_l||`: the gradient that reaches layer l's output.

The two can disagree: with ReLU and Xavier init the signal shrinks layer by layer
while the weight gradients stay level, because the activations grow just as fast.
A label ending in `!` marks a layer whose numbers overflowed (exploding gradients).

Press `esc` to close.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        yield Markdown(HELP, open_links=False, id="help-text")
