"""Every key, and what each plot shows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# Keys

| Where | Key | Does |
|---|---|---|
| everywhere | `?` | this help |
| everywhere | `q` or `ctrl+c` | quit (progress is saved as you go) |
| everywhere | `esc` | back |
| everywhere | `ctrl+p` | find a lesson or lab preset by name |
| course map | `↑` `↓` `enter` | choose and open a lesson |
| course map | `c` | continue where you left off |
| course map | `l` | open the highlighted lesson's lab |
| course map | `e` | every lab exercise, ✓ for the ones you have done |
| course map | `R` | reset progress (asks first, keeps a backup) |
| exercises | `↑` `↓` `enter` | choose and open an exercise in the lab |
| lesson | `→` `n` `space` / `←` `p` | next / previous page |
| lesson | `z` / `l` | the lesson's quiz / lab |
| lesson | `e` | the lesson's exercise (a list if it has several) |
| lesson | `b` | back to the course map, like `esc` |
| quiz | `↑` `↓` `space` or `1`-`9` | move, tick or untick a choice |
| quiz | `enter` | submit, then go to the next question |
| quiz | `pgup` `pgdn` | scroll long explanations |
| quiz | `r` / `w` | at the end: retry reshuffled / redo the ones you missed |
| quiz | `l` | the lab (the question's own preset, if it has one) |
| lab | `1`-`6`, `v` / `V` | views: bars, compare, train, rnn, curves, why |
| lab | `a` / `A` | next / previous activation |
| lab | `i` / `I` | next / previous initialization |
| lab | `d` / `D` | deeper / shallower (1 to 200 layers) |
| lab | `w` / `W` | wider / narrower (8 to 256 units) |
| lab | `b`, `r` | batch norm on/off, residual connections on/off |
| lab | `s` / `S` | next / previous random seed |
| lab | `m` | weight gradient / backward signal |
| lab | `p` / `P` | next / previous preset of the lesson (its settings and its axis) |
| lab | `e` | re-fit the axis (it stays fixed while you change settings) |
| lab | `y` | plot: auto (bars when every layer fits, else a line), bars, line |
| lab | `↑` `↓` `pgup` `pgdn` | scroll a tall chart |
| lab | `z` | the lesson's quiz |
| lab | `h` / `H` | in an exercise: next hint / back toward the task |
| compare | `g` / `G` | compare activations, inits, fixes or depths |
| compare | `↑` `↓` | pick the row whose bars are drawn |
| train | `c` / `C` | clipping: off, global norm 1, global norm 5 |
| train | `o` | optimizer: SGD or Adam |
| train | `l` / `L` | larger / smaller learning rate |
| train | `enter` / `x` | run the settings shown (keys alone never start one) / stop |
| train | `u` | panels: loss and gradients, or update ratio, unit health and boundary |
| rnn | `n` / `N` | cell: vanilla RNN, LSTM, GRU |
| rnn | `t` / `T` | sequence length: 10, 25, 50, 100 |
| rnn | `f` | LSTM forget-gate bias 0, 1 or 2 |
| rnn | `i` | recurrent init: PyTorch-style or orthogonal |

# What the lab shows

**Bars**: one bar per layer, the input layer at the top and the output layer
(`out`) at the bottom. A bar's length is the **log10 of a gradient norm**
(Frobenius): every tick to the left is ten times smaller.

- **Weight gradient** `||dL/dW_l||`: what layer l's update is made of.
- **Backward signal** `||dL/dh_l||`: the gradient that reaches layer l's output.

The two can disagree: with ReLU and Xavier init the signal shrinks layer by layer
while the weight gradients stay level, because the activations grow just as fast.
A label ending in `!`, or a reading starting with `!`, marks a layer whose numbers
overflowed or a training run that diverged.

**Compare**: the same net with each activation (or init, fix, depth). "first" and
"last" are the log10 norms of layer 1 and of the last hidden layer; "ratio" is
first minus last, in decades (negative: the gradient vanishes toward the input).

**Train**: the loss over the steps, each layer's gradient norm over the steps,
and how far each layer's weights moved from where they started.

**RNN**: one bar per time step: the norm of the gradient reaching the hidden
state at step t when the loss is on the last step only.

**Curves**: each activation function and its derivative, with the derivative's
largest value (0.25 for sigmoid, 1 for tanh and ReLU).

**Why**: one row per hidden layer, splitting its backward step into stages, each
the log10 of how much it scales `||dL/dh||`: the activation's slope (█ or `a`), batch
norm (▒ or `n`) and the weights `W^T` (░ or `w`). Left of the `|` a stage shrinks
the signal, right of it one grows it; "total" is the measured change over the
layer (with residual connections it includes the identity path). The strip beside
it is unit health: "sat" the share of units whose slope is below 1% of its peak
(sigmoid, tanh), "dead" the share of ReLU-family units whose slope stays at its
floor for the whole batch, "sd" the spread of the layer's outputs. The reading
names the stage that costs the most.

**Train panels** (`u`): the update-to-data ratio log10(std(step)/std(W)) of the
first, middle and last layer per step, with the dashed rule-of-thumb line at -3
(far below it a layer barely learns); the dead and saturated shares over the
steps; and on a 2-D data set the net's predicted class over the plane (`.` class
0, `:` class 1, data `o` and `x`) at step 0 and after the run.

# Exercises

An exercise opens the lab at its own settings with a task on top. After every
run the goal line says whether the lab's numbers meet the goal (`✓ goal met`) or
not yet (`✗ not yet`), and why. Settings the exercise fixes are struck through and
their keys refused. `h` shows the next hint, one at a time. The first time the
goal is met the exercise is saved as done.

Scroll with `↑` `↓` `pgup` `pgdn`; press `esc` to close.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        # A focused scroll container: the help is taller than 80x24, and the keys
        # (↑ ↓ pgup pgdn home end) must reach all of it.
        with VerticalScroll(id="help-text"):
            yield Markdown(HELP, open_links=False)
