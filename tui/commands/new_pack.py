"""`vgtutor new-pack DIR`: write a small, valid lesson pack with every key explained.

Instructors start from a working pack instead of the format reference: two lessons,
two presets, a quiz per lesson and one exercise, each file commented. It passes
`vgtutor check DIR` as written (a test holds it to that). Only the standard library.
"""

# ruff: noqa: E501  (the templates are pack files: a TOML text value stays on one line)

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from lessons.sanitize import clean

PROG = "vgtutor new-pack"
DEFAULT_ID = "my-pack"

MANIFEST = """\
# The manifest of a vgtutor lesson pack. Format reference: lessons/FORMAT.md in vgtutor.
# Check the pack with `vgtutor check FOLDER`; open it with `vgtutor --pack FOLDER`.

format_version = 1              # the pack format this file is written for (only 1 exists)
# The pack's id: lowercase letters, digits and "-". Learners' progress is kept under it.
id = "{pack_id}"
title = "My workshop"           # shown on the course map

preset_files = ["presets.toml"]      # lab presets (this is also the default)
exercise_files = ["exercises.toml"]  # lab exercises (optional: leave out for none)

# One [[lesson]] table per lesson, in course-map order. All five keys are required.
[[lesson]]
id = "why-it-shrinks"                           # unique in the pack
title = "Why the gradient shrinks"              # shown on the course map and the lesson
reading = "readings/01-why-it-shrinks.md"        # Markdown; a line "---" starts a new page
questions = "quizzes/01-why-it-shrinks.toml"    # the lesson's quiz
presets = ["sigmoid-6"]                         # preset ids; the first opens with `l`

[[lesson]]
id = "relu-he"
title = "ReLU with He initialization"
reading = "readings/02-relu-he.md"
questions = "quizzes/02-relu-he.toml"
presets = ["relu-he-6"]
"""

PRESETS = """\
# Lab presets: a named lab configuration a lesson or a question opens.
# Required: id, title, kind, look_for. Every other key is a lab setting; leave one out
# for its default. Settings by kind are listed in lessons/FORMAT.md.

[[preset]]
id = "sigmoid-6"                 # unique in the pack; lessons and questions name it
title = "6-layer sigmoid net"    # shown above the chart
kind = "profile"                 # profile | train | rnn | activations
# What the learner should notice: one line under the chart.
look_for = "The bars get shorter toward the input: layer 1's is the shortest."
activation = "sigmoid"           # sigmoid tanh relu leaky_relu elu gelu silu linear
init = "xavier"                  # small standard xavier he orthogonal
depth = 6                        # hidden layers, 1 to 200
width = 32                       # units per hidden layer, 1 to 1024

[[preset]]
id = "relu-he-6"
title = "6-layer ReLU net, He initialization"
kind = "profile"
look_for = "Layer 1's bar stays within about half a decade of layer 6's: no steady shrinking."
metric = "signal"                # optional: weight (default) or signal, which norm the bars show
activation = "relu"
init = "he"
depth = 6
width = 32
"""

EXERCISES = """\
# Lab exercises: a start configuration, settings the learner must keep, and a goal the
# lab's own numbers must meet. Try it: vgtutor exercise relu-level-signal --pack FOLDER

[[exercise]]
id = "relu-level-signal"          # unique in the pack
title = "Level the backward signal"   # shown in the exercise list and the lab
lesson = "relu-he"                # optional: the lesson it belongs to
kind = "profile"                  # profile | train | rnn: which lab run the goal reads
# The challenge in one paragraph: what to reach and what to keep.
task = "This 6-layer ReLU net starts with tiny weights, so its backward signal fades by about 7 decades on the way to layer 1. Keeping ReLU, the depth and no batch norm or skip connections, keep layer 1's backward signal within half a decade of layer 6's."
locked = ["activation", "depth", "batchnorm", "residual"]  # settings the learner may not change
hints = [                         # shown one at a time, in this order
    "Every layer multiplies the backward signal by its weights: tiny weights shrink it each time.",
    "He initialization (variance 2/fan_in) is made for ReLU.",
]

[exercise.start]                  # the lab settings the exercise starts from
activation = "relu"
init = "small"
depth = 6
width = 32

[exercise.goal]                   # every condition must hold; ranges take min, max or both
signal_log10_ratio = { min = -0.5, max = 0.5 }   # log10(layer 1 / layer 6), backward signal

# Settings that meet the goal, changed from the start: `vgtutor check` runs both and says
# if the start already meets the goal or this does not (never shown to the learner).
[exercise.solution]
init = "he"
"""

READING_1 = """\
## One factor per layer

Backpropagation carries the error signal from the loss back to the
first layer. Each layer it passes multiplies the signal by two things:
the layer's weights and the derivative of its activation.

So the gradient that reaches layer 1 of a deep net is a product of
many factors, one per later layer.

---

## When the factors are small

The sigmoid's derivative is at most 0.25. If every layer shrinks the
signal by a similar factor, the shrinking compounds: ten layers that
each keep a quarter leave about a millionth.

The first layers then get tiny gradients and learn far more slowly
than the last ones. Press `l` to see it in a 6-layer sigmoid net.
"""

READING_2 = """\
## A derivative that does not shrink

ReLU passes positive inputs unchanged, so its derivative is 1 where
a unit is active and 0 where it is not. Active units do not shrink
the backward signal.

---

## Weights of the right size

He initialization draws weights with variance 2 / fan_in. For ReLU
layers this keeps the size of the signal about the same from layer
to layer, forward and backward, so early layers get gradients as
large as late ones.

ReLU has its own failure: a unit whose input is negative for every
example gets no gradient at all and stops learning.
"""

QUIZ_1 = """\
# A quiz file holds [[question]] tables. Any number of choices may be correct; the
# learner must select exactly the correct ones. Every choice explains itself.

[[question]]
id = "why-shrinks-causes"         # unique across all the pack's quiz files
prompt = "A deep net's hidden layers use the sigmoid. Which statements about its gradients are true?"

[[question.choice]]
text = "Each sigmoid layer multiplies the backward signal by the sigmoid's derivative, which is at most 0.25."
correct = true                    # true or false, not a string
explanation = "The derivative s(z)(1 - s(z)) peaks at 0.25 when z = 0 and is smaller everywhere else."

[[question.choice]]
text = "The early layers' gradients are small because the learning rate is too low."
correct = false
explanation = "The learning rate scales every layer's update alike; it does not change how much smaller layer 1's gradient is."

[[question]]
id = "why-shrinks-predict"
prompt = "Predict, then run: in a 6-layer sigmoid net at initialization, which layer's weight gradient is the smallest?"
preset = "sigmoid-6"              # optional: the preset that shows the answer

[[question.choice]]
text = "Layer 1, the first hidden layer."
correct = true
explanation = "Its gradient has passed back through every later layer, shrinking at each one."

[[question.choice]]
text = "Layer 6, the one closest to the loss."
correct = false
explanation = "The signal reaches layer 6 first, so it has been shrunk the fewest times."
"""

QUIZ_2 = """\
[[question]]
id = "relu-he-why"
prompt = "Why does a ReLU net with He initialization keep its early layers' gradients from vanishing?"
preset = "relu-he-6"

[[question.choice]]
text = "ReLU's derivative is 1 wherever a unit is active, so active units do not shrink the signal."
correct = true
explanation = "Unlike the sigmoid's 0.25 at best, a factor of 1 does not compound into a tiny number."

[[question.choice]]
text = "He initialization sets the weight variance to 2 / fan_in, which keeps the signal's size from layer to layer."
correct = true
explanation = "The factor 2 makes up for ReLU zeroing about half of the units."

[[question.choice]]
text = "ReLU units can never stop learning."
correct = false
explanation = "A unit whose input is negative for every example has zero gradient: a dead ReLU stays dead."
"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "new-pack",
        help="write a small, commented example lesson pack to start from",
        description="Write a small lesson pack (two lessons, presets, quizzes and one "
        "exercise, every key commented) into DIR, which must be new or empty. It passes "
        "`vgtutor check DIR` as written.",
    )
    parser.add_argument("folder", metavar="DIR", type=Path, help="where to write the pack")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    if folder.exists() and not folder.is_dir():
        return _fail(f"{folder} exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        return _fail(f"{folder} is not empty; give a new or empty folder")
    files = pack_files(pack_id_for(folder))
    try:
        for rel, text in files.items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("x", encoding="utf-8") as handle:
                handle.write(text)
    except OSError as error:
        return _fail(f"cannot write {folder}: {error.strerror or error}")
    shown = clean(str(folder))
    print(f"wrote {len(files)} files to {shown}: {', '.join(files)}")
    print(f"next: vgtutor check {shown}, then vgtutor --pack {shown}")
    return 0


def pack_id_for(folder: Path) -> str:
    """A valid pack id from the folder's name ("My Pack!" -> "my-pack"), or "my-pack"."""
    words = re.findall(r"[a-z0-9]+", folder.resolve().name.lower())
    return "-".join(words)[:60].strip("-") or DEFAULT_ID


def pack_files(pack_id: str) -> dict[str, str]:
    """The pack's files by path relative to its folder, in the order they are listed."""
    return {
        "pack.toml": MANIFEST.format(pack_id=pack_id),
        "presets.toml": PRESETS,
        "exercises.toml": EXERCISES,
        "readings/01-why-it-shrinks.md": READING_1,
        "readings/02-relu-he.md": READING_2,
        "quizzes/01-why-it-shrinks.toml": QUIZ_1,
        "quizzes/02-relu-he.toml": QUIZ_2,
    }


def _fail(message: str) -> int:
    """One line on stderr; the folder in it is the user's path, so it is cleaned."""
    print(f"{PROG}: error: {clean(message)}", file=sys.stderr)
    return 2
