"""The report's charts, drawn by matplotlib on its Agg backend (no display, no network) as PNG ``data:`` URIs
that the HTML page carries inline. matplotlib is imported when the first chart is drawn, not at import."""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from typing import Any

TOP_SECTIONS = 15
WIDTH_IN, DAY_HEIGHT_IN = 9.0, 3.6


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)  # explicit: the report runs on servers without a display
    import matplotlib.pyplot as plt

    return plt


def _data_uri(figure: Any) -> str:
    plt = _pyplot()
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=96, metadata={"Software": None})
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def stacked_by_day(days: Sequence[str], series: Mapping[str, Sequence[int]], ylabel: str) -> str:
    """Bars per day, stacked by series (only series with a count above 0 are drawn)."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(WIDTH_IN, DAY_HEIGHT_IN))
    bottom = [0] * len(days)
    for name, values in series.items():
        if any(values):
            axes.bar(days, values, bottom=bottom, label=name)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_ylabel(ylabel)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    axes.tick_params(axis="x", labelrotation=60, labelsize="small")
    return _data_uri(figure)


def horizontal_bars(labels: Sequence[str], values: Sequence[int], xlabel: str) -> str:
    """One bar per label, the first at the top (at most :data:`TOP_SECTIONS`)."""
    plt = _pyplot()
    labels, values = list(labels)[:TOP_SECTIONS], list(values)[:TOP_SECTIONS]
    figure, axes = plt.subplots(figsize=(WIDTH_IN, 0.9 + 0.32 * len(labels)))
    axes.barh(labels[::-1], values[::-1], color="#2a6f97")
    axes.set_xlabel(xlabel)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.tick_params(axis="y", labelsize="small")
    return _data_uri(figure)
