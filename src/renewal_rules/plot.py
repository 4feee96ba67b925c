"""A picture of the calendar: a timeline's events per week or month, by kind.

Needs the ``plot`` extra (``pip install renewal_rules[plot]``: matplotlib);
the core never imports this module. Nothing here touches matplotlib's global
state: without an ``ax``, [`plot_calendar`][renewal_rules.plot.plot_calendar]
draws on a new ``Figure`` of its own (no ``pyplot``), so it runs headless and
in any thread, and ``ax.figure.savefig(...)`` writes it.

Examples:
    >>> from datetime import date
    >>> from renewal_rules import portfolio_timeline
    >>> from renewal_rules.sample import SAMPLE_PORTFOLIO, SAMPLE_POLICY
    >>> events = portfolio_timeline(
    ...     SAMPLE_PORTFOLIO, start=date(2027, 3, 1), end=date(2027, 7, 1),
    ...     policy=SAMPLE_POLICY,
    ... )
    >>> counts = calendar_counts(events, period="month")
    >>> counts[date(2027, 4, 1)]
    {'reminder': 4, 'expired': 3, 'access_removed': 2, 'canceled': 1}
    >>> ax = plot_calendar(events, period="month")
    >>> [container.get_label() for container in ax.containers][:3]
    ['renewal window opens', 'reminder', 'auto quote']
    >>> ax.containers[1].datavalues.tolist()  # reminders in March to June
    [7, 4, 2, 0]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

try:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator
except ImportError as error:  # pragma: no cover - the extra is installed in tests
    raise ImportError(
        "renewal_rules.plot needs the 'plot' extra: pip install renewal_rules[plot]"
    ) from error

from renewal_rules import _validators as v
from renewal_rules.errors import InvalidInputError, InvalidTypeError
from renewal_rules.timeline import TimelineEvent, TimelineKind

__all__ = ["PERIODS", "Period", "calendar_counts", "plot_calendar"]

Period = Literal["week", "month"]
"""What a calendar counts by: ``"week"`` or ``"month"``."""
PERIODS: tuple[Period, ...] = ("week", "month")
"""The periods a calendar counts by: ISO weeks (from Monday) or months."""

# A bar a little narrower than its period, so that periods stay apart.
_WIDTH_DAYS = {"week": 5.5, "month": 24.0}


def _period_start(day: date, period: Period) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _label(kind: TimelineKind) -> str:
    return kind.value.replace("_", " ")


def _check_period(period: object) -> Period:
    if type(period) is not str:
        raise InvalidTypeError("period", period, "expected 'week' or 'month'")
    if period not in PERIODS:
        raise InvalidInputError("period", period, "expected 'week' or 'month'")
    return period


def _table_columns(data: Any) -> tuple[list[Any], list[Any]] | None:
    """The ``on`` and ``event`` cells of a `timeline_table` result, or ``None``."""
    module = type(data).__module__.split(".")[0]
    names: Iterable[Any]
    column: Callable[[str], list[Any]]
    if module == "polars" and hasattr(data, "get_column"):
        names, column = data.columns, lambda name: data.get_column(name).to_list()
    elif module == "pyarrow" and hasattr(data, "column_names"):
        names, column = data.column_names, lambda name: data.column(name).to_pylist()
    elif module == "pandas" and hasattr(data, "columns"):
        names, column = data.columns, lambda name: data[name].tolist()
    else:
        return None
    missing = [name for name in ("on", "event") if name not in list(names)]
    if missing:
        raise InvalidInputError(
            "events", data, f"a timeline_table result has no column {missing[0]!r}"
        )
    return column("on"), column("event")


def _is_null(value: object) -> bool:
    # How pandas holds a null cell (pd.NA, pd.NaT, NaN), without pandas.
    if isinstance(value, float):
        return math.isnan(value)
    return value is None or type(value).__name__ in {"NAType", "NaTType"}


def _day(row: int, value: object) -> date:
    if _is_null(value):
        value = None  # refused below as a missing date, whatever the null
    # A midnight timestamp is how pandas and some engines hold a date; any
    # other time of day is not a date.
    if isinstance(value, datetime):
        if value.time() != time(0) or value.tzinfo is not None:
            raise InvalidInputError(f"events[{row}].on", value, "expected a date")
        value = value.date()
    return v.check_date(f"events[{row}].on", value)


def _pairs(events: object) -> Iterable[tuple[date, TimelineKind]]:
    columns = _table_columns(events)
    if columns is not None:
        for row, (on, event) in enumerate(zip(*columns, strict=True)):
            if _is_null(on) and _is_null(event):
                continue  # a bad input row: its error, not an event
            if event not in TimelineKind.__members__.values():
                raise InvalidInputError(
                    f"events[{row}].event", event, "expected a TimelineKind value"
                )
            yield _day(row, on), TimelineKind(event)
        return
    for row, event in enumerate(v.items("events", events)):
        if not isinstance(event, TimelineEvent):
            raise InvalidTypeError(f"events[{row}]", event, "expected a TimelineEvent")
        yield event.on, event.kind


def calendar_counts(
    events: object, *, period: Period = "week"
) -> dict[date, dict[str, int]]:
    """Count ``events`` by period and kind: what the calendar draws.

    Args:
        events: a timeline ([`portfolio_timeline`][renewal_rules.portfolio_timeline]'s
            result, or any iterable of [`TimelineEvent`][renewal_rules.TimelineEvent]),
            or a [`timeline_table`][renewal_rules.frames.timeline_table] result (a
            Polars or pandas ``DataFrame`` or a pyarrow ``Table`` with the
            columns ``on`` and ``event``; rows of bad input rows, whose ``on``
            and ``event`` are null, are not events and are left out).
        period: ``"week"`` (weeks from Monday) or ``"month"``.

    Returns:
        Each period's first day, every period from the first event's to the
        last event's (a period with no event maps to ``{}``), in order; each
        maps a kind's value to its count, kinds in
        [`TimelineKind`][renewal_rules.TimelineKind] order.

    Raises:
        InvalidTypeError: ``events`` is neither, or an item is not an event.
        InvalidInputError: a bad ``period``, a table without ``on`` or
            ``event``, a cell that is not a date or a kind.
    """
    shown = _check_period(period)
    counts: dict[date, dict[TimelineKind, int]] = {}
    for on, kind in _pairs(events):
        per_kind = counts.setdefault(_period_start(on, shown), {})
        per_kind[kind] = per_kind.get(kind, 0) + 1
    if not counts:
        return {}
    out: dict[date, dict[str, int]] = {}
    current, last = min(counts), max(counts)
    while True:
        found = counts.get(current, {})
        out[current] = {
            kind.value: found[kind] for kind in TimelineKind if kind in found
        }
        if current == last:
            return out
        current = _next(current, shown)


def _next(start: date, period: Period) -> date:
    if period == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def plot_calendar(
    events: object, *, period: Period = "week", ax: Axes | None = None
) -> Axes:
    """Draw ``events`` as a calendar: bars per period, stacked by kind.

    One bar container per kind that occurs (labelled with the kind's words,
    ``"auto renewal"``), in [`TimelineKind`][renewal_rules.TimelineKind] order from the
    bottom; each bar's height is that kind's count in the period. The title gives the
    number of events.

    Args:
        events: what [`calendar_counts`][renewal_rules.plot.calendar_counts] takes.
        period: ``"week"`` or ``"month"``.
        ax: the ``Axes`` to draw on; by default one of a new ``Figure``.

    Returns:
        The ``Axes`` drawn on (``ax.figure.savefig("calendar.png")`` writes it).

    Raises:
        InvalidTypeError: as [`calendar_counts`][renewal_rules.plot.calendar_counts], or
            an ``ax`` that is not a matplotlib ``Axes``.
        InvalidInputError: as [`calendar_counts`][renewal_rules.plot.calendar_counts].
    """
    if ax is not None and not isinstance(ax, Axes):
        raise InvalidTypeError("ax", ax, "expected a matplotlib Axes")
    counts = calendar_counts(events, period=period)
    if ax is None:
        ax = Figure(figsize=(10, 4), layout="constrained").add_subplot()
    _draw(ax, counts, period)
    return ax


def _draw(ax: Axes, counts: Mapping[date, Mapping[str, int]], period: Period) -> None:
    # matplotlib's stubs do not list dates, which its unit converters plot.
    starts: Any = list(counts)
    bottom = [0] * len(starts)
    for index, kind in enumerate(TimelineKind):
        heights = [counts[start].get(kind.value, 0) for start in starts]
        if not any(heights):
            continue
        ax.bar(
            starts,
            heights,
            width=_WIDTH_DAYS[period],
            bottom=bottom,
            align="edge",
            label=_label(kind),
            # A kind keeps its colour whichever kinds a calendar shows.
            color=f"C{index}",
        )
        bottom = [below + height for below, height in zip(bottom, heights, strict=True)]
    total = sum(bottom)
    ax.set_title(f"{total:,} events, per {period} and by kind")
    ax.set_ylabel("events")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if total:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
