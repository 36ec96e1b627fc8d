"""Counting helpers for the summaries: ratios, median, nearest-rank percentile.

Contract: :func:`ratio` returns ``{"hits", "total", "rate"}`` with ``rate`` rounded to 4 places, ``None``
when ``total`` is 0. :func:`percentile` is the nearest-rank percentile (the smallest value with at least
``p`` % of the values at or below it); :func:`median` averages the two middle values of an even count.
Both return ``None`` for no values.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from typing import TypedDict


class Ratio(TypedDict):
    hits: int
    total: int
    rate: float | None


def ratio(hits: int, total: int) -> Ratio:
    return {"hits": hits, "total": total, "rate": round(hits / total, 4) if total else None}


def count(flags: Iterable[bool]) -> Ratio:
    """The ratio of true flags."""
    values = list(flags)
    return ratio(sum(values), len(values))


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]
