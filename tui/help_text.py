"""What the help says: every screen's keys, what each lab view's elements mean, the rules.

A screen names its topic with `help_topic()` ("course map", "lesson", "quiz",
"exercises", "lab/<view>"); the help screen shows that topic's keys first, then, in the
lab, what every element of the view means, then everything else by section. Keys are
written as shown on screen ("→", "esc", "1-9"); tests check that every key a screen
binds is listed under its topic.
"""

from __future__ import annotations

from dataclasses import dataclass

Entry = tuple[str, str]
"""(keys as shown, what they do) or (an element, what it means)."""

EVERYWHERE: list[Entry] = [
    ("?", "this help"),
    ("esc", "back"),
    ("ctrl+p", "find a lesson"),
    ("q ctrl+c", "quit"),
]

KEYS: dict[str, list[Entry]] = {
    "course map": [
        ("↑ ↓ enter", "choose and open a lesson"),
        ("c", "the next step (named under the title)"),
        ("l", "the highlighted lesson's lab"),
        ("e", "every exercise, ✓ when done"),
        ("R", "reset progress (asks, keeps a backup)"),
    ],
    "exercises": [
        ("↑ ↓ enter", "choose and open an exercise"),
        ("esc", "back"),
    ],
    "lesson": [
        ("→ n space", "next page"),
        ("← p", "previous page"),
        ("n", "on the last page: the next lesson"),
        ("z", "the lesson's quiz; esc comes back here"),
        ("l", "the lesson's lab; esc comes back here"),
        ("e", "the lesson's exercise(s)"),
        ("esc b", "back to the course map"),
    ],
    "quiz": [
        ("↑ ↓", "move between choices"),
        ("space 1-9", "tick / untick a choice"),
        ("enter", "submit, then go on"),
        ("pgup pgdn", "scroll explanations"),
        ("l", "lab; esc returns here"),
        ("n", "at the end: next lesson"),
        ("r", "at the end: retry"),
        ("w", "at the end: review missed"),
        ("esc", "back; quiz keeps its place"),
    ],
    "lab": [
        ("1-6 v V", "view 1-6, next / previous"),
        ("p P", "next / previous preset"),
        ("e", "re-fit the fixed axis"),
        ("pgup pgdn", "scroll a tall chart"),
        ("z", "the lesson's quiz"),
        ("h H", "exercise: hint / back"),
        ("esc", "back (first stops a run)"),
    ],
    "lab/bars": [
        ("a A", "next / previous activation"),
        ("i I", "next / previous init"),
        ("d D", "deeper / shallower"),
        ("w W", "wider / narrower"),
        ("b B", "batch / layer norm on / off"),
        ("r", "residual on / off"),
        ("s S", "next / previous seed"),
        ("m", "metric: weight / signal"),
        ("y", "plot: auto, bars, line"),
        ("F", "float16 floor guide on / off"),
    ],
    "lab/train": [
        ("a A i I", "activation, init"),
        ("d D w W", "depth, width"),
        ("b r s S", "batch norm, residual, seed"),
        ("c C", "clip: off, norm 1, norm 5"),
        ("o", "optimizer: SGD or Adam"),
        ("l L", "learning rate up / down"),
        ("enter", "run the settings shown"),
        ("x", "stop the run"),
        ("u", "panels: curves / diagnostics"),
    ],
    "lab/rnn": [
        ("n N", "cell: vanilla RNN, LSTM, GRU"),
        ("t T", "steps: 10, 25, 50, 100"),
        ("f", "LSTM forget bias 0, 1, 2"),
        ("i I", "init: PyTorch or orthogonal"),
        ("s S", "next / previous seed"),
    ],
    "lab/curves": [
        ("a A", "next / previous activation"),
    ],
    "lab/why": [
        ("a A i I", "activation, init"),
        ("d D w W", "depth, width"),
        ("b r s S", "batch norm, residual, seed"),
    ],
}
KEYS["lab/compare"] = [
    *KEYS["lab/bars"],
    ("g G", "compare by: act, init, fix, depth"),
    ("↑ ↓", "pick a row to draw"),
]

ELEMENTS: dict[str, list[Entry]] = {
    "lab/bars": [
        (
            "L1 … out",
            "one row per layer: layer 1 (next to the input) at the top, the "
            "output layer at the bottom",
        ),
        (
            "bar length",
            "log10 of the layer's gradient norm (Frobenius); one tick to the "
            "left is ten times smaller",
        ),
        (
            "axis",
            "fixed for the session, chosen from the opening preset: it does not move "
            "when you change a setting, so lengths compare across settings",
        ),
        (
            "◂ -12.3",
            "a value beyond the axis is cut at its edge; the marker carries the real number",
        ),
        (
            "ghost marks",
            "where the previous setting's bars ended (dim; another character "
            "in --ascii and NO_COLOR); the legend says now: … · before: …",
        ),
        (
            "line plot",
            "when the bars do not fit the rows, one line: log10 norm against "
            "layer, every layer on screen",
        ),
        (
            "m weight / signal",
            "weight gradient ||dL/dW_l||, what layer l's update is made "
            "of; backward signal ||dL/dh_l||, the gradient reaching layer l's output",
        ),
        (
            "reading",
            "under the chart: layer 1 against the last layer in powers of ten "
            "(10^-6 is a millionth); ! marks an overflow",
        ),
        ("Look for", "what the preset shows, in the lesson's words"),
        (
            "controls strip",
            "each setting with its key and value; struck through: fixed by the exercise",
        ),
    ],
    "lab/compare": [
        ("rows", "the same net with each activation (or init, fix, depth)"),
        ("first, last", "log10 norm of layer 1 and of the last hidden layer"),
        (
            "ratio",
            "first minus last, in decades; negative: the gradient shrinks toward "
            "the input (vanishes)",
        ),
        ("> row", "the picked row; its bars are drawn beside the table on the axis all rows share"),
        ("◂ number", "a value beyond the fixed axis, cut at its edge with its number"),
        ("ghost marks", "the previous setting's bars, with a now: … · before: … legend"),
        ("!", "that net's numbers overflowed"),
    ],
    "lab/train": [
        (
            "loss",
            "training loss over the steps; the first steps are spread out so a quick drop shows",
        ),
        (
            "chance: ln 2 = 0.693",
            "dashed line: the loss of answering 50/50 on the two "
            "classes; a loss stuck on it has learned nothing",
        ),
        (
            "gradient norms",
            "log10 gradient norm of each layer over the steps, one marker "
            "per layer (legend beside the plot)",
        ),
        (
            "moved",
            "how far each layer's weights moved from where they started "
            "(||W - W0||); early layers that hardly move are a symptom",
        ),
        (
            "axis",
            "fixed while settings change; a value beyond it is cut at the edge with its number",
        ),
        ("ghost marks", "the previous run's curve, with a now: … · before: … legend"),
        (
            "reading",
            "loss first -> last; with clipping, the global norm before and "
            "after; diverged: the loss or a gradient was no longer finite",
        ),
    ],
    "lab/rnn": [
        ("t1 … tT", "one row per time step; the loss is on the last step only"),
        ("bar length", "log10 norm of the gradient reaching the hidden state at step t"),
        ("RNN LSTM GRU lines", "the three cells on one axis when drawn as lines"),
        (
            "axis",
            "fixed while settings change; a value beyond it is cut at the edge with its number",
        ),
        ("ghost marks", "the previous setting, with a now: … · before: … legend"),
        (
            "reading",
            "how much of the last step's gradient reaches step 1, for this cell and the other two",
        ),
    ],
    "lab/curves": [
        ("f(x)", "the activation for x from -6 to 6"),
        ("f'(x)", "its derivative: what one layer multiplies a passing gradient by"),
        (
            "max f'",
            "each activation's largest derivative (sigmoid 0.25, tanh and ReLU 1, "
            "GELU about 1.13); below 1, depth shrinks the gradient",
        ),
        ("reading", "where the derivative peaks, and whether it tends to 0 (saturation)"),
    ],
    "lab/why": [
        ("L1 … Ln", "one row per hidden layer: its backward step from dL/dh_l to dL/dh_(l-1)"),
        (
            "stages",
            "log10 of how much each stage scales ||dL/dh||: the activation's slope (█ a), "
            "batch norm (▒ n), the weights W^T (░ w); left of the zero line it shrinks",
        ),
        (
            "total",
            "the measured change over the layer; without skip connections the stages add up "
            "to it, with them it includes the identity path",
        ),
        ("sat", "share of units whose slope is below 1% of its peak (sigmoid, tanh)"),
        ("dead", "share of ReLU-family units whose slope stays at its floor all batch"),
        ("sd", "spread (std) of the layer's outputs"),
        ("reading", "the stage that costs the most over the net, and the signal's total change"),
    ],
}
ELEMENTS["lab/train"] += [
    (
        "u panels",
        "update-to-data ratio log10(std(step)/std(W)) per layer with the dashed -3 rule "
        "of thumb (far below: the layer barely learns); dead and saturated shares over steps",
    ),
    (
        "boundary",
        "on a 2-D data set, the net's class over the plane at step 0 and after the run: "
        ". class 0, : class 1, data o and x",
    ),
]

TOPIC_TITLES = {
    "course map": "course map",
    "exercises": "exercise list",
    "lesson": "lesson",
    "quiz": "quiz",
    "lab/bars": "lab, bars view",
    "lab/compare": "lab, compare view",
    "lab/train": "lab, train view",
    "lab/rnn": "lab, rnn view",
    "lab/curves": "lab, curves view",
    "lab/why": "lab, why view",
}

RULES: list[tuple[str, str]] = [
    (
        "Next step",
        "c on the course map goes to the next unfinished step: the pages of the lesson "
        "you were in, its quiz, its lab, its exercises, then the next lesson. The line "
        "under the title names it. A lesson's last page offers n for the next lesson; a "
        "finished quiz offers n, r and w.",
    ),
    (
        "Scores",
        "The course map's quiz score is your best full attempt (every question in one "
        "go). r retries the whole quiz; a better attempt becomes the best. w reviews only "
        'the questions you missed and ends with "review: 3 of 5 missed questions now '
        'right": those questions are marked mastered and the best attempt stays as it was.',
    ),
    (
        "Feedback",
        "After enter every choice says what it is and what you did: ✓ correct choice, you "
        "ticked it · ✗ correct choice, you missed it · ✓ wrong choice, you left it · ✗ wrong "
        "choice, you ticked it. The mark judges your decision, never the choice. The "
        'first line counts them: "all 4 choices right", "2 of 4 choices right".',
    ),
    (
        "Round trips",
        "l in a quiz opens the question's lab preset; esc comes back to the same "
        "question, ticks and shuffle, or to the same feedback. The lesson reader, the "
        "quiz and the lab keep their place while you are elsewhere.",
    ),
    (
        "Exercises",
        "An exercise opens the lab at its own settings with a task on top. After every "
        "run the goal line says ✓ goal met or ✗ not yet, and why. Settings the exercise "
        "fixes are struck through and their keys refused; h shows the next hint. The "
        "first time the goal is met the exercise is saved as done.",
    ),
]


@dataclass(frozen=True)
class HelpPage:
    """What the help shows for one topic, in order."""

    title: str
    keys: list[Entry]
    """The current screen's keys (in the lab: the view's own and the lab's)."""
    elements: list[Entry]
    """In the lab: what each axis, bar, line, mark and number of the view means."""
    sections: list[tuple[str, list[Entry]]]
    """Every other screen's keys, by screen."""
    rules: list[tuple[str, str]]


def topic_keys(topic: str) -> list[Entry]:
    """The keys listed for `topic` (a lab view gets its own keys, then the lab's)."""
    if topic.startswith("lab/"):
        return [*KEYS.get(topic, []), *KEYS["lab"]]
    return KEYS.get(topic, [])


def help_page(topic: str | None) -> HelpPage:
    """The help for `topic` (None or unknown: every section, none first)."""
    known = topic if topic in TOPIC_TITLES else None
    others = [
        (TOPIC_TITLES.get(name, name), topic_keys(name) if name != "lab" else KEYS["lab"])
        for name in ("course map", "lesson", "quiz", "exercises", *LAB_VIEWS)
        if name != known
    ]
    return HelpPage(
        title=TOPIC_TITLES[known] if known else "vgtutor",
        keys=topic_keys(known) if known else [],
        elements=ELEMENTS.get(known, []) if known else [],
        sections=[*others, ("everywhere", EVERYWHERE)],
        rules=RULES,
    )


LAB_VIEWS = ("lab/bars", "lab/compare", "lab/train", "lab/rnn", "lab/curves", "lab/why")
