"""How each digit reader of lesson 3a is trained, and which settings can train at all.

Kept apart from ``dlplay.digits.train`` so the command line can refuse bad
settings before TensorFlow starts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ARCHITECTURES = ("tutorial", "ours")
MAX_EPOCHS = 200


@dataclass(frozen=True)
class Recipe:
    """How an architecture is trained when the caller does not say otherwise."""

    epochs: int
    batch_size: int
    learning_rate: float
    augment: bool
    cosine_decay: bool


RECIPES = {
    "tutorial": Recipe(epochs=5, batch_size=32, learning_rate=1e-3, augment=False, cosine_decay=False),
    "ours": Recipe(epochs=12, batch_size=128, learning_rate=2e-3, augment=True, cosine_decay=True),
}


def check_settings(epochs: int, batch_size: int, learning_rate: float) -> None:
    """Raise ValueError with a one-line reason for settings that cannot train."""
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1 (got {epochs})")
    if epochs > MAX_EPOCHS:
        raise ValueError(
            f"{epochs} epochs is more than this lesson allows ({MAX_EPOCHS}); "
            "MNIST needs 5 to 15 (one epoch of 'ours' takes minutes on a CPU)"
        )
    if batch_size < 1:
        raise ValueError(f"batch size must be at least 1 (got {batch_size})")
    if not math.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"learning rate must be a positive finite number (got {learning_rate})")
