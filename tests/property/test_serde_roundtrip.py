"""Round trip: from_dict(type(x), to_dict(x)) == x, through real JSON text."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import attrs
from hypothesis import given
from hypothesis import strategies as st

from renewal_rules import (
    Account,
    BatchAction,
    PaymentMethod,
    RenewalPolicy,
    Subscription,
    check_quote,
    plan_batches,
    renewal_requirement,
)
from renewal_rules.serde import SerdeError, from_dict, to_dict
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


class TestFastReader:
    """The fast reader of flat types answers exactly as the full reader."""

    @staticmethod
    def full(kind: type[object], data: object) -> object:
        from renewal_rules import serde

        try:
            return serde._CONVERTER.structure(data, kind)
        except Exception as error:
            return ("error", serde._flatten(error, "$"))

    @staticmethod
    def fast(kind: type[object], data: object) -> object:
        try:
            return from_dict(kind, data)
        except SerdeError as error:
            return ("error", list(error.errors))

    @given(subscriptions(), st.data())
    def test_valid_and_damaged_documents(
        self, sub: Subscription, data: st.DataObject
    ) -> None:
        document = to_dict(sub)
        assert self.fast(Subscription, document) == sub
        # Damage some fields with values of every JSON type and more.
        names = [*sorted(document), "colour"]
        hostile = st.one_of(
            st.none(), st.booleans(), st.integers(-2, 40), st.text(max_size=12),
            st.sampled_from(
                ["2027-02-29", "2027-05-01", "20270501", "annual", "card", "FR"]
            ),
            st.lists(st.integers(), max_size=2), st.just({"kind": "card"}),
            st.dates(),
        )  # fmt: skip
        changes = data.draw(st.dictionaries(st.sampled_from(names), hostile))
        damaged = {**document, **changes}
        for name in data.draw(st.sets(st.sampled_from(names), max_size=2)):
            damaged.pop(name, None)
        assert self.fast(Subscription, damaged) == self.full(Subscription, damaged)


def test_only_flat_types_get_a_fast_reader() -> None:
    from renewal_rules import Quote, Reason, serde

    assert set(serde._FAST_READERS) == {PaymentMethod, Subscription, Account}
    # A converter, a tuple, a union of two types: the full reader only.
    assert serde._fast_reader(Quote) is None
    assert serde._fast_reader(Reason) is None
    assert serde._fast_reader(RenewalPolicy) is None

    @attrs.frozen
    class Amount:
        amount: Decimal

    @attrs.frozen
    class Either:
        value: int | str

    attrs.resolve_types(Amount)
    attrs.resolve_types(Either)
    assert serde._fast_reader(Amount) is None
    assert serde._fast_reader(Either) is None
