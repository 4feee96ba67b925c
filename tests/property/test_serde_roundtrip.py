"""Round trip: from_dict(type(x), to_dict(x)) == x, through real JSON text."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from renewal_rules import (
    BatchAction,
    RenewalPolicy,
    Subscription,
    check_quote,
    plan_batches,
    renewal_requirement,
)
from renewal_rules.serde import from_dict, to_dict
from renewal_rules.strategies import (
    dates,
    models,
    policies,
    portfolios,
    quotes,
    subscriptions,
)


def round_trip(obj: object) -> object:
    text = json.dumps(to_dict(obj))
    return from_dict(type(obj), json.loads(text))


class TestRoundTrip:
    """Every model and result object survives JSON unchanged."""

    @given(models())
    def test_models(self, obj: object) -> None:
        assert round_trip(obj) == obj

    @given(subscriptions(), dates(), policies())
    def test_requirements(
        self, sub: Subscription, as_of: date, policy: RenewalPolicy
    ) -> None:
        requirement = renewal_requirement(sub, as_of=as_of, policy=policy)
        assert round_trip(requirement) == requirement

    @given(portfolios(max_size=15), st.sampled_from(BatchAction))
    def test_plans(self, subs: tuple[Subscription, ...], action: BatchAction) -> None:
        plan = plan_batches(subs, action=action, as_of=date(2027, 3, 1))
        assert round_trip(plan) == plan

    @given(quotes(), dates())
    def test_quote_decisions(self, quote: object, as_of: date) -> None:
        decision = check_quote(quote, as_of=as_of)  # type: ignore[arg-type]
        assert round_trip(decision) == decision
