"""The XOR page's settings in its URL: each model's defaults, reading a link, writing one.

The two models have different defaults (the tutorial's are its own: seed 42,
learning rate 0.1, 10,000 epochs), so a link is read in two passes: first the
model, then everything else against that model's defaults. The command line
reads its options by the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dlplay import url_state as url_settings
from dlplay.url_state import Param
from dlplay.xor.numpy_net import ACTIVATIONS, INITS, LOSSES, MODELS, Config

# The settings that shape only the MLP: the tutorial's neuron has no hidden layer and its own loss and start.
MLP_ONLY = ("hidden", "activation", "loss", "init")
TUTORIAL_DEFAULTS = Config()
# H = 4 tanh neurons, Glorot-uniform weights and MSE solve XOR from 10 of seeds
# 0-9 within 5,000 epochs at learning rate 0.5 (tests/unit/test_xor.py).
MLP_DEFAULTS = Config(model="mlp", hidden=4, activation="tanh", loss="mse",
                        lr=0.5, epochs=5000, seed=0, init="xavier")
MAX_EPOCHS = 100_000
MAX_HIDDEN = 8


def defaults(model: str) -> Config:
    return TUTORIAL_DEFAULTS if model == "tutorial" else MLP_DEFAULTS


def params_for(model: str) -> list[Param]:
    """The URL settings, with the defaults of `model`."""
    d = defaults(model)
    return [
        Param("model", TUTORIAL_DEFAULTS.model, choices=MODELS, kind="choice"),
        Param("hidden", d.hidden, 1, MAX_HIDDEN, 1, kind="int"),
        Param("activation", d.activation, choices=ACTIVATIONS, kind="choice"),
        Param("loss", d.loss, choices=LOSSES, kind="choice"),
        Param("lr", d.lr, 0.0001, 1000.0, 0.01),
        Param("epochs", d.epochs, 0, MAX_EPOCHS, 100, kind="int"),
        Param("seed", d.seed, 0, 2**32 - 1, 1, kind="int"),
        Param("init", d.init, choices=INITS, kind="choice"),
    ]


def parse_settings(query: Mapping[str, Any], ignore=()) -> tuple[Config, list[tuple[str, str]]]:
    """Settings from URL query params: (settings, problems); never raises.

    A value that is not a number, out of range or not a known choice falls back
    to the model's default and is listed in `problems` as (param, raw value), as
    is a key this page does not know (unless in `ignore`).
    """
    try:
        query = {str(k): (v[-1] if isinstance(v, (list, tuple)) and v else v) for k, v in dict(query).items()}
        query = {k: v if isinstance(v, str) else str(v) for k, v in query.items()}
    except Exception:  # noqa: BLE001 - a query that is not even a mapping of strings
        return TUTORIAL_DEFAULTS, [("query", repr(query))]
    model, _ = url_settings.read(params_for("tutorial")[:1], {"model": query.get("model", "tutorial")})
    values, problems = url_settings.read(params_for(model["model"]), query, ignore=ignore)
    return Config(**values), problems


def settings_to_query(settings: Config) -> dict[str, str]:
    """The URL query that reproduces `settings` (defaults left out; MLP-only keys only for the MLP)."""
    values = {k: getattr(settings, k) for k in Config.__dataclass_fields__}
    query = url_settings.write(params_for(settings.model), values)
    if "lr" in query:
        query["lr"] = repr(float(settings.lr))  # every digit, so the link trains the same run
    if settings.model == "tutorial":
        query = {k: v for k, v in query.items() if k not in MLP_ONLY}
    return query
