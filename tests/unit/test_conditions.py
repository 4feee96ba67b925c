"""One definition per condition: every consumer agrees with it (E1, E2, M1, A1-A4).

For every combination of the conditions about one subscription (kind, where
``as_of`` falls, auto-renew, payment method, market capabilities), each
consumer (single checks, ``renewal_requirement``, ``renew``, batch member
checks, plans, quote renewal lines) reports exactly the reasons that
``conditions.reasons`` builds from ``conditions.failures`` for the set of
conditions that consumer asks.
"""

from __future__ import annotations

import inspect
import itertools
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renewal_rules import (
    BatchAction,
    Capability,
    LineKind,
    Market,
    PaymentKind,
    PaymentMethod,
    QuoteChannel,
    Reason,
    ReasonCode,
    RenewalMode,
    RenewalPolicy,
    RuleViolation,
    Subscription,
    SubscriptionKind,
    Term,
    batching,
    check_batch,
    check_enable_auto_renew,
    check_manual_renewal,
    check_quote,
    check_renewal,
    plan_batches,
    renew,
    renewal_requirement,
    strategies,
)
from renewal_rules import conditions as cond
from renewal_rules.errors import UnknownMarketError
from renewal_rules.policy import CAPABILITY_BIT
from tests.factories import AS_OF, make_line, make_quote, make_sub

PAYMENTS = {
    "none": None,
    "card": PaymentMethod(kind=PaymentKind.CARD),
    "alipay": PaymentMethod(kind=PaymentKind.ALIPAY),
    "invalid": PaymentMethod(kind=PaymentKind.CARD, valid=False),
    "expiring": PaymentMethod(kind=PaymentKind.CARD, expires_on=date(2027, 4, 30)),
    "all-three": PaymentMethod(
        kind=PaymentKind.ALIPAY, valid=False, expires_on=date(2027, 4, 30)
    ),
}
WHEN = {
    "before-window": date(2027, 1, 30),  # term_end - 91 days: M1
    "window-opens": date(2027, 1, 31),  # term_end - 90 days: in window
    "last-day": date(2027, 4, 30),
    "expired": date(2027, 5, 1),  # E2
}
ALL = frozenset(Capability)
MARKETS = {
    "all": ALL,
    "none": frozenset(),
    "no-auto": ALL - {Capability.AUTO_RENEWAL, Capability.BATCH_AUTO_RENEWAL},
    "no-manual": ALL - {Capability.MANUAL_RENEWAL, Capability.BATCH_MANUAL_RENEWAL},
    "no-batch": ALL - {Capability.BATCH_AUTO_RENEWAL, Capability.BATCH_MANUAL_RENEWAL},
    "partner-quote-only": ALL - {Capability.SELF_SERVICE_QUOTE},
}

COMBINATIONS = list(
    itertools.product(SubscriptionKind, WHEN, (True, False), PAYMENTS, MARKETS)
)


def combination(
    kind: SubscriptionKind, when: str, auto: bool, payment: str, market: str
) -> tuple[Subscription, date, RenewalPolicy]:
    sub = make_sub(kind=kind, auto_renew=auto, payment_method=PAYMENTS[payment])
    policy = RenewalPolicy(markets=[Market(code="FR", capabilities=MARKETS[market])])
    return sub, WHEN[when], policy


def expected(
    sub: Subscription, as_of: date, policy: RenewalPolicy, asked: int
) -> list[Reason]:
    failed = cond.failures(sub, as_of, policy, asked)
    return cond.reasons(failed, sub, policy)


@pytest.mark.parametrize(("kind", "when", "auto", "payment", "market"), COMBINATIONS)
def test_every_consumer_agrees_with_the_definition(
    kind: SubscriptionKind, when: str, auto: bool, payment: str, market: str
) -> None:  # E1, E2, M1, M2, A1, A2, A3, A4, B1, B2, Q15
    sub, as_of, policy = combination(kind, when, auto, payment, market)

    def same(asked: int) -> list[Reason]:
        return expected(sub, as_of, policy, asked)

    assert list(check_renewal(sub, as_of=as_of, policy=policy).reasons) == same(
        cond.RENEWABLE
    )
    manual = check_manual_renewal(sub, as_of=as_of, policy=policy)
    assert list(manual.reasons) == same(cond.MANUAL_RENEWAL)
    enable = check_enable_auto_renew(sub, as_of=as_of, policy=policy)
    assert list(enable.reasons) == same(cond.ENABLE_AUTO_RENEW)

    requirement = renewal_requirement(sub, as_of=as_of, policy=policy)
    renewable = same(cond.RENEWABLE)
    if renewable:
        assert requirement.mode is RenewalMode.NONE
        assert list(requirement.reasons) == renewable
    else:
        assert list(requirement.reasons) == same(cond.AUTOMATIC)
        assert (requirement.mode is RenewalMode.AUTOMATIC) is (not requirement.reasons)

    renew_reasons = same(cond.RENEW)
    if renew_reasons:
        with pytest.raises(RuleViolation) as caught:
            renew(sub, as_of=as_of, policy=policy)
        assert list(caught.value.decision.reasons) == renew_reasons
    else:
        assert renew(sub, as_of=as_of, policy=policy).term_start == sub.term_end

    batch_capability = {
        BatchAction.ENABLE_AUTO_RENEW: cond.ENABLE_AUTO_RENEW
        | cond.capability(Capability.BATCH_AUTO_RENEWAL),
        BatchAction.RENEW: cond.MANUAL_RENEWAL
        | cond.capability(Capability.BATCH_MANUAL_RENEWAL),
    }
    for action, asked in batch_capability.items():
        members = check_batch([sub], action=action, as_of=as_of, policy=policy)
        assert list(members.reasons) == same(asked), action
        plan = plan_batches([sub], action=action, as_of=as_of, policy=policy)
        rejected = [list(r.reasons) for r in plan.rejected]
        assert rejected == ([same(asked)] if same(asked) else []), action

    line = make_line(subscription=sub, kind=LineKind.RENEWAL)
    quote = make_quote(channel=QuoteChannel.PARTNER, lines=(line,), recipients=())
    quoted = check_quote(quote, as_of=as_of, policy=policy)
    line_reasons = [r for r in quoted.reasons if r.subject == sub.id]
    assert line_reasons == same(cond.RENEW)  # Q15


def test_the_quote_batch_needs_either_quote_capability() -> None:  # B3, Q1
    sub = make_sub()
    for offered, codes in (
        ({Capability.PARTNER_QUOTE}, ()),
        ({Capability.SELF_SERVICE_QUOTE}, ()),
        (set(), (ReasonCode.CAPABILITY_UNAVAILABLE,) * 2),
    ):
        policy = RenewalPolicy(markets=[Market(code="FR", capabilities=offered)])
        decision = check_batch(
            [sub], action=BatchAction.QUOTE, as_of=AS_OF, policy=policy
        )
        assert decision.codes == codes


def test_each_condition_has_its_own_bit_and_rule() -> None:
    bits = [c.bit for c in cond.CONDITIONS]
    assert len(set(bits)) == len(bits)
    assert all(bit & (bit - 1) == 0 for bit in bits)  # one bit each
    assert bits == sorted(bits)  # report order is bit order
    assert {c.rule for c in cond.CONDITIONS} == {
        "E1",
        "E2",
        "G3",
        "G4",
        "Q18",
        "M1",
        "A1",
        "A2",
        "A4",
        "T1",
        "C1",
        "P2",
    }


class TestTheTable:
    """One entry per condition: its bit is its position, its mark its predicate."""

    def test_an_entrys_bit_is_its_position(self) -> None:
        for position, entry in enumerate(cond.CONDITIONS):
            assert entry.bit == 1 << position, entry.name

    def test_no_two_entries_share_a_rule_and_a_code(self) -> None:
        pairs = [
            (c.rule, c.code, c.params) for c in cond.CONDITIONS
        ]  # A4: one per capability, told apart by its param
        assert len(set(pairs)) == len(pairs)
        assert len({c.name for c in cond.CONDITIONS}) == len(cond.CONDITIONS)

    def test_each_entry_is_the_module_attribute_of_its_name(self) -> None:
        for entry in cond.CONDITIONS:
            if entry.rule != "A4":
                assert getattr(cond, entry.name) is entry
            assert cond.BY_NAME[entry.name] is entry
        assert list(cond.A4_CAPABILITY.values()) == [
            c for c in cond.CONDITIONS if c.rule == "A4"
        ]

    def test_the_capability_entries_follow_the_policys_bits(self) -> None:
        shift = cond.A4_CAPABILITY[Capability.AUTO_RENEWAL].bit.bit_length() - 1
        for capability, entry in cond.A4_CAPABILITY.items():
            assert entry.bit == CAPABILITY_BIT[capability] << shift

    def test_each_entry_names_where_its_predicate_is(self) -> None:
        for entry in cond.CONDITIONS:
            source = inspect.getsource(getattr(cond, entry.where))
            if entry.where == "failures":  # the helpers it calls are its own
                source += inspect.getsource(cond._after_expiry)
            name = "A4" if entry.rule == "A4" else entry.name
            assert re.search(rf"#[^\n]*\b{name}\b", source), entry.name

    @pytest.mark.parametrize(
        "asked",
        [
            name
            for name, value in vars(cond).items()
            if name.isupper() and type(value) is int
        ],
    )
    def test_every_set_a_consumer_asks_is_in_the_table(self, asked: str) -> None:
        every = sum(c.bit for c in cond.CONDITIONS)
        mask = getattr(cond, asked)
        assert mask
        assert mask & ~every == 0

    def test_the_batch_members_ask_the_table(self) -> None:  # B1, B2, Q15
        every = sum(c.bit for c in cond.CONDITIONS)
        for asked in batching._ASKED.values():
            assert asked & ~every == 0

    def test_failures_evaluates_only_what_is_asked(self) -> None:
        sub = make_sub(kind=SubscriptionKind.TRIAL)  # E1 fails, if asked
        expired = sub.term_end + timedelta(days=1)  # E2 fails, if asked
        assert cond.failures(sub, expired, RenewalPolicy(), cond.WINDOW) == 0
        assert cond.failures(sub, expired, RenewalPolicy(), cond.ACTIVE) == (
            cond.ACTIVE
        )


# The scalar predicates of E1, E2, G3, M1 and A2, spelled as code: only the
# table (and the facts it derives beneath it, in scalar and column form) may
# write them.
PREDICATES = {
    "E1": re.compile(r"SubscriptionKind\.(TRIAL|PAID)|\.kind is (not )?_?TRIAL"),
    "E2": re.compile(r"as_of\s*[<>]=?\s*\w*\.?term_end|term_end\s*[<>]=?\s*as_of"),
    "G3": re.compile(r"policy\.post_expiry_renewal"),
    "M1": re.compile(r"policy\.renewal_window_days"),
    "A2": re.compile(r"policy\.manual_payment_kinds"),
    "T1": re.compile(r"pending_term (or|if)"),
}
OWNERS = {"conditions.py", "_terms.py", "_columns.py"}
# The model's defaults, the strategies that draw kinds, and the sample data
# name the enum members; they decide nothing.
NOT_RULES = {"model.py", "policy.py", "strategies.py", "_sample.py"}


@pytest.mark.parametrize("rule", sorted(PREDICATES))
def test_no_module_but_the_table_writes_a_predicate(rule: str) -> None:
    src = Path(cond.__file__).parent
    for path in sorted(src.rglob("*.py")):
        if path.name in OWNERS | NOT_RULES:
            continue
        code = "\n".join(
            line.split("#")[0]
            for line in path.read_text(encoding="utf-8").splitlines()
            if not line.lstrip().startswith(("#", "``", ">>>"))
        )
        # Docstrings mention the rules in words; code lines hold no backticks.
        code = "\n".join(line for line in code.splitlines() if "``" not in line)
        assert not PREDICATES[rule].search(code), (rule, path.name)


def test_importing_the_doors_leaves_the_model_unchanged() -> None:
    script = (
        "import attrs\n"
        "from renewal_rules import model, decisions, timeline, policy, batching\n"
        "classes = {n: getattr(m, n) for m in (model, decisions, timeline, policy,"
        " batching) for n in dir(m) if isinstance(getattr(m, n), type)"
        " and attrs.has(getattr(m, n))}\n"
        "before = {n: [f.type for f in attrs.fields(c)] for n, c in classes.items()}\n"
        "from renewal_rules import serde, frames, records, strategies, dask, cli\n"
        "from renewal_rules._sample import SAMPLE_PORTFOLIO\n"
        "for sub in SAMPLE_PORTFOLIO:\n"
        "    serde.from_dict(model.Subscription, serde.to_dict(sub))\n"
        "frames.requirements_table(frames.subscriptions_table(SAMPLE_PORTFOLIO),"
        " as_of=SAMPLE_PORTFOLIO[0].term_start)\n"
        "after = {n: [f.type for f in attrs.fields(c)] for n, c in classes.items()}\n"
        "assert before == after, sorted(n for n in before if before[n] != after[n])\n"
        "assert len(classes) > 10\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_window_is_computed_in_one_place() -> None:  # M1
    sub = make_sub(term_end=date(2027, 5, 1))
    window = cond.window_of(sub, RenewalPolicy(renewal_window_days=30))
    assert (window.opens_on, window.closes_on) == (date(2027, 4, 1), date(2027, 5, 1))
    assert window.closes_on - window.opens_on == timedelta(days=30)


class TestMasks:
    """The masks `failures` returns, pinned where the public answers coincide.

    Found by mutation testing: a mask that lost a bit, or gained one not
    asked, gave the same public answers in every other test.
    """

    # A monthly term ended on 2027-02-01; on 2027-03-02 (day 29 of 30 before
    # cancellation) the renewal date has passed (G3), the next term would be
    # over already (G4), and a 5-day quote window has closed (Q18).
    SUB = make_sub(
        term=Term.MONTHLY,
        term_start=date(2027, 1, 1),
        term_end=date(2027, 2, 1),
        auto_renew=False,
    )
    LATE_DAY = date(2027, 3, 2)
    POLICY = RenewalPolicy(post_expiry_renewal=True, quote_days_after_expiry=5)
    EVERY = sum(c.bit for c in cond.CONDITIONS)

    def test_every_late_condition_is_kept(self) -> None:  # G3, G4, Q18
        failed = cond.failures(self.SUB, self.LATE_DAY, self.POLICY, self.EVERY)
        late = (
            cond.G3_RENEWAL_DATE_PASSED.bit
            | cond.G4_TERM_ELAPSED.bit
            | cond.Q18_QUOTE_WINDOW_CLOSED.bit
        )
        assert failed & late == late

    def test_conditions_not_asked_are_not_reported(self) -> None:  # Q18, A4
        failed = cond.failures(self.SUB, self.LATE_DAY, self.POLICY, cond.RENEW)
        assert failed & ~cond.RENEW == 0
        cn = RenewalPolicy(markets=[Market(code="FR", capabilities=set())])
        failed = cond.failures(make_sub(), AS_OF, cn, cond.RENEWABLE)
        assert failed & cond.CAPABILITIES == 0
        codes = check_manual_renewal(
            self.SUB, as_of=self.LATE_DAY, policy=self.POLICY
        ).codes
        assert ReasonCode.QUOTE_WINDOW_CLOSED not in codes

    def test_no_failing_condition_is_automatic_with_nothing_to_report(self) -> None:
        assert cond.requirement_of(0) == (RenewalMode.AUTOMATIC, 0)

    def test_an_invoice_due_on_term_end_keeps_the_shutoff_on_term_end(self) -> None:
        sub = make_sub()  # G6: s = min(term_end, due_on + 1 day)
        dates = cond.stage_dates_of(sub, RenewalPolicy(), invoice_due_on=sub.term_end)
        assert dates.expired_on == sub.term_end
        earlier = sub.term_end - timedelta(days=3)
        dates = cond.stage_dates_of(sub, RenewalPolicy(), invoice_due_on=earlier)
        assert dates.expired_on == earlier + timedelta(days=1)


# -- what no subscription can fail under a policy --------------------------------


@settings(max_examples=150)
@given(
    strategies.subscriptions(),
    strategies.policies(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(9899, 12, 31)),
)
def test_cannot_fail_never_fails(  # G3, G4, Q18, A4
    sub: Subscription, policy: RenewalPolicy, as_of: date
) -> None:
    every = sum(c.bit for c in cond.CONDITIONS) & ~cond.T1_TERM_UNCHANGED.bit
    try:
        failed = cond.failures(sub, as_of, policy, every)
    except UnknownMarketError:  # an unlisted market: bad input, never asked
        return
    assert failed & cond.cannot_fail(policy) == 0


def test_cannot_fail_names_the_switch_and_the_capabilities_every_market_offers() -> (
    None
):  # G3, A4
    on = RenewalPolicy(post_expiry_renewal=True)
    assert cond.cannot_fail(on) == cond.CAPABILITIES
    assert cond.cannot_fail(RenewalPolicy()) == cond.CAPABILITIES | cond.AFTER_EXPIRY
    jp = RenewalPolicy(markets=(Market(code="JP", capabilities=frozenset()),))
    assert cond.cannot_fail(jp) == cond.AFTER_EXPIRY
    only = RenewalPolicy(
        markets=(Market(code="JP", capabilities=frozenset({Capability.ADD_SEATS})),),
        default_market=None,
    )
    assert cond.cannot_fail(only) == (
        cond.AFTER_EXPIRY | cond.A4_CAPABILITY[Capability.ADD_SEATS].bit
    )


class TestDatedColumns:
    """A reason's dated param has a column form giving the same date (M1, G3, Q18)."""

    def test_every_dated_param_has_its_column_form(self) -> None:
        for condition in cond.CONDITIONS:
            assert (condition.dated is None) is (condition.dated_column is None), (
                condition.name
            )

    @settings(max_examples=40)
    @given(
        subs=st.lists(strategies.subscriptions(), min_size=1, max_size=8),
        policy=strategies.policies(),
    )
    def test_the_column_form_gives_the_scalar_date(
        self, subs: list[Subscription], policy: RenewalPolicy
    ) -> None:  # M1, G3, Q18
        pl = pytest.importorskip("polars")
        from renewal_rules import _columns, frames

        good, bad = frames.valid_rows(
            pl.DataFrame(frames.subscriptions_table(subs)), policy
        )
        assert bad == []
        columns = _columns.Columns(policy, AS_OF, cond.RENEWABLE)
        dated = [c for c in cond.CONDITIONS if c.dated_column is not None]
        assert dated
        for condition in dated:
            assert condition.dated is not None
            assert condition.dated_column is not None
            name, column = condition.dated_column(columns)
            got = good.sort(_columns.ROW).select(column.alias(name))[name].to_list()
            want = [condition.dated(sub, policy) for sub in subs]
            assert [(name, day) for day in got] == want, condition.name
