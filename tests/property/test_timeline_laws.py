"""Laws of life after expiry and of the timeline (G1-G3, N3)."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import attrs
from hypothesis import given
from hypothesis import strategies as st

from renewal_rules import (
    DEFAULT_POLICY,
    POST_EXPIRY_POLICY,
    LateRenewalBasis,
    LifecycleStage,
    PaymentKind,
    PaymentMethod,
    RenewalPolicy,
    Subscription,
    SubscriptionKind,
    Term,
    TimelineKind,
    check_enable_auto_renew,
    check_manual_renewal,
    check_renewal,
    has_access,
    lifecycle_stage,
    next_term_end,
    renew,
    renewal_requirement,
    renewal_timeline,
    renewal_window,
    timeline,
)
from renewal_rules.strategies import dates, policies, subscriptions

ORDER = list(LifecycleStage)
# Renews automatically term after term: a card that never expires.
automatic = subscriptions(
    kind=SubscriptionKind.PAID,
    auto_renew=True,
    payment_method=PaymentMethod(kind=PaymentKind.CARD),
)
span = st.integers(0, 800)


class TestStages:
    """G1, G2: the stage never goes backwards, and access follows it."""

    @given(subscriptions(), st.integers(-400, 400), st.integers(0, 400))
    def test_monotone_and_access(self, sub: Subscription, a: int, step: int) -> None:
        first = sub.term_end + timedelta(days=a)
        later = first + timedelta(days=step)
        s1 = lifecycle_stage(sub, as_of=first)
        s2 = lifecycle_stage(sub, as_of=later)
        assert ORDER.index(s1) <= ORDER.index(s2)
        for day, stage in ((first, s1), (later, s2)):
            expected = stage in (LifecycleStage.ACTIVE, LifecycleStage.EXPIRED)
            assert has_access(sub, as_of=day) is expected


part_2_changes = st.fixed_dictionaries(
    {
        "expired_stage_days": st.integers(0, 60),
        "quote_days_after_expiry": st.integers(0, 90),
        "late_renewal_basis": st.sampled_from(LateRenewalBasis),
        "invoice_payment_days": st.integers(0, 60),
        "remind_automatic": st.booleans(),
    }
)


class TestSwitchOff:
    """G3: with the switch off, no Part 2 setting changes a Part 1 answer."""

    @given(subscriptions(), dates(date(2019, 1, 1), date(2042, 12, 31)), part_2_changes)
    def test_part_1_unchanged(
        self, sub: Subscription, as_of: date, changes: dict[str, object]
    ) -> None:
        policy = RenewalPolicy(**changes)  # type: ignore[arg-type]
        for check in (check_renewal, check_manual_renewal, check_enable_auto_renew):
            assert check(sub, as_of=as_of, policy=policy) == check(sub, as_of=as_of)
        assert renewal_requirement(sub, as_of=as_of, policy=policy) == (
            renewal_requirement(sub, as_of=as_of)
        )
        assert renewal_window(sub, policy=policy) == renewal_window(sub)

    @given(subscriptions(kind=SubscriptionKind.PAID), st.integers(0, 120))
    def test_the_switch_only_matters_after_term_end(
        self, sub: Subscription, days_before: int
    ) -> None:
        as_of = sub.term_end - timedelta(days=days_before + 1)
        assert renewal_requirement(sub, as_of=as_of, policy=POST_EXPIRY_POLICY) == (
            attrs.evolve(
                renewal_requirement(sub, as_of=as_of),
                window=renewal_window(sub, policy=POST_EXPIRY_POLICY),
            )
        )


class TestTimelineLaws:
    """N3: sorted, deterministic, split- and replay-consistent."""

    @given(subscriptions(), span, span, span)
    def test_splitting(self, sub: Subscription, a: int, b: int, c: int) -> None:
        first = sub.term_start + timedelta(days=a)
        middle = first + timedelta(days=b)
        last = middle + timedelta(days=c)
        whole = renewal_timeline(sub, start=first, end=last)
        left = renewal_timeline(sub, start=first, end=middle)
        right = renewal_timeline(sub, start=middle, end=last)
        assert whole == left + right
        assert list(whole) == sorted(whole, key=lambda e: e.sort_key)
        assert whole == renewal_timeline(sub, start=first, end=last)

    @given(automatic, st.integers(1, 40))
    def test_an_automatic_chain(self, sub: Subscription, terms: int) -> None:
        current = sub
        expected = []
        for _ in range(terms):
            expected.append(next_term_end(current))
            current = renew(current, as_of=current.term_end - timedelta(days=1))
        end = current.term_start + timedelta(days=1)
        events = renewal_timeline(sub, start=sub.term_start, end=end)
        renewals = [e for e in events if e.kind is TimelineKind.AUTO_RENEWAL]
        assert [dict(e.params)["term_end"] for e in renewals] == expected

    @given(automatic, span)
    def test_replay(self, sub: Subscription, length: int) -> None:
        renewed = renew(sub, as_of=sub.term_end - timedelta(days=1))
        end = renewed.term_start + timedelta(days=length)
        after = renewed.term_start
        tail = [
            e
            for e in renewal_timeline(sub, start=sub.term_start, end=end)
            if e.on > after
        ]
        replayed = renewal_timeline(renewed, start=after, end=end)
        assert [e for e in replayed if e.on > after] == tail

    @given(subscriptions(term=Term.MONTHLY))
    def test_decades_of_monthly_terms_walk_terms(self, sub: Subscription) -> None:
        end = min(sub.term_start + timedelta(days=365 * 30), date(9899, 12, 31))
        events = renewal_timeline(
            sub, start=sub.term_start, end=end, policy=DEFAULT_POLICY
        )
        assert len(events) <= 12 * 31 * 4


class TestSkippedTerms:
    """N3: the terms before ``start`` skipped by arithmetic give the same events."""

    @given(
        subscriptions(),
        policies(),
        st.integers(0, 40_000),
        st.integers(0, 800),
    )
    def test_as_the_walk_term_by_term(
        self, sub: Subscription, policy: RenewalPolicy, after: int, length: int
    ) -> None:
        start = min(sub.term_start + timedelta(days=after), date(9899, 12, 31))
        end = min(start + timedelta(days=length), date(9899, 12, 31))
        found = renewal_timeline(sub, start=start, end=end, policy=policy)
        with mock.patch.object(timeline, "_skip", lambda sub, _start, _policy: sub):
            walked = renewal_timeline(sub, start=start, end=end, policy=policy)
        assert found == walked

    @given(automatic, st.integers(0, 40_000))
    def test_a_card_expiring_late_in_the_chain(  # A1
        self, sub: Subscription, after: int
    ) -> None:
        expires = min(sub.term_end + timedelta(days=after // 2), date(9899, 1, 1))
        card = attrs.evolve(
            sub, payment_method=PaymentMethod(kind=PaymentKind.CARD, expires_on=expires)
        )
        start = min(sub.term_start + timedelta(days=after), date(9899, 1, 1))
        end = min(start + timedelta(days=400), date(9899, 12, 31))
        found = renewal_timeline(card, start=start, end=end)
        with mock.patch.object(timeline, "_skip", lambda sub, _start, _policy: sub):
            assert found == renewal_timeline(card, start=start, end=end)

    @given(
        subscriptions(
            kind=SubscriptionKind.PAID,
            auto_renew=True,
            payment_method=PaymentMethod(kind=PaymentKind.INVOICE),
        ),
        st.integers(0, 3660),
        st.integers(0, 40_000),
    )
    def test_an_invoice_due_after_start(  # A5
        self, sub: Subscription, days: int, after: int
    ) -> None:
        policy = RenewalPolicy(invoice_payment_days=days)
        start = min(sub.term_start + timedelta(days=after), date(9899, 1, 1))
        end = min(start + timedelta(days=60), date(9899, 12, 31))
        found = renewal_timeline(sub, start=start, end=end, policy=policy)
        with mock.patch.object(timeline, "_skip", lambda sub, _start, _policy: sub):
            assert found == renewal_timeline(sub, start=start, end=end, policy=policy)
