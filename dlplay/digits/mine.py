"""The visitor's own digit reader, trained, taught or uploaded: both §3.1 pages offer it, and it lives in their
session alone."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

MY_MODEL_KEY = "digits.mine"


def my_model(session: Mapping) -> dict | None:
    """The visitor's own digit reader, trained, taught or uploaded, if any: {"model", "name",
    "bytes" (its .keras file, once made), and what made it}. It lives in their session alone."""
    return session.get(MY_MODEL_KEY)


def set_my_model(session: MutableMapping, model, name: str, **about) -> dict:
    session[MY_MODEL_KEY] = mine = {"model": model, "name": name, "bytes": None, **about}
    return mine
