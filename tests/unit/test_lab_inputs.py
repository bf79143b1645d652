"""One data set per lab: a profile and step 1 of a training run on the same settings agree."""

import numpy as np
import pytest

from lessons.lab.config import DATA_SOURCES, RANDOM_BATCH, NetConfig, TrainConfig
from lessons.lab.data import lab_inputs, random_batch
from lessons.lab.profile import run_profile
from lessons.lab.train import train


def test_random_batch_labels_follow_the_inputs():
    X, y = random_batch(4096, 16, seed=3)
    assert X.shape == (4096, 16) and y.shape == (4096,)
    assert abs(X.mean()) < 0.02 and abs(X.std() - 1) < 0.02
    np.testing.assert_array_equal(y, (X[:, 0] + X[:, 1] > 0).astype(float))
    assert abs(y.mean() - 0.5) < 0.03


def test_a_one_feature_batch_is_labelled_by_its_sign():
    X, y = random_batch(64, 1, seed=0)
    np.testing.assert_array_equal(y, (X[:, 0] > 0).astype(float))


def test_a_2d_data_set_makes_the_net_2_wide_at_the_input():
    net, X, y = lab_inputs(NetConfig(batch=32, in_dim=16), "circles")
    assert net.in_dim == 2 and X.shape == (32, 2) and y.shape == (32,)
    net, X, _ = lab_inputs(NetConfig(batch=32, in_dim=16), RANDOM_BATCH)
    assert net.in_dim == 16 and X.shape == (32, 16)


def test_an_unknown_data_source_is_named():
    with pytest.raises(ValueError, match="dataset: must be one of random, spirals"):
        lab_inputs(NetConfig(), "moons")


@pytest.mark.parametrize("data", DATA_SOURCES)
@pytest.mark.parametrize("settings", [{}, {"activation": "relu", "batchnorm": True}])
def test_the_profile_equals_step_1_of_a_run(data, settings):
    net = NetConfig(depth=6, width=16, batch=64, seed=2, **settings)
    profile = run_profile(net, data)
    run = train(TrainConfig(net=net, steps=1, dataset=data))
    np.testing.assert_allclose(
        run.grad_norms[0], [layer.weight_grad_norm for layer in profile.layers], rtol=1e-12
    )
    assert run.losses[0] == pytest.approx(profile.loss, rel=1e-12)
