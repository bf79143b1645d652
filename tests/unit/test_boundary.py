"""Decision-boundary grids: each cell's class is the net's prediction at its centre."""

from dataclasses import replace

import numpy as np
import pytest

from lessons.lab.boundary import (
    MAX_CELLS,
    UNKNOWN,
    decision_grid,
    initial_net,
    start_and_end,
    trained_net,
)
from lessons.lab.config import DATASETS, NetConfig, TrainConfig
from lessons.lab.data import make_dataset
from lessons.lab.train import train


@pytest.mark.parametrize("dataset", DATASETS)
def test_cells_hold_the_predicted_class_at_their_centres_and_cover_the_data(dataset):
    cfg = TrainConfig(net=NetConfig(activation="tanh", depth=2, width=8, batch=64), dataset=dataset)
    net = initial_net(cfg)
    net.params[-1][...] = 0.3  # output bias: both classes appear on the plane
    grid = decision_grid(net, cfg, cols=12, rows=7)
    assert grid.classes.shape == (7, 12)
    for r, y in enumerate(grid.ys):
        for c, x in enumerate(grid.xs):
            logit = net.logits(np.array([[x, y]]))[0]
            assert grid.classes[r, c] == int(logit >= 0)
    X, labels = make_dataset(dataset, n=64, seed=0)
    np.testing.assert_array_equal(grid.points, X)
    np.testing.assert_array_equal(grid.labels, labels)
    step_x, step_y = grid.xs[1] - grid.xs[0], grid.ys[1] - grid.ys[0]
    assert grid.xs[0] - step_x / 2 < X[:, 0].min() and X[:, 0].max() < grid.xs[-1] + step_x / 2
    assert grid.ys[0] - step_y / 2 < X[:, 1].min() and X[:, 1].max() < grid.ys[-1] + step_y / 2
    assert np.all(np.diff(grid.ys) > 0)  # row 0 at the bottom


def test_batch_norm_nets_predict_with_the_training_data_statistics():
    cfg = TrainConfig(net=NetConfig(depth=3, width=8, batch=64, batchnorm=True), steps=5)
    net = trained_net(train(cfg))
    X, _ = make_dataset(cfg.dataset, n=64, seed=0)
    np.testing.assert_allclose(net.logits_against(X, X), net.logits(X), rtol=1e-12)
    one_point = net.logits_against(X[:1], X)[0]
    assert one_point == pytest.approx(
        net.logits(X)[0], rel=1e-12
    )  # alone, it would be its own batch


def test_trained_net_holds_the_final_parameters_and_start_is_the_initial_net():
    cfg = TrainConfig(
        net=NetConfig(activation="relu", init="he", depth=3, width=8, batch=64), steps=4
    )
    result = train(cfg)
    for live, final in zip(trained_net(result).params, result.final_params, strict=True):
        np.testing.assert_array_equal(live, final)
    start, end = start_and_end(result, 10, 5)
    np.testing.assert_array_equal(
        start.classes, decision_grid(initial_net(cfg), cfg, 10, 5).classes
    )
    np.testing.assert_array_equal(
        end.classes, decision_grid(trained_net(result), cfg, 10, 5).classes
    )


@pytest.mark.slow
def test_batch_norm_lets_a_deep_sigmoid_net_draw_the_spiral():
    """The train view's claim: plain deep sigmoid stays near chance, batch norm fits it."""
    plain = TrainConfig(net=NetConfig(depth=20, width=32), steps=300, optimizer="sgd", lr=0.1)
    normed = replace(plain, net=replace(plain.net, batchnorm=True))
    for cfg, low, high in ((plain, 0.0, 0.6), (normed, 0.9, 1.0)):
        result = train(cfg)
        end = start_and_end(result, 40, 20)[1]
        X, y = end.points, end.labels
        step = (end.xs[1] - end.xs[0], end.ys[1] - end.ys[0])
        cols = np.clip(((X[:, 0] - end.xs[0]) / step[0] + 0.5).astype(int), 0, 39)
        rows = np.clip(((X[:, 1] - end.ys[0]) / step[1] + 0.5).astype(int), 0, 19)
        agreement = np.mean(end.classes[rows, cols] == y)
        assert low <= result.accuracies[-1] <= high
        assert low - 0.1 <= agreement <= high


def test_overflowed_cells_are_unknown_and_the_grid_has_a_budget():
    cfg = TrainConfig(
        net=NetConfig(activation="linear", init="standard", depth=2, width=4, batch=16)
    )
    net = initial_net(cfg)
    for w in net.weights:
        w[...] = 1e200  # 10^400 after two layers
    assert np.all(decision_grid(net, cfg, 4, 3).classes == UNKNOWN)
    with pytest.raises(ValueError, match="grid"):
        decision_grid(net, cfg, MAX_CELLS, 2)


def test_the_random_batch_has_no_plane_to_draw():
    cfg = TrainConfig(net=NetConfig(depth=2, width=4, batch=16), dataset="random")
    with pytest.raises(ValueError, match="dataset: a boundary needs a 2-D data set"):
        decision_grid(initial_net(cfg), cfg, 4, 3)
