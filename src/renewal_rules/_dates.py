"""Anchored calendar-month arithmetic (private).

Term ends are computed from the anchor day, never by adding a month to an
already-clamped date: that is how Jan 31 would drift to the 28th forever.

>>> from datetime import date
>>> add_months_anchored(date(2027, 1, 31), 1, anchor_day=31)
datetime.date(2027, 2, 28)
>>> add_months_anchored(date(2027, 2, 28), 1, anchor_day=31)
datetime.date(2027, 3, 31)
>>> add_months_anchored(date(2028, 1, 31), 1, anchor_day=31)
datetime.date(2028, 2, 29)
>>> add_months_anchored(date(2028, 2, 29), 12, anchor_day=29)
datetime.date(2029, 2, 28)
>>> add_months_anchored(date(2029, 2, 28), 36, anchor_day=29)
datetime.date(2032, 2, 29)
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta


def add_months_anchored(start: date, months: int, *, anchor_day: int) -> date:
    """Return ``start`` moved by ``months`` calendar months onto ``anchor_day``.

    The day is ``anchor_day`` clamped to the length of the target month.
    """
    # relativedelta applies ``day`` as an absolute day clamped to the month.
    result: date = start + relativedelta(months=months, day=anchor_day)
    return result


def iso_date(text: str) -> date | None:
    """The date ``text`` spells exactly as ``YYYY-MM-DD``, else ``None``.

    ``date.fromisoformat`` also takes ``20270501`` and ``2027-W18-6``; the
    JSON shape (and the frames door) take only the one spelling.

    >>> iso_date("2027-05-01"), iso_date("20270501"), iso_date("May")
    (datetime.date(2027, 5, 1), None, None)
    """
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.isoformat() == text else None
