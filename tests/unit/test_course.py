"""The built-in course: complete, valid, and every lab preset shows what its lesson claims.

The claims are checked against the lab's own numbers, so a change to the lab that
breaks a lesson's story fails here, not in front of a learner.
"""

import warnings
from functools import cache

import pytest

from lessons.catalog import builtin_pack_path, load_pack
from lessons.lab.activations import get_activation
from lessons.lab.profile import compare_profiles, run_profile
from lessons.lab.rnn import time_profile
from lessons.lab.train import train
from lessons.pack import Pack, Preset


@cache
def course() -> Pack:
    pack, errors = load_pack(builtin_pack_path())
    assert pack is not None and errors == [], errors
    return pack


@cache
def run(preset_id: str):
    """Run a preset exactly as the lab does; numpy warnings fail the test."""
    preset: Preset = course().presets[preset_id]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if preset.kind == "train":
            return train(preset.config)
        if preset.kind == "rnn":
            return time_profile(preset.config)
        if preset.kind == "activations":
            return get_activation(preset.config.activation)
        if preset.compare:
            return dict(compare_profiles(preset.config, preset.compare))
        return run_profile(preset.config)


def test_the_course_has_twelve_lessons_and_enough_questions():
    lessons = course().lessons
    assert len(lessons) == 12
    assert sum(len(lesson.questions) for lesson in lessons) >= 45
    for lesson in lessons:
        assert len(lesson.questions) >= 3, lesson.id
        assert lesson.presets, lesson.id
        assert all(len(page.splitlines()) <= 20 for page in lesson.pages), lesson.id
        # At least one "predict, then run" question per lesson.
        assert any(q.preset for q in lesson.questions), lesson.id
        for question in lesson.questions:
            assert all(choice.explanation.strip() for choice in question.choices)


def test_questions_use_every_kind_of_key():
    """Any number of choices may be right: the course has none-right and all-right ones."""
    questions = [q for lesson in course().lessons for q in lesson.questions]
    counts = {len(q.correct_indices) for q in questions}
    assert 0 in counts
    assert any(len(q.correct_indices) == len(q.choices) for q in questions)


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


# What each lesson's demonstration must show, in the lab's own numbers ----------


def test_lesson_1_sigmoid_loses_decades_over_ten_layers():
    assert run("sigmoid-10").weight_log10_ratio < -4


def test_lesson_2_deep_sigmoid_training_stalls_and_layer_1_barely_moves():
    stuck, healthy = run("train-deep-sigmoid"), run("train-deep-relu")
    assert stuck.losses[-1] > 0.6 > 0.1 > healthy.losses[-1]
    assert stuck.moved[-1, 0] < 1e-3 * stuck.moved[-1, -1]


def test_lesson_3_sigmoid_derivative_peaks_at_a_quarter_tanh_at_one():
    assert run("activation-curves").grad_max == pytest.approx(0.25)
    assert run("activation-curves-tanh").grad_max == pytest.approx(1.0)
    assert run("sigmoid-small-10").weight_log10_ratio < run("sigmoid-10").weight_log10_ratio - 5


def test_lesson_4_the_loss_compounds_with_depth():
    ratios = [p.weight_log10_ratio for p in run("depth-sweep-sigmoid").values()]
    assert ratios == sorted(ratios, reverse=True)
    assert ratios[-1] < -25


def test_lesson_5_relu_family_keeps_gradients_sigmoid_does_not():
    by_activation = run("compare-activations")
    assert by_activation["sigmoid"].weight_log10_ratio < -8
    for name in ("tanh", "relu", "leaky_relu", "elu", "gelu", "silu"):
        assert abs(by_activation[name].weight_log10_ratio) < 1, name
    assert run("activation-curves-gelu").grad_max == pytest.approx(1.129, abs=1e-3)


def test_lesson_6_he_init_keeps_relu_first_layer_gradient_small_init_does_not():
    by_init = run("compare-inits-relu")
    assert by_init["he"].signal_log10_ratio > by_init["small"].signal_log10_ratio + 10
    assert abs(by_init["he"].signal_log10_ratio) < 1
    xavier = run("relu-xavier-signal")
    assert xavier.signal_log10_ratio < -5 and abs(xavier.weight_log10_ratio) < 1.5


def test_lesson_7_batch_norm_rescues_sigmoid_and_makes_relu_grow():
    assert abs(run("sigmoid-20-batchnorm").weight_log10_ratio) < 1
    assert run("relu-20-batchnorm").weight_log10_ratio > 0.8
    assert run("relu-50-batchnorm").weight_log10_ratio > run("relu-20-batchnorm").weight_log10_ratio


def test_lesson_8_skip_connections_keep_the_backward_signal():
    assert abs(run("sigmoid-20-residual").signal_log10_ratio) < 1
    fixes = run("fixes-sigmoid-50")
    assert fixes["none"].weight_log10_ratio < -20
    assert abs(fixes["batchnorm+residual"].weight_log10_ratio) < 1.5


def test_lesson_9_clipping_stops_the_divergence():
    assert run("train-exploding").diverged_at is not None
    clipped = run("train-exploding-clipped")
    assert clipped.diverged_at is None
    assert clipped.global_norm_before.max() > 100 * clipped.global_norm_after.max()
    assert run("tanh-20-large-init").weight_log10_ratio > 4


def test_lesson_10_a_vanilla_rnn_forgets_with_sequence_length():
    ratios = [run(p).log10_ratio for p in ("rnn-tanh-10", "rnn-tanh-25", "rnn-tanh-50")]
    assert ratios == sorted(ratios, reverse=True)
    assert -7.5 < run("rnn-tanh-25").log10_ratio < -5.5
    assert run("rnn-orthogonal").log10_ratio > run("rnn-tanh-50").log10_ratio + 5


def test_lesson_11_gated_cells_keep_more_gradient():
    vanilla = run("rnn-tanh-50").log10_ratio
    assert run("lstm-50").log10_ratio > vanilla
    assert run("gru-50").log10_ratio > vanilla
    assert run("lstm-forget-bias-1").log10_ratio > run("lstm-50").log10_ratio + 3


def test_lesson_12_adam_trains_where_sgd_stalls_without_enlarging_the_gradient():
    adam, sgd = run("train-sigmoid-adam"), run("train-sigmoid-sgd")
    assert adam.losses[-1] < sgd.losses[-1] - 0.2
    # Same net, same start: the gradient layer 1 sees at step 1 is just as small...
    assert adam.grad_norms[0, 0] == pytest.approx(sgd.grad_norms[0, 0])
    # ...but Adam's step for layer 1 is far larger relative to it.
    assert adam.step_sizes[0, 0] / adam.grad_norms[0, 0] > 100 * (
        sgd.step_sizes[0, 0] / sgd.grad_norms[0, 0]
    )
