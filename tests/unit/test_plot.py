"""The calendar picture: counts by period and kind, and the Axes drawn (N1-N3)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import matplotlib.figure
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given

from renewal_rules import (
    InvalidInputError,
    InvalidTypeError,
    Subscription,
    TimelineEvent,
    TimelineKind,
    portfolio_timeline,
)
from renewal_rules.frames import subscriptions_table, timeline_table
from renewal_rules.plot import calendar_counts, plot_calendar
from renewal_rules.strategies import portfolios
from tests.factories import AS_OF, make_sub

START, END = date(2027, 1, 1), date(2028, 1, 1)
K = TimelineKind


def _event(on: date, kind: TimelineKind = K.EXPIRED) -> TimelineEvent:
    return TimelineEvent(on=on, kind=kind, subject="S-1")


def test_weeks_start_on_monday_and_every_week_between_is_listed() -> None:  # N3
    events = [
        _event(date(2027, 3, 3)),  # a Wednesday: the week of Monday 1 March
        _event(date(2027, 3, 7), K.CANCELED),  # the Sunday of that week
        _event(date(2027, 3, 22)),
    ]
    assert calendar_counts(events) == {
        date(2027, 3, 1): {"expired": 1, "canceled": 1},
        date(2027, 3, 8): {},
        date(2027, 3, 15): {},
        date(2027, 3, 22): {"expired": 1},
    }


def test_months_run_across_a_year_end_and_kinds_keep_their_order() -> None:  # N3
    events = [
        _event(date(2028, 1, 31), K.CANCELED),
        TimelineEvent(
            on=date(2027, 11, 30),
            kind=K.REMINDER,
            subject="S-1",
            params={"days_before": 30},
        ),
        _event(date(2028, 1, 1), K.RENEWAL_WINDOW_OPENS),
    ]
    counts = calendar_counts(events, period="month")
    assert counts == {
        date(2027, 11, 1): {"reminder": 1},
        date(2027, 12, 1): {},
        date(2028, 1, 1): {"renewal_window_opens": 1, "canceled": 1},
    }
    assert list(counts[date(2028, 1, 1)]) == ["renewal_window_opens", "canceled"]


def test_no_event_no_period() -> None:
    assert calendar_counts([]) == {}
    ax = plot_calendar([])
    assert ax.containers == []
    assert ax.get_legend() is None
    assert ax.get_title() == "0 events, per week and by kind"


def _timeline_rows() -> tuple[list[TimelineEvent], pa.Table]:
    subs = [
        make_sub(),
        make_sub(id="S-2", auto_renew=False),
        make_sub(id="S-3", term_end=date(2027, 8, 1), term_start=date(2026, 8, 1)),
    ]
    rows = subscriptions_table(subs)
    # A bad row (term_end before term_start) gives one row of its error.
    bad = {**rows.to_pylist()[0], "term_end": date(2020, 1, 1)}
    data = pa.Table.from_pylist([*rows.to_pylist(), bad], schema=rows.schema)
    table = timeline_table(data, start=START, end=END)
    return list(portfolio_timeline(subs, start=START, end=END)), table


@pytest.mark.parametrize("kind", ["pyarrow", "polars", "pandas"])
@pytest.mark.parametrize("period", ["week", "month"])
def test_a_timeline_table_counts_as_its_events(kind: str, period: str) -> None:  # N3
    events, table = _timeline_rows()
    assert table.column("error").null_count < table.num_rows  # the bad row is there
    data: object = {
        "pyarrow": table,
        "polars": pl.from_arrow(table),
        "pandas": table.to_pandas(types_mapper=pd.ArrowDtype),
    }[kind]
    assert calendar_counts(data, period=period) == calendar_counts(  # type: ignore[arg-type]
        events,
        period=period,  # type: ignore[arg-type]
    )


def test_pandas_midnight_timestamps_are_dates_and_other_times_are_not() -> None:
    frame = pd.DataFrame(
        {"on": pd.to_datetime(["2027-03-03", "2027-03-04"]), "event": ["expired"] * 2}
    )
    assert calendar_counts(frame) == {date(2027, 3, 1): {"expired": 2}}
    late = pd.DataFrame({"on": [datetime(2027, 3, 3, 12)], "event": ["expired"]})
    with pytest.raises(InvalidInputError, match=r"events\[0\]\.on"):
        calendar_counts(late)
    nulls = pd.DataFrame(
        {
            "on": pd.to_datetime([None, "2027-03-03", None]),
            "event": [float("nan"), "expired", None],
        }
    )
    assert calendar_counts(nulls) == {date(2027, 3, 1): {"expired": 1}}
    missing = pd.DataFrame({"on": pd.to_datetime([None]), "event": ["expired"]})
    with pytest.raises(InvalidInputError, match=r"events\[0\]\.on"):
        calendar_counts(missing)
    aware = pd.DataFrame(
        {"on": [datetime(2027, 3, 3, tzinfo=UTC)], "event": ["expired"]}
    )
    with pytest.raises(InvalidInputError, match=r"events\[0\]\.on"):
        calendar_counts(aware)


@pytest.mark.parametrize(
    ("table", "field"),
    [
        (pa.table({"on": [date(2027, 3, 3)]}), "events"),
        (pl.DataFrame({"event": ["expired"]}), "events"),
        (
            pa.table({"on": [date(2027, 3, 3)], "event": ["renewed"]}),
            r"events\[0\]\.event",
        ),
        (pa.table({"on": [None], "event": ["expired"]}), r"events\[0\]\.on"),
        (pa.table({"on": ["2027-03-03"], "event": ["expired"]}), r"events\[0\]\.on"),
        (
            pa.table({"on": [date(1800, 1, 1)], "event": ["expired"]}),
            r"events\[0\]\.on",
        ),
    ],
)
def test_a_table_that_is_not_a_timeline_is_refused_by_name(
    table: object, field: str
) -> None:
    with pytest.raises(InvalidInputError, match=rf"^{field}:"):
        calendar_counts(table)


@pytest.mark.parametrize(
    ("events", "error", "field"),
    [
        ("expired", InvalidTypeError, "events"),
        (None, InvalidTypeError, "events"),
        ({"on": date(2027, 3, 3)}, InvalidTypeError, "events"),
        ([_event(AS_OF), "expired"], InvalidTypeError, r"events\[1\]"),
        (
            pl.LazyFrame({"on": [AS_OF], "event": ["expired"]}),
            InvalidTypeError,
            "events",
        ),
    ],
)
def test_what_is_not_events_is_refused_by_name(
    events: object, error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=rf"^{field}:"):
        calendar_counts(events)


@pytest.mark.parametrize(
    ("period", "error"), [("day", InvalidInputError), (7, InvalidTypeError)]
)
def test_the_period_is_a_week_or_a_month(
    period: object, error: type[Exception]
) -> None:
    with pytest.raises(error, match=r"^period"):
        calendar_counts([], period=period)  # type: ignore[arg-type]
    with pytest.raises(error, match=r"^period"):
        plot_calendar([], period=period)  # type: ignore[arg-type]


def test_bars_per_kind_are_stacked_counts_and_a_png_is_written(tmp_path: Path) -> None:
    events, _ = _timeline_rows()
    counts = calendar_counts(events, period="month")
    ax = plot_calendar(events, period="month")
    kinds = [kind for kind in TimelineKind if any(kind in c for c in counts.values())]
    assert [c.get_label() for c in ax.containers] == [
        kind.value.replace("_", " ") for kind in kinds
    ]
    below = [0.0] * len(counts)
    for container, kind in zip(ax.containers, kinds, strict=True):
        bars = list(container)
        assert [bar.get_height() for bar in bars] == [
            c.get(kind.value, 0) for c in counts.values()
        ]
        assert [bar.get_y() for bar in bars] == below
        below = [y + bar.get_height() for y, bar in zip(below, bars, strict=True)]
    assert sum(below) == len(events)
    assert ax.get_title() == f"{len(events)} events, per month and by kind"
    legend = ax.get_legend()
    assert legend is not None
    assert [text.get_text() for text in legend.get_texts()] == [
        c.get_label() for c in ax.containers
    ]
    path = tmp_path / "calendar.png"
    figure = ax.get_figure(root=True)
    assert figure is not None
    figure.savefig(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_kind_keeps_its_colour_and_an_axes_given_is_drawn_on() -> None:
    figure = matplotlib.figure.Figure()
    ax = figure.add_subplot()
    assert plot_calendar([_event(AS_OF, K.CANCELED)], ax=ax) is ax
    alone = next(iter(ax.containers[0])).get_facecolor()
    both = plot_calendar([_event(AS_OF), _event(AS_OF, K.CANCELED)])
    assert next(iter(both.containers[1])).get_facecolor() == alone
    with pytest.raises(InvalidTypeError, match=r"^ax"):
        plot_calendar([], ax=figure)  # type: ignore[arg-type]


@given(portfolios(max_size=30))
def test_every_event_is_counted_once(subs: list[Subscription]) -> None:  # N3
    events = portfolio_timeline(subs, start=START, end=END)
    for period in ("week", "month"):
        counts = calendar_counts(events, period=period)
        assert sum(sum(c.values()) for c in counts.values()) == len(events)
        starts = list(counts)
        assert starts == sorted(starts)
        assert all(b - a <= timedelta(days=31) for a, b in itertools.pairwise(starts))
