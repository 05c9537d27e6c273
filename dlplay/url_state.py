"""A page's settings as one typed list, read from and written to the URL.

As TensorFlow Playground's state.ts: every setting a visitor can change has a
name (its URL query key), a kind, a default and its allowed values, so a copied
link opens the same view. Reading never raises: a value that is not understood
falls back to the default and is reported, so the page can say so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Param:
    name: str
    default: Any
    low: float | None = None  # numbers: inclusive bounds
    high: float | None = None
    step: float | None = None
    choices: Sequence[str] | None = None  # choice: the allowed values
    kind: str = "float"  # float | int | choice | bool | floats | text

    def parse(self, raw: str) -> Any:
        """The value `raw` stands for, or ValueError if it is not an allowed value."""
        if self.kind == "text":  # any text up to `high` characters, kept as typed
            if len(raw) > (self.high or 1000):
                raise ValueError(raw[:40])
            return raw
        raw = raw.strip()
        if self.kind == "choice":
            if raw not in self.choices:
                raise ValueError(raw)
            return raw
        if self.kind == "bool":
            if raw.lower() not in ("true", "false"):
                raise ValueError(raw)
            return raw.lower() == "true"
        if self.kind == "floats":
            values = parse_floats(raw)
            if not values:
                raise ValueError(raw)
            for v in values:
                self._check_range(v)
            return values
        value = float(raw)
        if self.kind == "int":
            if not value.is_integer():
                raise ValueError(raw)
            value = int(value)
        self._check_range(value)
        return value

    def _check_range(self, value: float) -> None:
        if not math.isfinite(value):
            raise ValueError(value)
        if self.low is not None and value < self.low:
            raise ValueError(value)
        if self.high is not None and value > self.high:
            raise ValueError(value)


def parse_floats(text: str, limit: int = 64) -> list[float]:
    """'2, 1, 0.1' -> [2.0, 1.0, 0.1]; ValueError for anything else (or more than `limit` numbers)."""
    parts = [p for p in text.replace("，", ",").replace(" ", ",").split(",") if p]
    if len(parts) > limit:
        raise ValueError(text)
    values = [float(p) for p in parts]
    if not all(math.isfinite(v) for v in values):
        raise ValueError(text)
    return values


def read(params: Sequence[Param], query: Mapping[str, str],
         ignore: Sequence[str] = ()) -> tuple[dict, list[tuple[str, str]]]:
    """Settings from a URL query: (values, problems).

    `values` has every param, at its default where the query lacks it or holds
    nonsense; `problems` lists each (key, raw value) that was ignored, unknown
    keys included (except those in `ignore`, which another part of the app reads).
    """
    by_name = {p.name: p for p in params}
    values = {p.name: p.default for p in params}
    problems = []
    for key, raw in query.items():
        if key in ignore:
            continue
        raw = raw[-1] if isinstance(raw, list) else raw
        param = by_name.get(key)
        if param is None:
            problems.append((key, raw))
            continue
        try:
            values[key] = param.parse(raw)
        except (ValueError, TypeError):
            problems.append((key, raw))
    return values, problems


def link_safe(text: str) -> str:
    """`text` as a link can carry it (UTF-8): a character that arrived split in two halves, as JavaScript may send
    one, joined again; a lone half of one, which no encoding can write, as "�"."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def format_value(value: Any) -> str:
    """A value as it stands in a URL: 0.5, 3, true, 2,1,0.1."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(format_value(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def write(params: Sequence[Param], values: Mapping[str, Any]) -> dict[str, str]:
    """The query that reproduces `values`; settings at their default are left out to keep links short."""
    return {
        p.name: format_value(values[p.name])
        for p in params
        if format_value(values[p.name]) != format_value(p.default)
    }
