"""The lab's state without a screen: settings, key actions, result cache, axes, ghosts."""

import math
from dataclasses import replace

import pytest

from lessons.lab.config import RANDOM_BATCH, NetConfig, RNNConfig, TrainConfig
from lessons.lab.lab_readings import profile_reading, rnn_reading
from lessons.lab.lab_state import (
    KEY_ACTIONS,
    LabSettings,
    LabState,
    Opening,
    ResultCache,
    compute,
    opening_settings,
    profile_key,
    rnn_key,
)
from lessons.lab.lab_views import bars_chart, legend, rnn_chart, session_axis
from lessons.lab.profile import run_profile


def test_the_training_run_follows_the_net_and_the_data():
    s = opening_settings("train", TrainConfig(net=NetConfig(depth=5), dataset="circles"))
    assert s.view == "train" and s.data == "circles" and s.train.net == s.net
    deeper = KEY_ACTIONS["depth"](s, 1)
    assert deeper.train.net.depth == 10 and deeper.train.dataset == "circles"
    assert opening_settings("profile", NetConfig()).data == RANDOM_BATCH


def test_a_compare_preset_opens_the_compare_view():
    s = opening_settings("profile", NetConfig(), "signal", "depths")
    assert (s.view, s.compare_axis, s.metric) == ("compare", "depths", "signal")


@pytest.mark.parametrize("action", sorted(KEY_ACTIONS))
def test_every_key_action_changes_something_and_keeps_settings_valid(action):
    s = replace(LabSettings(), view="rnn" if action in ("seq_len", "next_cell") else "bars")
    delta = 1 if action != "view" else 2
    new = KEY_ACTIONS[action](s, delta)
    assert new != s, action


def test_changed_from_names_settings_in_a_fixed_order():
    s = LabSettings()
    new = KEY_ACTIONS["depth"](KEY_ACTIONS["next_activation"](s, 1), 1)
    assert new.changed_from(s) == ["activation", "depth"]
    assert KEY_ACTIONS["cycle_view"](s, 1).changed_from(s) == []


def test_the_cache_claims_a_key_once_and_forgets_the_oldest():
    cache = ResultCache(size=2)
    assert cache.claim("a") and not cache.claim("a") and cache.pending("a")
    cache.put("a", 1)
    assert not cache.pending("a") and not cache.claim("a") and cache.get("a") == 1
    cache.put("b", 2)
    cache.put("c", 3)
    assert "a" not in cache and cache.get("c") == 3
    assert cache.claim("d")
    cache.release("d")
    assert not cache.pending("d")


def test_a_change_keeps_the_old_settings_as_the_ghost_but_a_view_change_does_not():
    state = LabState(LabSettings())
    tanh = KEY_ACTIONS["next_activation"](state.settings, 1)
    assert state.apply(tanh) and state.before == LabSettings()
    assert state.apply(KEY_ACTIONS["cycle_view"](tanh, 1))
    assert state.before == LabSettings()
    assert not state.apply(state.settings)


def test_presets_restore_their_settings_and_a_fresh_axis():
    a = Opening("a", "A", "look", LabSettings())
    b = Opening("b", "B", "look", opening_settings("profile", NetConfig(depth=20)))
    state = LabState.from_openings([a, b])
    state.keep_axis("bars", (-9, 1))
    state.apply(KEY_ACTIONS["depth"](state.settings, 1))
    assert state.changed() == ["depth"]
    state.restore(1)
    assert state.preset is b and state.settings == b.settings and state.axes == {}
    assert state.before is None and state.changed() == []
    state.restore(2)
    assert state.preset is a


def test_the_axis_is_padded_and_at_least_ten_decades():
    assert session_axis([-5.2, -0.4]) == (-9, 1)
    low, high = session_axis([-40.0, 0.0])
    assert (low, high) == (-41, 1)
    assert session_axis([None, -math.inf]) == (-10, 0)


def _state_with_profiles(*settings: LabSettings) -> LabState:
    state = LabState(settings[0])
    for s in settings:
        state.apply(s)
        state.store(profile_key(s), compute(profile_key(s)))
    return state


def test_the_bars_chart_has_a_ghost_after_a_change_on_the_kept_axis():
    first = LabSettings(net=NetConfig(depth=5, width=16, batch=32))
    state = _state_with_profiles(first)
    chart = bars_chart(state)
    assert chart.series[0].label == "now" and len(chart.series) == 1
    state.keep_axis("bars", chart.axis)
    deeper = KEY_ACTIONS["depth"](first, 1)
    state.apply(deeper)
    state.store(profile_key(deeper), compute(profile_key(deeper)))
    after = bars_chart(state)
    assert after.axis == chart.axis and after.rows[-1] == "out" and len(after.rows) == 11
    ghost = after.series[1]
    assert ghost.ghost and math.isnan(ghost.values[5])  # L6 did not exist at depth 5
    assert ghost.values[0] == chart.series[0].values[0]
    assert ghost.values[-1] == chart.series[0].values[-1]  # "out" faces "out"
    assert after.legend == "now: depth 10 · before: depth 5"


def test_the_legend_says_what_changed():
    s = LabSettings()
    assert legend(KEY_ACTIONS["next_activation"](s, 1), s) == "now: tanh · before: sigmoid"
    assert legend(KEY_ACTIONS["toggle_batchnorm"](s, 1), s) == "now: BN on · before: BN off"


def test_the_rnn_chart_puts_three_cells_on_one_axis():
    s = replace(LabSettings(), view="rnn", rnn=RNNConfig(seq_len=10, hidden=8, batch=4))
    state = LabState(s)
    state.store(rnn_key(s), compute(rnn_key(s)))
    chart = rnn_chart(state)
    assert [x.label for x in chart.series] == ["rnn", "lstm", "gru"]
    assert chart.rows == tuple(f"t{t}" for t in range(1, 11)) and chart.plot == "line"
    assert "(rnn)" in rnn_reading(state.result(rnn_key(s)), "rnn")


def test_readings_say_level_and_underflow_in_words():
    level = run_profile(NetConfig(activation="relu", init="he", depth=20), "random")
    text = profile_reading(level, "signal")
    assert "about the same" in text and "10^-0.0" not in text
    gone = run_profile(NetConfig(activation="sigmoid", init="small", depth=200))
    text = profile_reading(gone)
    assert "underflowed to exactly 0" in text and "10^" not in text
    sigmoid = profile_reading(run_profile(NetConfig(depth=20)))
    assert sigmoid.startswith("layer 1 gets 10^-") and "decades per layer" in sigmoid


def test_the_input_layer_is_called_out_when_it_leaves_the_trend():
    he = run_profile(NetConfig(activation="relu", init="he", depth=20))
    text = profile_reading(he, "weight")
    assert "it is the input layer" in text
