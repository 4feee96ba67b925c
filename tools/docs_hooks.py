"""MkDocs hooks: the figures the pages show are drawn by the docs build.

`img/calendar.png` (docs/notebooks.md) is the sample portfolio's timeline
drawn by `renewal_rules.plot.plot_calendar`, so the picture on the site is
always the library's current output, never a file committed beside it.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from mkdocs.structure.files import File, Files

CALENDAR = "img/calendar.png"


def calendar_png() -> bytes:
    """The sample portfolio's calendar for 2027, by week, as PNG bytes."""
    from renewal_rules import portfolio_timeline
    from renewal_rules.plot import plot_calendar
    from renewal_rules.sample import SAMPLE_POLICY, SAMPLE_PORTFOLIO

    events = portfolio_timeline(
        SAMPLE_PORTFOLIO,
        start=date(2027, 1, 1),
        end=date(2028, 1, 1),
        policy=SAMPLE_POLICY,
    )
    out = io.BytesIO()
    figure = plot_calendar(events, period="week").get_figure(root=True)
    assert figure is not None  # a new Figure's Axes
    figure.savefig(out, format="png", dpi=90)
    return out.getvalue()


def on_files(files: Files, config: Any) -> Files:
    """Add the drawn figures to the site's files."""
    files.append(File.generated(config, CALENDAR, content=calendar_png()))
    return files
