"""Laws of Decision and RenewalRequirement values."""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from renewal_rules import (
    Decision,
    InvalidInputError,
    Reason,
    ReasonCode,
    strategies,
)
from renewal_rules.catalog import LOCALES, ROWS

reasons = strategies.reasons()


class TestDecisionInvariant:
    """A Decision is allowed exactly when it has no reasons."""

    @given(st.booleans(), st.lists(reasons, max_size=4))
    def test_construction_enforces_the_invariant(
        self, allowed: bool, items: list[Reason]
    ) -> None:
        consistent = allowed == (not items)
        try:
            decision = Decision(allowed=allowed, reasons=items)
        except InvalidInputError:
            assert not consistent
        else:
            assert consistent
            assert bool(decision) is allowed
            assert decision.reasons == tuple(items)

    @given(st.lists(reasons, max_size=4))
    def test_from_reasons_keeps_order_and_decides(self, items: list[Reason]) -> None:
        decision = Decision.from_reasons(items)
        assert decision.reasons == tuple(items)
        assert decision.allowed is (not items)


class TestReasonValues:
    """Reasons are values: params order does not matter, and they pickle."""

    @given(st.integers(0, 10**6), st.integers(0, 10**6))
    def test_params_order_is_irrelevant(self, size: int, limit: int) -> None:
        params = {"size": size, "limit": limit}
        forward = Reason(code=ReasonCode.BATCH_TOO_LARGE, params=list(params.items()))
        backward = Reason(
            code=ReasonCode.BATCH_TOO_LARGE, params=list(reversed(params.items()))
        )
        assert forward == backward
        assert [name for name, _ in forward.params] == sorted(params)

    @given(reasons)
    def test_params_are_exactly_the_catalogue_row(self, reason: Reason) -> None:
        # One catalogue row per code: its params, remedy and both messages.
        row = ROWS[reason.code]
        assert tuple(name for name, _ in reason.params) == row.param_names
        assert reason.remedy is row.remedy
        for locale in LOCALES:
            message = reason.message(locale)
            for _name, value in reason.params:  # a value may hold a brace
                message = message.replace(str(value), "")
            assert "{" not in message  # every placeholder was filled

    @given(reasons)
    def test_round_trip_through_pickle(self, reason: Reason) -> None:
        assert pickle.loads(pickle.dumps(reason)) == reason
