"""The inside of a network for one drawing, as /digits shows it, for any model a visitor may bring.

``look_inside`` gathers what ``reading`` computes (the first convolution's
filters, the feature maps, the dense layers' activations, the saliency map). A
visitor's uploaded model passed the upload's checks, so running it costs what
was budgeted, but it may be built in a way these views cannot walk: then
``Inside.problem`` says what went wrong, on one line, and the page says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from dlplay.digits import reading
from dlplay.digits.graph import error_text
from dlplay.plain import shorten

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Inside:
    """The first convolution's ``filters`` (None for a network without one), ``maps`` and ``dense`` as
    ``feature_maps`` and ``dense_activations`` give them (the probabilities apart), the ``saliency`` map; or the
    ``problem`` that kept them from being shown."""

    filters: np.ndarray | None = None
    maps: list = ()
    dense: list = ()
    saliency: np.ndarray | None = None
    problem: str = ""


def look_inside(model, image: np.ndarray, label: int | None = None) -> Inside:
    """The inside of ``model`` (Keras, or a shipped model run in numpy) for one 28×28 ``image``; the saliency of
    class ``label`` (the winning class if None)."""
    try:
        return Inside(reading.first_layer_filters(model), reading.feature_maps(model, image),
                      reading.dense_activations(model, image)[:-1], reading.saliency(model, image, label))
    except Exception as error:  # noqa: BLE001 - TensorFlow raises many types for a model it cannot run this way
        log.warning("the inside of model %s cannot be shown: %s", shorten(getattr(model, "name", "?")),
                    error_text(error))
        return Inside(problem=error_text(error))
