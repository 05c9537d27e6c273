"""The activations page's settings: everything a visitor can set, by its URL query key."""

from __future__ import annotations

from dlplay.activations.functions import ACTIVATIONS, PLANE_EXTENT
from dlplay.url_state import Param

# The functions a visitor can pick, in the order the pickers list them.
NAMES = tuple(ACTIVATIONS)
# The functions whose gradients the vanishing-gradient chart compares.
CHAIN_ACTIVATIONS = ("sigmoid", "tanh", "relu")

PARAMS = [
    Param("x1", 1.0, -PLANE_EXTENT, PLANE_EXTENT, 0.1),  # the input stays on the drawn plane
    Param("x2", 0.5, -PLANE_EXTENT, PLANE_EXTENT, 0.1),
    Param("w1", 1.0, -5.0, 5.0, 0.1),
    Param("w2", -1.0, -5.0, 5.0, 0.1),
    Param("b", 0.0, -5.0, 5.0, 0.1),
    Param("neuron_f", "sigmoid", choices=NAMES, kind="choice"),
    Param("f", "sigmoid", choices=NAMES, kind="choice"),
    Param("derivative", True, kind="bool"),
    Param("x", 1.0, -6.0, 6.0, 0.1),
    Param("logits", (2.0, 1.0, 0.1), -50.0, 50.0, kind="floats"),
    Param("temperature", 1.0, 0.1, 5.0, 0.1),
    Param("depth", 10, 1, 30, 1, kind="int"),
    Param("chain_x", 0.5, -3.0, 3.0, 0.1),
    Param("chain_w", 1.0, -3.0, 3.0, 0.1),
]
DEFAULTS = {p.name: p.default for p in PARAMS}
