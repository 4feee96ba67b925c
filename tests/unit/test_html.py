"""The notebook views (_html.py): escaped HTML, a summary, at most 50 rows."""

from __future__ import annotations

from datetime import date

import pytest

from renewal_rules import (
    BatchAction,
    Decision,
    Reason,
    ReasonCode,
    RenewalPolicy,
    SubscriptionKind,
    plan_batches,
    renewal_requirement,
    to_records,
)
from tests.factories import AS_OF, make_sub

HOSTILE = "<script>alert(1)</script>"


def test_decision_html_escapes_every_value() -> None:
    reason = Reason(
        code=ReasonCode.INVALID_RECIPIENT, subject=HOSTILE, params={"email": HOSTILE}
    )
    html = Decision.from_reasons([reason])._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<strong>Decision: refused</strong>" in html
    assert "<td>invalid_recipient</td>" in html
    assert (
        Decision.from_reasons([])._repr_html_()
        == "<div><strong>Decision: allowed</strong></div>"
    )


def test_requirement_html() -> None:
    html = renewal_requirement(make_sub(auto_renew=False), as_of=AS_OF)._repr_html_()
    assert "Renewal mode: manual" in html
    assert "2027-01-31 to 2027-04-30" in html  # M1: its last day
    assert "<td>auto_renew_off</td>" in html
    automatic = renewal_requirement(make_sub(), as_of=AS_OF)._repr_html_()
    assert "<table>" not in automatic


def test_plan_html() -> None:
    subs = [
        make_sub(id=HOSTILE),
        make_sub(id="S-2", term_end=date(2028, 5, 1), term_start=date(2027, 5, 1)),
    ]
    html = plan_batches(subs, action=BatchAction.RENEW, as_of=AS_OF)._repr_html_()
    assert "<script>" not in html
    assert "Batch plan: 1 batches of 1 keys (1 subscriptions), 1 rejected" in html
    assert "<td>outside_renewal_window</td>" in html


def test_plan_html_is_exactly_two_tables() -> None:
    subs = [
        make_sub(id="S-<1>"),
        make_sub(id="S-2", term_end=date(2028, 5, 1), term_start=date(2027, 5, 1)),
    ]
    html = plan_batches(subs, action=BatchAction.RENEW, as_of=AS_OF)._repr_html_()
    assert html == (
        "<div><strong>Batch plan: 1 batches of 1 keys (1 subscriptions), 1 rejected"
        "</strong><table><thead><tr><th>csn</th><th>currency</th><th>purchase method</th>"
        "<th>batch</th><th>size</th><th>subscriptions</th></tr></thead><tbody><tr>"
        "<td>5100001</td><td>EUR</td><td>online</td><td>1</td><td>1</td>"
        "<td>S-&lt;1&gt;</td></tr></tbody></table>"
        "<table><thead><tr><th>subscription</th><th>codes</th></tr></thead><tbody><tr>"
        "<td>S-2</td><td>outside_renewal_window</td></tr></tbody></table></div>"
    )


def test_requirement_html_is_exact() -> None:
    html = renewal_requirement(make_sub(auto_renew=False), as_of=AS_OF)._repr_html_()
    assert html == (
        "<div><strong>Renewal mode: manual</strong> (manual window 2027-01-31 to 2027-04-30)"
        "<table><thead><tr><th>subject</th><th>code</th><th>message</th><th>remedy</th></tr>"
        "</thead><tbody><tr><td>S-1</td><td>auto_renew_off</td><td>Automatic renewal is turned off.</td>"
        "<td>enable_auto_renew</td></tr></tbody></table></div>"
    )
    batch_reason = Decision.from_reasons(
        [Reason(code=ReasonCode.BATCH_EMPTY)]
    )._repr_html_()
    assert (
        "<tr><td></td><td>batch_empty</td><td>The batch is empty.</td><td></td></tr>"
        in batch_reason
    )


def test_html_lists_every_member_and_code() -> None:
    trial_too_early = make_sub(
        id="S-T",
        kind=SubscriptionKind.TRIAL,
        term_end=date(2027, 9, 1),
        term_start=date(2026, 9, 1),
    )
    subs = [make_sub(id="S-1"), make_sub(id="S-2"), trial_too_early]
    html = plan_batches(subs, action=BatchAction.RENEW, as_of=AS_OF)._repr_html_()
    assert "<td>S-1, S-2</td>" in html
    assert "<td>S-T</td><td>trial_not_renewable, outside_renewal_window</td>" in html
    assert html.count("<tr><td>") == 2
    automatic = renewal_requirement(make_sub(), as_of=AS_OF)._repr_html_()
    assert (
        automatic
        == "<div><strong>Renewal mode: automatic</strong> (manual window 2027-01-31 to 2027-04-30)</div>"
    )


def test_html_tables_put_each_reason_on_its_own_row() -> None:
    html = renewal_requirement(
        make_sub(auto_renew=False, payment_method=None), as_of=AS_OF
    )._repr_html_()
    assert "<td>auto_renew_off</td>" in html
    assert "</tr><tr><td>S-1</td><td>no_payment_method</td>" in html


class TestViewsANotebookCanHold:
    """Every view: a summary, at most 50 rows, key ordinals as to_records says."""

    def test_batch_numbers_are_the_key_ordinals_of_to_records(self) -> None:  # B2
        from renewal_rules._sample import SAMPLE_AS_OF, SAMPLE_PORTFOLIO

        policy = RenewalPolicy(batch_limit=1)
        plan = plan_batches(
            SAMPLE_PORTFOLIO,
            action=BatchAction.RENEW,
            as_of=SAMPLE_AS_OF,
            policy=policy,
        )
        assert len(plan.batches) >= 2
        records = to_records([plan])
        named = {(r["subscription"], r["batch"]) for r in records if r["batch"]}
        html = plan.to_html()
        for sub_id, number in named:
            assert f"<td>{number}</td><td>1</td><td>{sub_id}</td>" in html

    def test_a_plan_of_100_000_is_a_summary_and_50_rows(self) -> None:
        subs = [
            make_sub(id=f"S-{n}", csn=str(5_100_000 + n % 997)) for n in range(100_000)
        ]
        plan = plan_batches(subs, action=BatchAction.RENEW, as_of=AS_OF)
        html = plan._repr_html_()
        assert len(html) < 200_000
        assert html.count("<tr>") == 1 + 50 + 1 + 1  # headers, rows, "more", rejections
        assert f"and {len(plan.batches) - 50:,} more" in html
        assert (
            f"Batch plan: {len(plan.batches):,} batches of 997 keys "
            "(100,000 subscriptions), 0 rejected"
        ) in html
        more = plan.to_html(max_rows=200)
        assert more.count("<tr>") == 1 + 200 + 1 + 1
        assert plan.to_html(max_rows=0).count("<tr>") == 1 + 1 + 1

    def test_a_timeline_counts_its_events_by_kind(self) -> None:  # N3
        from renewal_rules import portfolio_timeline
        from renewal_rules.timeline import Timeline

        subs = [make_sub(id=f"S-{n}", auto_renew=False) for n in range(80)]
        events = portfolio_timeline(subs, start=date(2027, 1, 1), end=date(2028, 1, 1))
        assert isinstance(events, Timeline)
        html = events._repr_html_()
        assert "Timeline: 640 events (80 renewal_window_opens, 240 reminder" in html
        assert "and 590 more" in html

    @pytest.mark.parametrize("bad", [-1, 1.5, True, None, "50"])
    def test_max_rows_is_a_count(self, bad: object) -> None:
        from renewal_rules import InvalidInputError

        plan = plan_batches([make_sub()], action=BatchAction.RENEW, as_of=AS_OF)
        with pytest.raises(InvalidInputError, match="max_rows"):
            plan.to_html(max_rows=bad)  # type: ignore[arg-type]


# The cells a notebook user runs on 100,000 subscriptions: every view, the
# batch numbers beside to_records, and the calendar figure.
NOTEBOOK_CELLS = (
    """
import json
from datetime import date
import polars as pl
from renewal_rules import (
    BatchAction, RenewalPolicy, plan_alignment, plan_batches, portfolio_timeline,
    to_records,
)
from renewal_rules import frames
from renewal_rules.plot import calendar_counts, plot_calendar
from tests.factories import AS_OF, generate

subs = generate(100_000)
rows = pl.from_arrow(frames.subscriptions_table(subs))
policy = RenewalPolicy(batch_limit=7)
""",
    """
plan = plan_batches(subs, action=BatchAction.RENEW, as_of=AS_OF, policy=policy)
alignment = plan_alignment(subs, as_of=AS_OF)
timeline = portfolio_timeline(subs, start=AS_OF, end=date(2027, 6, 1))
table = frames.timeline_table(rows, start=AS_OF, end=date(2027, 6, 1))
views = {
    "plan": plan,
    "alignment": alignment,
    "timeline": timeline,
    "requirements_table": frames.requirements_table(rows, as_of=AS_OF),
    "plan_table": frames.plan_table(
        rows, action=BatchAction.RENEW, as_of=AS_OF, policy=policy
    ),
    "timeline_table": table,
}
sizes = {name: len(view._repr_html_()) for name, view in views.items()}
records = to_records([plan])
shown = plan._repr_html_()
named = [(r["subscription"], r["batch"]) for r in records if r["batch"]][:300]
unshown = [pair for pair in named if f"<td>{pair[0]}</td>" in shown and
           f"<td>{pair[1]}</td><td>1</td><td>{pair[0]}</td>" not in shown]
""",
    """
%matplotlib inline
ax = plot_calendar(table, period="week")
counts = calendar_counts(timeline, period="week")
figure = ax.get_figure(root=True)
figure
""",
    """
print(json.dumps({
    "sizes": sizes,
    "rows": len(subs),
    "events": len(timeline),
    "batches": len(plan.batches),
    "firsts_shown": sum(f"<td>{sub}</td>" in shown for sub, _ in named),
    "unshown": unshown,
    "bars": [c.get_label() for c in ax.containers],
    "counted": sum(sum(week.values()) for week in counts.values()),
    "drawn": int(sum(sum(bar.get_height() for bar in c) for c in ax.containers)),
}))
""",
)


@pytest.mark.slow
def test_a_notebook_of_100_000_rows_holds_every_view_and_the_calendar() -> None:
    """Executed by a Jupyter kernel, as an analyst's notebook is."""
    import json
    from pathlib import Path

    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    root = Path(__file__).resolve().parents[2]
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(cell.strip()) for cell in NOTEBOOK_CELLS]
    )
    nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(root)}},
    ).execute()
    figure_outputs = notebook.cells[2].outputs
    assert any("image/png" in out.get("data", {}) for out in figure_outputs)
    result = json.loads(notebook.cells[3].outputs[0]["text"])
    assert result["rows"] == 100_000
    assert result["sizes"].keys() == {
        "plan",
        "alignment",
        "timeline",
        "requirements_table",
        "plan_table",
        "timeline_table",
    }
    for name, size in result["sizes"].items():
        assert size < 200_000, name
    assert result["batches"] > 50  # the plan view is cut to 50 rows
    assert result["firsts_shown"] > 0
    assert result["unshown"] == []  # a batch shown is numbered as to_records
    assert result["bars"]
    assert result["counted"] == result["drawn"] == result["events"]
