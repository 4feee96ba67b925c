"""One definition per condition: every consumer agrees with it (E1, E2, M1, A1-A4).

For every combination of the conditions about one subscription (kind, where
``as_of`` falls, auto-renew, payment method, market capabilities), each
consumer (single checks, ``renewal_requirement``, ``renew``, batch member
checks, plans, quote renewal lines) reports exactly the reasons that
``conditions.reasons`` builds from ``conditions.failures`` for the set of
conditions that consumer asks.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

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
    check_batch,
    check_enable_auto_renew,
    check_manual_renewal,
    check_quote,
    check_renewal,
    plan_batches,
    renew,
    renewal_requirement,
)
from renewal_rules import conditions as cond
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
    }


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
