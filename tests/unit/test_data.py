"""Synthetic data sets: seeded, balanced, float64, and invalid names rejected by field."""

import numpy as np
import pytest

from lessons.lab.config import DATASETS
from lessons.lab.data import make_dataset


@pytest.mark.parametrize("name", DATASETS)
def test_every_configured_dataset_is_balanced_float64_and_bounded(name):
    X, y = make_dataset(name, n=101, seed=2)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert set(np.unique(y)) == {0.0, 1.0}
    assert abs(int(y.sum()) - 50) <= 1
    assert np.abs(X).max() < 1.5


@pytest.mark.parametrize("name", DATASETS)
def test_same_seed_same_points_other_seed_other_points(name):
    a, b, c = make_dataset(name, seed=5), make_dataset(name, seed=5), make_dataset(name, seed=6)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_classes_follow_each_shape():
    X, y = make_dataset("xor", n=400)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] > 0).astype(float))
    X, y = make_dataset("circles", n=400)
    radius = np.linalg.norm(X, axis=1)
    assert radius[y == 1].max() < radius[y == 0].min()
    X, y = make_dataset("spirals", n=400)
    # Not separable by any line through the data: a linear fit stays near chance.
    A = np.column_stack([X, np.ones(len(X))])
    w = np.linalg.lstsq(A, 2 * y - 1, rcond=None)[0]
    assert np.mean((A @ w > 0) == (y == 1)) < 0.7


@pytest.mark.parametrize(
    ("args", "field"),
    [(("moons",), "dataset"), (("xor", 1), "n"), (("xor", 2.5), "n"), (("xor", 8, -1), "seed")],
)
def test_invalid_arguments_name_the_field(args, field):
    with pytest.raises(ValueError, match=f"^{field}:"):
        make_dataset(*args)
