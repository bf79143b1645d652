"""`vgtutor exercise ID [settings]`: check a lab configuration against an exercise's goal.

Starts from the exercise's own start settings, applies the flags (named as in
`vgtutor lab` and `vgtutor rnn`), runs the lab through lessons.exercise_goals.check_exercise
and exits 0 when the goal is met, 1 when not, 2 for misuse, so scripts and workshop
graders can use it. The catalog loads when the command runs (so `vgtutor --help` stays
fast) and numpy only when the check runs.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lessons.lab.config import (
    ACTIVATIONS,
    CELLS,
    DATASETS,
    INITS,
    OPTIMIZERS,
    RECURRENT_INITS,
)
from lessons.sanitize import clean
from tui.commands.chart_output import (
    Output,
    UsageError,
    fail,
    flag_error,
    number,
    print_json,
)
from tui.commands.slides import add_slide_flags, print_for_slides, slide_output, wrap

if TYPE_CHECKING:
    from lessons.exercise_goals import Config, Exercise, ExerciseCheck
    from lessons.pack import Pack

PROG = "vgtutor exercise"
LIST_HINT = "`vgtutor exercise --list` lists them"


@dataclass(frozen=True)
class _Flag:
    """One command-line flag and the setting it changes in each kind of exercise."""

    flag: str
    settings: dict[str, str]
    numeric: bool = False


_NET = ("profile", "train")
FLAGS: dict[str, _Flag] = {
    "activation": _Flag("--activation", dict.fromkeys(_NET, "activation")),
    "init": _Flag("--init", dict.fromkeys(_NET, "init")),
    "depth": _Flag("--depth", dict.fromkeys(_NET, "depth"), numeric=True),
    "width": _Flag("--width", dict.fromkeys(_NET, "width"), numeric=True),
    "batchnorm": _Flag("--batchnorm", dict.fromkeys(_NET, "batchnorm")),
    "residual": _Flag("--residual", dict.fromkeys(_NET, "residual")),
    "seed": _Flag("--seed", {"profile": "seed", "train": "seed", "rnn": "seed"}, numeric=True),
    "optimizer": _Flag("--optimizer", {"train": "optimizer"}),
    "lr": _Flag("--lr", {"train": "lr"}, numeric=True),
    "clip_norm": _Flag("--clip-norm", {"train": "clip_norm"}, numeric=True),
    "clip_value": _Flag("--clip-value", {"train": "clip_value"}, numeric=True),
    "dataset": _Flag("--dataset", {"train": "dataset"}),
    "steps": _Flag("--steps", {"train": "steps", "rnn": "seq_len"}, numeric=True),
    "cell": _Flag("--cell", {"rnn": "cell"}),
    "hidden": _Flag("--hidden", {"rnn": "hidden"}, numeric=True),
    "forget_bias": _Flag("--forget-bias", {"rnn": "forget_bias"}, numeric=True),
    "recurrent_init": _Flag("--recurrent-init", {"rnn": "recurrent_init"}),
}
"""Keyed by argparse dest. --steps is training steps in a train exercise and time steps
(seq_len) in an rnn one, as in `vgtutor rnn`."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "exercise",
        help="check a lab configuration against an exercise's goal",
        description="Start from the exercise's settings, change the ones you give, run the "
        "lab and say whether the goal is met. Exit status: 0 met, 1 not met, 2 misuse.",
    )
    parser.add_argument("exercise", nargs="?", metavar="ID", help="exercise id (or PACK/ID)")
    parser.add_argument("--list", action="store_true", help="list the exercises and exit")
    parser.add_argument("--hint", metavar="N", help="also show the first N hints")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    parser.add_argument(
        "--pack",
        action="append",
        default=[],
        type=Path,
        dest="exercise_packs",
        metavar="DIR",
        help="also take exercises from this lesson pack (repeatable)",
    )
    net = parser.add_argument_group("net settings (profile and train exercises)")
    net.add_argument("--activation", choices=ACTIVATIONS)
    net.add_argument("--init", choices=INITS)
    net.add_argument("--depth", metavar="N", help="hidden layers")
    net.add_argument("--width", metavar="N", help="units per hidden layer")
    net.add_argument(
        "--batchnorm", action=argparse.BooleanOptionalAction, help="batch norm in every layer"
    )
    net.add_argument("--residual", action=argparse.BooleanOptionalAction, help="skip connections")
    net.add_argument("--seed", metavar="S", help="random seed (every kind)")
    train = parser.add_argument_group("training settings (train exercises)")
    train.add_argument("--optimizer", choices=OPTIMIZERS)
    train.add_argument("--lr", metavar="RATE", help="learning rate")
    train.add_argument("--clip-norm", metavar="MAX", help="clip the global gradient norm to MAX")
    train.add_argument("--clip-value", metavar="MAX", help="clip each gradient entry to +-MAX")
    train.add_argument("--dataset", choices=DATASETS)
    train.add_argument("--steps", metavar="N", help="training steps; time steps in rnn exercises")
    rnn = parser.add_argument_group("recurrent settings (rnn exercises)")
    rnn.add_argument("--cell", choices=CELLS)
    rnn.add_argument("--hidden", metavar="H", help="hidden units")
    rnn.add_argument("--forget-bias", metavar="B", help="LSTM forget-gate bias")
    rnn.add_argument("--recurrent-init", choices=RECURRENT_INITS)
    slides = parser.add_argument_group("a chart for slides")
    add_slide_flags(slides)
    slides.add_argument("--size", metavar="WxH", help="with --svg: chart size in characters")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        found = _load_exercises([*getattr(args, "pack", []), *args.exercise_packs])
        if args.list:
            if args.exercise is not None:
                raise UsageError("--list: give either --list or an exercise ID, not both")
            return _list(found, args.json)
        if args.exercise is None:
            raise UsageError(f"give an exercise ID; {LIST_HINT}")
        exercise = _find(found, args.exercise)
        hints = _hint_count(args.hint, exercise)
        config = _config(args, exercise)
        _forget_bias_applies(args, config)
        out, svg = slide_output(args)
    except UsageError as err:
        return fail(PROG, err)
    from lessons.exercise_goals import check_exercise, locked_changes

    if svg is not None:
        return print_for_slides(svg, out, lambda o: _with_chart(exercise, config, hints, o), PROG)
    verdict = check_exercise(exercise, config)
    if args.json:
        extra = {"hints": list(exercise.hints[:hints])} if hints else {}
        print_json(
            {
                "exercise": exercise.id,
                "pack": exercise.pack_id,
                "config": asdict(config),
                "met": verdict.met,
                "refused": locked_changes(exercise, config),
                "measured": verdict.measured,
                "message": verdict.message,
                **extra,
            }
        )
    else:
        _print_verdict(exercise, verdict, hints)
    return 0 if verdict.met else 1


def _with_chart(exercise: Exercise, config: Config, hints: int, out: Output) -> int:
    """--svg: the chart of the run the goal is measured on, then the verdict, wrapped."""
    from lessons.exercise_goals import check_exercise, locked_changes, run_lab
    from tui.commands.exercise_chart import exercise_chart

    if locked_changes(exercise, config):
        verdict = check_exercise(exercise, config)  # refused: nothing ran, nothing to draw
    else:
        result = run_lab(config)
        verdict = check_exercise(exercise, config, result)
        print(exercise_chart(exercise, config, result, out))
    _print_verdict(exercise, verdict, hints, out)
    return 0 if verdict.met else 1


def _print_verdict(
    exercise: Exercise, verdict: ExerciseCheck, hints: int, out: Output | None = None
) -> None:
    lines = [f"{exercise.id}: {verdict.message}"]
    if verdict.measured:
        lines.append(
            "measured: " + ", ".join(f"{k} {_shown(v)}" for k, v in verdict.measured.items())
        )
    if not verdict.met:
        lines.append(f"task: {exercise.task}")
    for index, hint in enumerate(exercise.hints[:hints], start=1):
        lines.append(f"hint {index}/{len(exercise.hints)}: {hint}")
    for line in lines:
        print(line if out is None else wrap(out, line))


def _load_exercises(paths: list[Path]) -> list[tuple[Pack, Exercise]]:
    """Every exercise of the built-in course and the given packs, in that order."""
    from lessons.catalog import builtin_pack_path, load_pack

    found = []
    for path in (builtin_pack_path(), *paths):
        if not path.is_dir():
            raise UsageError(f"--pack: {path} is not a folder")
        pack, errors = load_pack(path)
        if pack is None:
            raise UsageError(f"--pack: {path} could not be loaded; `vgtutor check {path}` says why")
        if errors:
            shown = clean(str(path))
            print(
                f"{PROG}: warning: {shown} has {len(errors)} problem(s); "
                f"`vgtutor check {shown}` lists them",
                file=sys.stderr,
            )
        found += [(pack, exercise) for exercise in pack.exercises.values()]
    return found


def _find(found: list[tuple[Pack, Exercise]], wanted: str) -> Exercise:
    """The exercise named `wanted` ("ID" or "PACK/ID"); UsageError if none or several."""
    pack_id, _, exercise_id = wanted.rpartition("/")
    matches = [
        (pack, exercise)
        for pack, exercise in found
        if exercise.id == exercise_id and pack_id in ("", pack.id)
    ]
    if not matches:
        raise UsageError(f"no exercise {wanted!r}; {_suggest(found, wanted)}")
    if len(matches) > 1:
        where = ", ".join(f"{pack.id}/{exercise.id}" for pack, exercise in matches)
        raise UsageError(f"{wanted!r} is in several packs; give one of {where}")
    return matches[0][1]


def _suggest(found: list[tuple[Pack, Exercise]], wanted: str) -> str:
    """Close ids (by spelling), and where pack exercises come from."""
    import difflib

    qualified = "/" in wanted
    ids = [f"{pack.id}/{exercise.id}" if qualified else exercise.id for pack, exercise in found]
    unique = list(dict.fromkeys(ids))
    close = difflib.get_close_matches(wanted, unique, n=3, cutoff=0.7)
    close += [name for name in unique if name.startswith(wanted) and name not in close]
    close = close[:3]
    did_you_mean = f"did you mean {', '.join(close)}? " if close else ""
    return f"{did_you_mean}{LIST_HINT}; an exercise from a lesson pack needs --pack DIR"


def _hint_count(text: str | None, exercise: Exercise) -> int:
    if text is None:
        return 0
    count = number(text)
    total = len(exercise.hints)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= total:
        raise UsageError(f"--hint: must be a whole number from 1 to {total}; got {text!r}")
    return count


def _config(args: argparse.Namespace, exercise: Exercise) -> Config:
    """The exercise's start with the flags' changes; a value out of range names its flag."""
    from lessons.exercise_goals import config_with

    try:
        return config_with(exercise, _changes(args, exercise.kind))
    except ValueError as err:
        raise flag_error(err, _flag_names(exercise.kind)) from None


def _changes(args: argparse.Namespace, kind: str) -> dict[str, Any]:
    """The settings the flags change, by setting name; a flag of another kind is misuse."""
    changes = {}
    for dest, flag in FLAGS.items():
        value = getattr(args, dest)
        if value is None:
            continue
        if kind not in flag.settings:
            raise UsageError(f"{flag.flag}: does not apply to {kind} exercises")
        changes[flag.settings[kind]] = number(value) if flag.numeric else value
    return changes


def _forget_bias_applies(args: argparse.Namespace, config: Config) -> None:
    """--forget-bias changes nothing in a GRU or vanilla RNN: say so rather than ignore it."""
    cell = getattr(config, "cell", None)
    if args.forget_bias is not None and cell != "lstm":
        raise UsageError(f"--forget-bias: only applies to an lstm cell; this exercise's is {cell}")


def _flag_names(kind: str) -> dict[str, str]:
    """Setting name -> the flag that sets it in a `kind` exercise, for error messages."""
    return {f.settings[kind]: f.flag for f in FLAGS.values() if kind in f.settings}


def _list(found: list[tuple[Pack, Exercise]], as_json: bool) -> int:
    if as_json:
        print_json(
            {
                "exercises": [
                    {
                        "id": exercise.id,
                        "pack": pack.id,
                        "title": exercise.title,
                        "lesson": exercise.lesson,
                        "kind": exercise.kind,
                        "task": exercise.task,
                        "locked": list(exercise.locked),
                    }
                    for pack, exercise in found
                ]
            }
        )
        return 0
    width = max((len(exercise.id) for _, exercise in found), default=0)
    for _, exercise in found:
        print(f"{exercise.id:<{width}}  {exercise.title}")
    return 0


def _shown(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)
