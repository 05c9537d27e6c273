"""Lesson 3a against the full MNIST in the shared data folder (skips on a fresh clone)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from dlplay.digits import model as digits
from dlplay.digits.data import load_sample, read_npz

# Floors on the official 10,000 MNIST test images.
FLOORS = {"tutorial": 0.98, "ours": 0.993}


@pytest.fixture(scope="module")
def mnist(shared_data):
    return read_npz(shared_data / "mnist" / "mnist.npz")


def test_full_mnist_is_the_official_set(mnist):
    assert hashlib.sha256(mnist["x_test"].tobytes()).hexdigest() == (
        "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161"
    )


def test_shipped_sample_is_cut_from_mnist(mnist):
    sample = load_sample()
    np.testing.assert_array_equal(sample["x_test"], mnist["x_test"])
    np.testing.assert_array_equal(sample["y_test"], mnist["y_test"])
    np.testing.assert_array_equal(sample["x_train"], mnist["x_train"][:60_000])
    np.testing.assert_array_equal(sample["y_train"], mnist["y_train"][:60_000])


@pytest.mark.parametrize("name", digits.MODELS)
def test_shipped_models_on_the_official_test_set(mnist, name):
    accuracy = digits.accuracy(digits.load_model(name), mnist["x_test"], mnist["y_test"])
    print(f"\n{name}: {accuracy:.4f} on the official {len(mnist['y_test'])} MNIST test images")
    assert accuracy >= FLOORS[name]
