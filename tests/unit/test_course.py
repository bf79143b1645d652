"""The built-in course: complete, valid, and every figure it quotes holds on seeds 0-4.

A number a lesson, preset, question or exercise quotes is a claim. Each claim below
names the preset whose settings it is about, the quantity the lab measures and the range
the course's wording allows; the test runs the lab on seeds 0-4 of those settings and
checks every seed. So a change to the lab that breaks a lesson's story fails here, not
in front of a learner.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
import pytest

from lessons.catalog import builtin_pack_path, load_pack
from lessons.lab.activations import get_activation
from lessons.lab.profile import compare_profiles, run_profile
from lessons.lab.rnn import time_profile
from lessons.lab.train import train
from lessons.pack import Pack, Preset

SEEDS = range(5)
LOOK_FOR_WIDTH = 68
"""The lab shows "Look for: " and the text on one line of an 80-column header."""
LN2 = math.log(2.0)
FLOAT16_NORMAL = 6.1e-5
FLOAT16_SUBNORMAL = 6.0e-8


@cache
def course() -> Pack:
    pack, errors = load_pack(builtin_pack_path())
    assert pack is not None and errors == [], errors
    return pack


def _seeded(preset: Preset, seed: int):
    config = preset.config
    if hasattr(config, "net"):
        return replace(config, net=replace(config.net, seed=seed))
    return replace(config, seed=seed)


def _exercise_start(exercise_id: str, **changes) -> Preset:
    """An exercise's starting configuration (with changes), as a preset to run."""
    exercise = course().exercises[exercise_id]
    config = exercise.start
    if changes and hasattr(config, "net"):
        net_changes = {k: v for k, v in changes.items() if hasattr(config.net, k)}
        own = {k: v for k, v in changes.items() if k not in net_changes}
        config = replace(config, net=replace(config.net, **net_changes), **own)
    elif changes:
        config = replace(config, **changes)
    return Preset(exercise_id, exercise.title, exercise.kind, "", config)


EXERCISE_RUNS = {
    "ex-sigmoid-20": ("sigmoid-how-deep", {}),
    "ex-sigmoid-depth-4": ("sigmoid-how-deep", {"depth": 4}),
    "ex-sigmoid-depth-6": ("sigmoid-how-deep", {"depth": 6}),
    "ex-sigmoid-he-20": ("swap-the-activation", {}),
    "ex-silu-he-20": ("swap-the-activation", {"activation": "silu"}),
    "ex-relu-xavier-50": ("relu-50-level-signal", {}),
    "ex-relu-orthogonal-50": ("relu-50-level-signal", {"init": "orthogonal"}),
    "ex-relu-bn-50": ("relu-50-batchnorm-residual", {}),
    "ex-clip-100": ("clip-the-explosion", {"clip_norm": 100.0}),
}
"""Configurations that exercise tasks and hints quote figures for."""


@cache
def run(preset_id: str, seed: int | None = None):
    """Run a preset as the lab does (on `seed` instead of its own); numpy warnings fail."""
    if preset_id in EXERCISE_RUNS:
        exercise_id, changes = EXERCISE_RUNS[preset_id]
        preset = _exercise_start(exercise_id, **changes)
    else:
        preset = course().presets[preset_id]
    config = preset.config if seed is None else _seeded(preset, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if preset.kind == "train":
            return train(config)
        if preset.kind == "rnn":
            return time_profile(config)
        if preset.kind == "activations":
            return get_activation(config.activation)
        if preset.compare:
            return dict(compare_profiles(config, preset.compare))
        return run_profile(config)


# Quantities the course quotes -------------------------------------------------------


def slope(profile, metric: str = "weight") -> float:
    """Decades per layer: the least-squares slope of log10(norm) over the hidden layers,
    counted from the last layer down to layer 1 (negative: the gradient shrinks)."""
    hidden = profile.layers[: profile.config.depth]
    norms = [s.weight_grad_norm if metric == "weight" else s.signal_grad_norm for s in hidden]
    layers = np.arange(1, len(norms) + 1)
    return -float(np.polyfit(layers, np.log10(norms), 1)[0])


def weight(profile) -> float:
    return profile.weight_log10_ratio


def signal(profile) -> float:
    return profile.signal_log10_ratio


def of(label: str, quantity: Callable) -> Callable:
    """The quantity for one entry of a comparison."""
    return lambda results: quantity(results[label])


def layers_dead_from(share: float) -> Callable:
    return lambda p: sum(s.dead_frac >= share for s in p.layers[: p.config.depth])


def mean_saturated(p) -> float:
    return float(np.mean([s.saturated_frac for s in p.layers[: p.config.depth]]))


def bars_below(level: float) -> Callable:
    return lambda p: sum(s.weight_grad_norm < level for s in p.layers)


def first_norm(p) -> float:
    return math.log10(p.layers[0].weight_grad_norm)


def final_loss(r) -> float:
    return float(r.losses[-1]) if r.diverged_at is None else math.inf


def steps_to_chance(r) -> int:
    """First step whose loss is within 0.01 of ln 2 (a 50/50 guess)."""
    near = np.flatnonzero(np.abs(r.losses - LN2) < 0.01)
    return int(near[0]) + 1 if near.size else 10**9


def stays_at_chance(r) -> float:
    """The largest distance from ln 2 after step 5."""
    return float(np.max(np.abs(r.losses[5:] - LN2)))


def act_mean(layer: int) -> Callable:
    return lambda p: p.layers[layer - 1].act_mean


def moved_log10(r, layer: int = 0) -> float:
    return math.log10(r.moved[-1, layer])


def moved_first_vs_last_hidden(r) -> float:
    return math.log10(r.moved[-1, 0] / r.moved[-1, -2])


def first_grad_gap(r) -> float:
    """log10 of layer 1's first gradient over the last hidden layer's."""
    return math.log10(r.grad_norms[0, 0] / r.grad_norms[0, -2])


def first_global_norm(r) -> float:
    return math.log10(r.global_norm_before[0])


def early_peak_loss(r) -> float:
    """The largest loss between steps 21 and 50: past the first blow-up, still swinging."""
    return float(np.max(r.losses[20:50]))


def rnn_ratio(t) -> float:
    return t.log10_ratio


def rnn_far_rate(t) -> float:
    """Decades per step over the first half of the sequence, far from the loss."""
    half = len(t.norms) // 2
    return (math.log10(t.norms[0]) - math.log10(t.norms[half])) / half


@dataclass(frozen=True)
class Claim:
    preset: str
    quote: str
    """Where the course says it, and how."""
    quantity: Callable
    low: float
    high: float


CLAIMS = [
    # Lesson 1
    Claim("sigmoid-10", "L1: 0.4 to 0.7 decades of weight gradient per layer", slope, -0.75, -0.4),
    Claim("sigmoid-10", "L1: layer 1 3.5 to 6.5 decades below layer 10", weight, -6.7, -3.5),
    Claim("sigmoid-10-signal", "L1: signal ~5.7 decades in all", signal, -6.0, -5.4),
    # Lesson 2
    Claim("train-deep-sigmoid", "L2: loss at 0.693 within 5 steps", steps_to_chance, 1, 5),
    Claim("train-deep-sigmoid", "L2: ...and stays there", stays_at_chance, 0, 0.01),
    Claim("train-deep-sigmoid", "L2: layer 1 starts 5-7 decades short", first_grad_gap, -7, -4.9),
    Claim("train-deep-sigmoid", "L2: layer 1 moves a few millionths", moved_log10, -6.1, -5.4),
    Claim(
        "train-deep-sigmoid",
        "L2: last hidden layer moves >1000x more",
        moved_first_vs_last_hidden,
        -5,
        -2.8,
    ),
    Claim("train-deep-relu", "L2: ReLU/He loss falls near 0", final_loss, 0, 0.02),
    # Lesson 3
    Claim("sigmoid-small-10", "L3: ~1.7 decades per layer", slope, -1.8, -1.6),
    Claim("sigmoid-small-10", "L3: layer 1 ~15 decades below", weight, -16, -14),
    # Lesson 4
    *(
        Claim(
            "depth-sweep-sigmoid",
            f"L4: ~0.6 decades per layer at depth {d}",
            of(d, slope),
            -0.8,
            -0.4,
        )
        for d in ("5", "10", "20", "50")
    ),
    Claim("depth-sweep-sigmoid", "L4: depth 5 1.8 to 3.3", of("5", weight), -3.4, -1.7),
    Claim("depth-sweep-sigmoid", "L4: depth 10 3.6 to 6.6", of("10", weight), -6.7, -3.5),
    Claim("depth-sweep-sigmoid", "L4: depth 20 11 to 13", of("20", weight), -13.2, -11.2),
    Claim("depth-sweep-sigmoid", "L4: depth 50 ~30 decades", of("50", weight), -32, -29),
    *(
        Claim("depth-sweep-tanh", f"L4: tanh within a decade at depth {d}", of(d, weight), -1, 1)
        for d in ("5", "10", "20", "50")
    ),
    # Lesson 5
    Claim("compare-activations", "L5: sigmoid ~12 decades", of("sigmoid", weight), -13.2, -11.2),
    *(
        Claim(
            "compare-activations", f"L5: {a} within about half a decade", of(a, weight), -0.6, 0.6
        )
        for a in ("tanh", "relu", "leaky_relu", "elu", "gelu", "silu")
    ),
    *(
        Claim("compare-activations-signal", f"L5: {a} signal ~3", of(a, signal), -3.5, -2.5)
        for a in ("relu", "leaky_relu")
    ),
    *(
        Claim("compare-activations-signal", f"L5: {a} signal ~6", of(a, signal), -6.5, -5.3)
        for a in ("gelu", "silu")
    ),
    *(
        Claim("compare-activations-signal", f"L5: {a} signal under 1", of(a, signal), -1, 1)
        for a in ("tanh", "elu")
    ),
    Claim("relu-20-dead-units", "L5: several layers a fifth dead", layers_dead_from(0.2), 2, 20),
    # Lesson 6
    Claim("compare-inits-relu", "L6: He level", of("he", signal), -1, 1),
    Claim("compare-inits-relu", "L6: Xavier -3", of("xavier", signal), -3.5, -2.5),
    Claim("compare-inits-relu", "L6: orthogonal -3", of("orthogonal", signal), -3.5, -2.5),
    Claim("compare-inits-relu", "L6: small -24 (over 20)", of("small", signal), -25, -20),
    Claim("compare-inits-relu", "L6: standard +14 (over 10)", of("standard", signal), 13, 15),
    Claim(
        "relu-xavier-signal", "L6: ~sqrt 2 per layer", lambda p: slope(p, "signal"), -0.18, -0.13
    ),
    Claim("relu-xavier-signal", "L6: 7.6 to 8.1 decades over 50", signal, -8.1, -7.5),
    Claim("relu-xavier-weight", "L6: weight bars level", weight, -1, 1),
    Claim("relu-he-signal", "L6: He signal level over 50", signal, -1, 1),
    Claim("compare-inits-tanh", "L6/L13: N(0, 1) grows ~6", of("standard", signal), 5.5, 6.5),
    Claim("compare-inits-tanh", "L6/L13: small falls ~21", of("small", signal), -21.5, -20.5),
    Claim("compare-inits-tanh", "L13: Xavier within a decade", of("xavier", signal), -1, 1),
    # Lesson 7
    Claim("sigmoid-20-batchnorm", "L7: within about a decade", weight, -1, 1),
    Claim("relu-20-batchnorm", "L7: 1.0 to 1.3 above", weight, 1.0, 1.35),
    Claim("relu-50-batchnorm", "L7: 3.4 to 3.8 above", weight, 3.3, 3.9),
    # Lesson 8
    Claim("sigmoid-20-residual", "L8: mean activation 0.5 at layer 1", act_mean(1), 0.45, 0.55),
    Claim("sigmoid-20-residual", "L8: ...about 10 at layer 20", act_mean(20), 9, 11),
    Claim("sigmoid-20-residual", "L8: signal level", signal, -0.5, 0.5),
    Claim("sigmoid-20-residual", "L8: weight bars spread 1.2 to 1.8", weight, -1.85, -1.1),
    Claim("fixes-sigmoid-50", "L8: plain ~30 lost", of("none", weight), -32, -29),
    Claim(
        "fixes-sigmoid-50",
        "L8: both fixes within a decade",
        of("batchnorm+residual", weight),
        -1,
        1,
    ),
    Claim("fixes-relu-50", "L8: batch norm alone grows ~4", of("batchnorm", signal), 3.5, 4.5),
    Claim("fixes-relu-50", "L8/L14: skips alone grow ~10", of("residual", signal), 9.5, 11),
    Claim(
        "fixes-relu-50", "L8: both together 1 to 1.7", of("batchnorm+residual", signal), 0.9, 1.8
    ),
    Claim("relu-50-residual", "L14: skips alone grow ~10", signal, 9.5, 11),
    Claim("relu-50-residual-layernorm", "L14: with layer norm 0.3 to 0.5", signal, 0.3, 0.5),
    # Lesson 9
    Claim("train-exploding-clipped", "L9: norm starts near 10^4", first_global_norm, 3.9, 4.4),
    Claim("train-exploding-clipped", "L9: clipped loss falls to ~0", final_loss, 0, 0.01),
    Claim("train-exploding", "L9: diverges at step 5", lambda r: r.diverged_at or 0, 5, 5),
    Claim(
        "train-exploding",
        "L9: loss leaps past 10^100",
        lambda r: math.log10(max(r.losses)),
        100,
        1e9,
    ),
    Claim("train-exploding-clip-value", "L9: swings by hundreds", early_peak_loss, 100, math.inf),
    Claim("train-exploding-clip-value", "L9: ends below 0.05", final_loss, 0, 0.05),
    Claim("tanh-20-large-init", "L9: ~6 decades above", weight, 5.5, 6.5),
    # Lesson 10
    Claim("rnn-tanh-10", "L10: ~2.6 (2.5 to 2.7)", rnn_ratio, -2.75, -2.45),
    Claim("rnn-tanh-25", "L10: ~6.5 (6.1 to 7.4)", rnn_ratio, -7.5, -6.0),
    Claim("rnn-tanh-25", "Q recurrent-25-steps: more than W alone's 5.7", rnn_ratio, -8, -5.8),
    Claim("rnn-tanh-50", "L10: ~13 (12 to 15)", rnn_ratio, -15.5, -12),
    Claim("rnn-tanh-50", "L10: 0.25 to 0.31 per step", lambda t: t.log10_ratio / 49, -0.32, -0.24),
    Claim("rnn-tanh-100", "L10: ~25 (24 to 31)", rnn_ratio, -31, -23.5),
    Claim("rnn-orthogonal", "L10: ~0.08 per step", rnn_far_rate, -0.09, -0.065),
    Claim("rnn-orthogonal", "L10: ~4 decades", rnn_ratio, -4.2, -3.5),
    # Lesson 11
    Claim("rnn-tanh-50", "L11: vanilla far rate -0.25", rnn_far_rate, -0.32, -0.22),
    Claim("lstm-50", "L11: LSTM far rate -0.20", rnn_far_rate, -0.22, -0.18),
    Claim("lstm-50", "L11: LSTM 10 to 11 below", rnn_ratio, -11.3, -10),
    Claim("lstm-forget-bias-1", "L11: far rate -0.07", rnn_far_rate, -0.085, -0.055),
    Claim("lstm-forget-bias-1", "L11: 4.3 to 5.0 below", rnn_ratio, -5.0, -4.2),
    Claim("gru-50", "L11: GRU far rate -0.20", rnn_far_rate, -0.22, -0.18),
    Claim("gru-50", "L11: GRU ~10 below", rnn_ratio, -10.6, -9.8),
    # Lesson 12
    Claim("train-sigmoid-adam", "L12: layer 1 starts 4 to 5 short", first_grad_gap, -5, -4),
    Claim("train-sigmoid-adam", "L12: layer 1 moves as far", moved_first_vs_last_hidden, -0.3, 0.5),
    Claim("train-sigmoid-adam", "L12: Adam's loss ends below 0.4", final_loss, 0, 0.4),
    Claim("train-sigmoid-sgd", "L12: SGD sticks at 0.693", final_loss, LN2 - 0.01, LN2 + 0.01),
    Claim("train-sigmoid-sgd", "L12: layer 1 moves far less", moved_first_vs_last_hidden, -6, -1.5),
    # Exercises' tasks and hints
    Claim("ex-sigmoid-20", "Ex sigmoid-how-deep: about 12 (11 to 13)", weight, -13.2, -11.2),
    Claim("ex-sigmoid-depth-4", "Ex hint: depth 4 within 3", weight, -3, 0),
    Claim("ex-sigmoid-depth-6", "Ex hint: depth 6 not", weight, -10, -3),
    Claim("ex-sigmoid-he-20", "Ex swap-the-activation: ~9.5", signal, -10, -9),
    Claim("ex-silu-he-20", "Ex hint: silu up to 2.5, passes on some seeds", signal, -2.6, 0),
    Claim("ex-relu-xavier-50", "Ex relu-50-level-signal: 7.6 to 8.1", signal, -8.1, -7.5),
    Claim("ex-relu-orthogonal-50", "Ex hint: orthogonal ~7", signal, -7.8, -6.3),
    Claim("ex-relu-bn-50", "Ex relu-50-batchnorm-residual: 3.4-3.8", weight, 3.3, 3.9),
    Claim("ex-clip-100", "Ex hint: clip 100 sticks at 0.693", final_loss, LN2 - 0.02, LN2 + 0.02),
    # Lesson 13
    Claim("compare-inits-sigmoid", "L13: Xavier ~12", of("xavier", weight), -13.2, -11.2),
    Claim("compare-inits-sigmoid", "L6/L13: N(0, 1) ~2", of("standard", weight), -2.6, -1.2),
    Claim(
        "compare-inits-sigmoid",
        "L6/L13: a quarter saturate",
        of("standard", mean_saturated),
        0.2,
        0.3,
    ),
    Claim("compare-inits-sigmoid", "L13: small ~32", of("small", weight), -32.6, -31),
    # Lesson 15
    Claim("lstm-200-forget-bias-1", "L15: ~16 (14 to 17)", rnn_ratio, -17.5, -13.5),
    Claim("rnn-tanh-20", "L15: ~5 (4 to 6)", rnn_ratio, -6, -4),
    # Lesson 16
    Claim("sigmoid-20-float16", "L16: layer 1 ~10^-13", first_norm, -13.8, -12.5),
    Claim(
        "sigmoid-20-float16", "L16: >= 14 of 21 below normal", bars_below(FLOAT16_NORMAL), 14, 21
    ),
    Claim("sigmoid-20-float16", "L16: >= 9 below subnormal", bars_below(FLOAT16_SUBNORMAL), 9, 21),
]


@pytest.mark.slow
@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: f"{c.preset}: {c.quote}")
def test_every_quoted_figure_holds_on_seeds_0_to_4(claim: Claim):
    values = [claim.quantity(run(claim.preset, seed)) for seed in SEEDS]
    assert all(claim.low <= v <= claim.high for v in values), (claim.quote, values)


# The course's shape ------------------------------------------------------------------


def test_the_course_has_sixteen_lessons_and_enough_questions():
    lessons = course().lessons
    assert len(lessons) >= 14
    assert sum(len(lesson.questions) for lesson in lessons) >= 75
    for lesson in lessons:
        assert len(lesson.questions) >= 3, lesson.id
        assert lesson.presets, lesson.id
        assert all(len(page.splitlines()) <= 20 for page in lesson.pages), lesson.id
        # At least one "predict, then run" question per lesson.
        assert any(q.preset for q in lesson.questions), lesson.id
        for question in lesson.questions:
            assert all(choice.explanation.strip() for choice in question.choices)
            # Every question has a distractor or is all-false: none is all-true by design
            # except where every choice needs checking on its own.
            assert len(question.choices) >= 3, question.id


def test_questions_use_every_kind_of_key():
    """Any number of choices may be right: the course has none-right and all-right ones."""
    questions = [q for lesson in course().lessons for q in lesson.questions]
    counts = {len(q.correct_indices) for q in questions}
    assert 0 in counts
    assert any(len(q.correct_indices) == len(q.choices) for q in questions)


def test_reviewed_items_have_a_distractor():
    """The items the review found without a wrong choice now have one."""
    questions = {q.id: q for lesson in course().lessons for q in lesson.questions}
    for qid in ("initialization-pairings", "exploding-clipping-clipped-run"):
        assert len(questions[qid].correct_indices) < len(questions[qid].choices), qid


@pytest.mark.parametrize("preset_id", sorted(course().presets))
def test_every_look_for_fits_the_lab_header(preset_id):
    assert len(course().presets[preset_id].look_for) <= LOOK_FOR_WIDTH


def test_the_seed_scenarios_keep_their_correct_keys():
    """Seeds 000 and 001, retold in our words: the facts the outline says quizzes must cover."""
    questions = {q.id: q for lesson in course().lessons for q in lesson.questions}
    causes = questions["saturation-causes"]
    helps = questions["relu-family-what-helps"]

    def keyed(question, word):
        return [c.correct for c in question.choices if word in c.text.lower()]

    assert keyed(causes, "sigmoid") == [True] and keyed(causes, "tanh") == [True]
    assert keyed(causes, "relu") == [False] and keyed(causes, "batch norm") == [False]
    assert keyed(helps, "relu") == [True] and keyed(helps, "batch norm") == [True]
    assert keyed(helps, "tanh") == [False] and keyed(helps, "large") == [False]


@pytest.mark.slow
@pytest.mark.parametrize("preset_id", sorted(course().presets))
def test_every_preset_runs_without_warnings(preset_id):
    assert run(preset_id) is not None


# Claims that compare runs or need exact values --------------------------------------


def test_lesson_1_worked_number_is_log10_of_a_quarter():
    assert math.log10(0.25) == pytest.approx(-0.60, abs=0.005)
    assert 9 * math.log10(0.25) == pytest.approx(-5.4, abs=0.05)


def test_lesson_3_sigmoid_derivative_peaks_at_a_quarter_tanh_at_one():
    assert run("activation-curves").grad_max == pytest.approx(0.25)
    assert run("activation-curves-tanh").grad_max == pytest.approx(1.0)
    x = np.array([5.0])
    assert run("activation-curves").grad(x)[0] < 0.01
    assert run("activation-curves-tanh").grad(np.array([3.0]))[0] < 0.01


def test_lesson_5_gelu_slope_peaks_near_1_13_and_is_negative_below_minus_0_75():
    gelu = run("activation-curves-gelu")
    assert gelu.grad_max == pytest.approx(1.129, abs=1e-3)
    xs = np.linspace(-6, -0.76, 500)
    assert np.all(gelu.grad(xs) < 0)
    assert gelu.grad(np.array([-0.74]))[0] > 0
    assert gelu.grad(np.array([-math.sqrt(2)]))[0] == pytest.approx(-0.129, abs=2e-3)


@pytest.mark.parametrize("seed", SEEDS)
def test_lesson_6_xavier_relu_bars_sit_far_below_he(seed):
    xavier, he = run("relu-xavier-weight", seed), run("relu-he-signal", seed)
    gap = first_norm(xavier) - first_norm(he)
    assert -8.5 < gap < -7, gap


@pytest.mark.parametrize("seed", SEEDS)
def test_the_rnn_decay_is_mostly_the_init(seed):
    """Lesson 10: W's gain 1/sqrt(3) accounts for most of the per-step decay."""
    per_step = run("rnn-tanh-50", seed).log10_ratio / 49
    init_share = math.log10(1 / math.sqrt(3))
    assert init_share == pytest.approx(-0.24, abs=0.005)
    assert per_step < init_share and init_share / per_step > 0.75


@pytest.mark.parametrize("seed", SEEDS)
def test_lesson_11_gru_ends_a_few_decades_closer_than_the_vanilla_rnn(seed):
    gap = run("gru-50", seed).log10_ratio - run("rnn-tanh-50", seed).log10_ratio
    assert 1.5 < gap < 5.5, gap


@pytest.mark.parametrize("seed", SEEDS)
def test_lesson_11_lstm_decays_slower_than_its_forget_gate_alone(seed):
    assert rnn_far_rate(run("lstm-50", seed)) > math.log10(0.5)
    assert rnn_far_rate(run("lstm-forget-bias-1", seed)) > math.log10(1 / (1 + math.exp(-1)))


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_lesson_12_adam_trains_where_sgd_stalls_without_enlarging_the_gradient(seed):
    adam, sgd = run("train-sigmoid-adam", seed), run("train-sigmoid-sgd", seed)
    assert adam.losses[-1] < sgd.losses[-1] - 0.2
    # Same net, same start: the gradient layer 1 sees at step 1 is just as small...
    assert adam.grad_norms[0, 0] == pytest.approx(sgd.grad_norms[0, 0])
    # ...but Adam's step for layer 1 is far larger relative to it.
    assert adam.step_sizes[0, 0] / adam.grad_norms[0, 0] > 100 * (
        sgd.step_sizes[0, 0] / sgd.grad_norms[0, 0]
    )


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_lesson_9_clipping_stops_the_divergence(seed):
    clipped = run("train-exploding-clipped", seed)
    assert clipped.diverged_at is None
    assert np.all(clipped.global_norm_after <= 1.0 + 1e-9)
    assert clipped.global_norm_before.max() > 100 * clipped.global_norm_after.max()


@pytest.mark.parametrize("seed", SEEDS)
def test_quiz_initialization_pairings_holds(seed):
    """initialization-pairings: which 30-layer pairings keep the signal within a decade."""
    from lessons.lab.config import NetConfig

    def gap(activation: str, init: str) -> float:
        cfg = NetConfig(activation=activation, init=init, depth=30, seed=seed)
        return run_profile(cfg).signal_log10_ratio

    assert abs(gap("tanh", "xavier")) < 1
    assert abs(gap("relu", "he")) < 1
    assert abs(gap("leaky_relu", "he")) < 1
    assert gap("relu", "xavier") < -4
    assert gap("sigmoid", "he") / 29 < -0.4


@pytest.mark.parametrize("seed", SEEDS)
def test_quiz_thirty_layer_sigmoid_batch_norm_closes_the_gap(seed):
    """what-is-no-guarantee and the sigmoid-30 exercise: ~19 decades, batch norm fixes it."""
    from lessons.lab.config import NetConfig

    plain = run_profile(NetConfig(activation="sigmoid", depth=30, seed=seed))
    normed = run_profile(NetConfig(activation="sigmoid", depth=30, batchnorm=True, seed=seed))
    assert -20 < plain.weight_log10_ratio < -17.5
    assert abs(normed.weight_log10_ratio) < 1
