"""The facts derived from one subscription, each computed once (E4, T1, T2, P3)."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewal_rules import InvalidInputError, Subscription, Term, next_term_end, renew
from renewal_rules import _terms as terms
from renewal_rules.strategies import subscriptions
from tests.factories import make_sub


class TestNextTerm:
    """The next renewal uses the pending term, else the term (T1, T2)."""

    def test_pending_term_applies(self) -> None:  # T1
        sub = make_sub(term=Term.MONTHLY, pending_term=Term.ANNUAL)
        assert terms.next_term(sub) is Term.ANNUAL
        assert terms.next_term(make_sub(term=Term.MONTHLY)) is Term.MONTHLY

    def test_next_term_end_is_the_public_one(self) -> None:  # T2
        sub = make_sub(term=Term.ANNUAL, pending_term=Term.THREE_YEAR)
        assert terms.next_term_end(sub) == next_term_end(sub)
        assert terms.next_term_end(sub) == date(sub.term_end.year + 3, 5, 1)


class TestRenewed:
    """The renewed subscription is built once, for `renew` and the timeline."""

    @given(subscriptions())
    def test_equal_to_the_validated_evolve(self, sub: Subscription) -> None:  # E4
        if terms.next_term_end(sub) > date(9899, 12, 31):
            return
        expected = attrs.evolve(
            sub,
            term=terms.next_term(sub),
            term_start=sub.term_end,
            term_end=terms.next_term_end(sub),
            pending_term=None,
            quantity=sub.pending_quantity or sub.quantity,
            pending_quantity=None,
        )
        assert terms.renewed(sub) == expected

    def test_on_the_renewal_date(self) -> None:  # G4 (RENEWAL_DATE basis)
        sub = make_sub(term=Term.MONTHLY, term_end=date(2027, 5, 31))
        late = terms.renewed(sub, start=date(2027, 6, 10))
        assert (late.term_start, late.term_end, late.anchor_day) == (
            date(2027, 6, 10),
            date(2027, 7, 10),
            10,
        )

    def test_past_the_supported_range_names_term_end(self) -> None:
        sub = make_sub(
            term=Term.THREE_YEAR,
            term_start=date(9896, 12, 31),
            term_end=date(9899, 12, 31),
        )
        with pytest.raises(InvalidInputError) as caught:
            terms.renewed(sub)
        assert caught.value.field == "term_end"

    def test_renew_uses_it(self) -> None:  # E4
        sub = make_sub(term_end=date(2027, 5, 1))
        assert renew(sub, as_of=date(2027, 4, 1)) == terms.renewed(sub)


class TestSkipTerms:
    """The first term ending on or after a day, by arithmetic (T2, N3)."""

    def monthly(self, end: date) -> Subscription:
        return make_sub(
            term=Term.MONTHLY,
            term_start=date(end.year, end.month - 1, min(end.day, 28)),
            term_end=end,
            anchor_day=31,
        )

    def test_a_term_already_ending_after_bound_is_kept(self) -> None:
        sub = self.monthly(date(2027, 3, 31))
        assert terms.skip_terms(sub, date(2027, 3, 31)) is sub

    @pytest.mark.parametrize(
        ("bound", "start", "end"),
        [
            (date(2027, 5, 15), date(2027, 4, 30), date(2027, 5, 31)),  # estimate high
            (date(2027, 5, 31), date(2027, 4, 30), date(2027, 5, 31)),
            (date(2027, 6, 1), date(2027, 5, 31), date(2027, 6, 30)),  # estimate low
            (date(2028, 2, 29), date(2028, 1, 31), date(2028, 2, 29)),  # leap day
            (date(2028, 3, 1), date(2028, 2, 29), date(2028, 3, 31)),
        ],
    )
    def test_the_anchor_day_kept(self, bound: date, start: date, end: date) -> None:
        sub = self.monthly(date(2027, 3, 31))
        found = terms.skip_terms(sub, bound)
        assert found is not None
        assert (found.term_start, found.term_end, found.anchor_day) == (start, end, 31)
        walked = sub
        while walked.term_end < bound:
            walked = terms.renewed(walked)
        assert found == walked

    def test_none_past_the_supported_range(self) -> None:
        sub = self.monthly(date(2027, 3, 31))
        assert terms.skip_terms(sub, date(9899, 12, 31)) is not None
        annual = make_sub(term_start=date(2026, 5, 1), term_end=date(2027, 5, 1))
        assert terms.skip_terms(annual, date(9899, 6, 1)) is None  # would end 9900


@given(
    subscriptions(pending_term=None, pending_quantity=None),
    st.integers(-40, 4000),
)
def test_skip_terms_is_renewing_term_after_term(sub: Subscription, days: int) -> None:
    bound = sub.term_end + timedelta(days=days)
    walked: Subscription | None = sub
    while walked is not None and walked.term_end < bound:
        walked = terms.renewed(walked)
    assert terms.skip_terms(sub, bound) == walked
