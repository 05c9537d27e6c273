"""§3.1 against the full MNIST in the shared data folder (skips on a fresh clone).

The shipped models' accuracy on the official test set is tested in test_digits.py: the shipped
test images are the official ones (checked here).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from dlplay.digits.data import load_sample, read_npz


@pytest.fixture(scope="module")
def mnist(shared_data):
    return read_npz(shared_data / "mnist" / "mnist.npz")


def test_full_mnist_is_the_official_set(mnist):
    assert hashlib.sha256(mnist["x_test"].tobytes()).hexdigest() == (
        "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161"
    )


def test_shipped_mnist_is_all_of_mnist(mnist):
    sample = load_sample()
    np.testing.assert_array_equal(sample.x_test, mnist["x_test"])
    np.testing.assert_array_equal(sample.y_test, mnist["y_test"])
    np.testing.assert_array_equal(sample.x_train, mnist["x_train"])
    np.testing.assert_array_equal(sample.y_train, mnist["y_train"])

