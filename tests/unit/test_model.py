"""Construction-time validation: every bad input of API.md is refused by name."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import attrs
import pytest

from renewal_rules import (
    Account,
    Actor,
    Capability,
    InvalidInputError,
    InvalidTypeError,
    Market,
    PaymentKind,
    PaymentMethod,
    PurchaseMethod,
    RenewalPolicy,
    RenewalRulesError,
    Role,
    Term,
    UnknownMarketError,
)
from tests.factories import make_sub

Build = Callable[[], object]

REFUSALS: list[tuple[str, Build, type[Exception], str]] = [
    # (id, constructor, error class, field named)
    (
        "datetime-term-start",
        lambda: make_sub(term_start=datetime(2026, 5, 1)),
        InvalidTypeError,
        "term_start",
    ),
    (
        "datetime-term-end",
        lambda: make_sub(term_end=datetime(2027, 5, 1)),
        InvalidTypeError,
        "term_end",
    ),
    (
        "str-term-end",
        lambda: make_sub(term_end="2027-05-01"),
        InvalidTypeError,
        "term_end",
    ),
    (
        "term-end-equal-start",
        lambda: make_sub(term_start=date(2027, 5, 1)),
        InvalidInputError,
        "term_end",
    ),
    (
        "term-end-before-start",
        lambda: make_sub(term_start=date(2027, 6, 1)),
        InvalidInputError,
        "term_end",
    ),
    ("quantity-zero", lambda: make_sub(quantity=0), InvalidInputError, "quantity"),
    ("quantity-negative", lambda: make_sub(quantity=-3), InvalidInputError, "quantity"),
    ("quantity-bool", lambda: make_sub(quantity=True), InvalidTypeError, "quantity"),
    ("quantity-float", lambda: make_sub(quantity=2.0), InvalidTypeError, "quantity"),
    (
        "currency-lowercase",
        lambda: make_sub(currency="eur"),
        InvalidInputError,
        "currency",
    ),
    (
        "currency-unknown",
        lambda: make_sub(currency="XYZ"),
        InvalidInputError,
        "currency",
    ),
    ("currency-not-str", lambda: make_sub(currency=978), InvalidTypeError, "currency"),
    ("csn-non-digits", lambda: make_sub(csn="51A0001"), InvalidInputError, "csn"),
    ("csn-empty", lambda: make_sub(csn=""), InvalidInputError, "csn"),
    ("csn-int", lambda: make_sub(csn=5100001), InvalidTypeError, "csn"),
    ("csn-unicode-digits", lambda: make_sub(csn="५१००"), InvalidInputError, "csn"),
    (
        "partner-csn-non-digits",
        lambda: make_sub(partner_csn="P-1"),
        InvalidInputError,
        "partner_csn",
    ),
    ("anchor-day-0", lambda: make_sub(anchor_day=0), InvalidInputError, "anchor_day"),
    ("anchor-day-32", lambda: make_sub(anchor_day=32), InvalidInputError, "anchor_day"),
    (
        "anchor-day-disagrees",
        lambda: make_sub(anchor_day=2),
        InvalidInputError,
        "anchor_day",
    ),
    (
        "anchor-day-bool",
        lambda: make_sub(anchor_day=True),
        InvalidTypeError,
        "anchor_day",
    ),
    ("term-str", lambda: make_sub(term="annual"), InvalidTypeError, "term"),
    (
        "pending-term-str",
        lambda: make_sub(pending_term="monthly"),
        InvalidTypeError,
        "pending_term",
    ),
    (
        "purchase-method-str",
        lambda: make_sub(purchase_method="online"),
        InvalidTypeError,
        "purchase_method",
    ),
    ("kind-str", lambda: make_sub(kind="trial"), InvalidTypeError, "kind"),
    (
        "partner-without-csn",
        lambda: make_sub(purchase_method=PurchaseMethod.PARTNER),
        InvalidInputError,
        "partner_csn",
    ),
    ("market-lowercase", lambda: make_sub(market="fr"), InvalidInputError, "market"),
    (
        "market-three-letters",
        lambda: make_sub(market="FRA"),
        InvalidInputError,
        "market",
    ),
    ("id-blank", lambda: make_sub(id="  "), InvalidInputError, "id"),
    ("product-not-str", lambda: make_sub(product=None), InvalidTypeError, "product"),
    ("product-int", lambda: make_sub(product=7), InvalidTypeError, "product"),
    ("market-int", lambda: make_sub(market=33), InvalidTypeError, "market"),
    ("auto-renew-int", lambda: make_sub(auto_renew=1), InvalidTypeError, "auto_renew"),
    (
        "payment-method-str",
        lambda: make_sub(payment_method="card"),
        TypeError,
        "payment_method",
    ),
    (
        "payment-kind-str",
        lambda: PaymentMethod(kind="card"),  # type: ignore[arg-type]
        InvalidTypeError,
        "kind",
    ),
    (
        "payment-expiry-datetime",
        lambda: PaymentMethod(kind=PaymentKind.CARD, expires_on=datetime(2027, 1, 1)),
        InvalidTypeError,
        "expires_on",
    ),
    (
        "payment-valid-int",
        lambda: PaymentMethod(kind=PaymentKind.CARD, valid=0),  # type: ignore[arg-type]
        InvalidTypeError,
        "valid",
    ),
    ("market-code-digits", lambda: Market(code="F1"), InvalidInputError, "code"),
    (
        "market-capabilities-str",
        lambda: Market(code="FR", capabilities="auto_renewal"),
        InvalidTypeError,
        "capabilities",
    ),
    (
        "market-capability-str-member",
        lambda: Market(code="FR", capabilities={"auto_renewal"}),
        InvalidTypeError,
        "capabilities",
    ),
    ("account-csn", lambda: Account(csn="ABC"), InvalidInputError, "csn"),
    (
        "account-managed-str",
        lambda: Account(csn="51", managed="yes"),  # type: ignore[arg-type]
        InvalidTypeError,
        "managed",
    ),
    (
        "actor-role-str",
        lambda: Actor(csn="51", roles=["buyer"]),
        InvalidTypeError,
        "roles",
    ),
    (
        "actor-roles-str",
        lambda: Actor(csn="51", roles="buyer"),
        InvalidTypeError,
        "roles",
    ),
    (
        "policy-window-zero",
        lambda: RenewalPolicy(renewal_window_days=0),
        InvalidInputError,
        "renewal_window_days",
    ),
    (
        "policy-batch-limit-zero",
        lambda: RenewalPolicy(batch_limit=0),
        InvalidInputError,
        "batch_limit",
    ),
    (
        "policy-batch-limit-bool",
        lambda: RenewalPolicy(batch_limit=True),
        InvalidTypeError,
        "batch_limit",
    ),
    (
        "policy-extra-contacts-negative",
        lambda: RenewalPolicy(partner_max_extra_contacts=-1),
        InvalidInputError,
        "partner_max_extra_contacts",
    ),
    (
        "policy-duplicate-market",
        lambda: RenewalPolicy(markets=[Market(code="FR"), Market(code="FR")]),
        InvalidInputError,
        "markets[1].code",
    ),
    (
        "policy-market-not-market",
        lambda: RenewalPolicy(markets=["FR"]),
        InvalidTypeError,
        "markets",
    ),
    (
        "policy-manual-kinds-str",
        lambda: RenewalPolicy(manual_payment_kinds={"alipay"}),
        InvalidTypeError,
        "manual_payment_kinds",
    ),
]


# What each refusal says: the refused value and the message (a golden list,
# like the reason codes: error text is part of the contract).
GOLDEN_ERRORS: dict[str, tuple[object, str]] = {
    "datetime-term-start": (dt.datetime(2026, 5, 1, 0, 0), 'expected a datetime.date (not a datetime)'),
    "datetime-term-end": (dt.datetime(2027, 5, 1, 0, 0), 'expected a datetime.date (not a datetime)'),
    "str-term-end": ('2027-05-01', 'expected a datetime.date (not a datetime)'),
    "term-end-equal-start": (dt.date(2027, 5, 1), 'must be after term_start'),
    "term-end-before-start": (dt.date(2027, 5, 1), 'must be after term_start'),
    "quantity-zero": (0, 'must be at least 1'),
    "quantity-negative": (-3, 'must be at least 1'),
    "quantity-bool": (True, 'expected an int (not a bool)'),
    "quantity-float": (2.0, 'expected an int (not a bool)'),
    "currency-lowercase": ('eur', "must be an ISO 4217 code such as 'EUR'"),
    "currency-unknown": ('XYZ', "must be an ISO 4217 code such as 'EUR'"),
    "currency-not-str": (978, 'expected a str'),
    "csn-non-digits": ('51A0001', 'must be a non-empty string of digits'),
    "csn-empty": ('', 'must be a non-empty string of digits'),
    "csn-int": (5100001, 'expected a str of digits'),
    "csn-unicode-digits": ('५१००', 'must be a non-empty string of digits'),
    "partner-csn-non-digits": ('P-1', 'must be a non-empty string of digits'),
    "anchor-day-0": (0, 'must be at least 1'),
    "anchor-day-32": (32, 'must be at most 31'),
    "anchor-day-disagrees": (2, 'does not agree with term_end 2027-05-01'),
    "anchor-day-bool": (True, 'expected an int (not a bool)'),
    "term-str": ('annual', 'expected a Term member'),
    "pending-term-str": ('monthly', 'expected a Term member'),
    "purchase-method-str": ('online', 'expected a PurchaseMethod member'),
    "kind-str": ('trial', 'expected a SubscriptionKind member'),
    "partner-without-csn": (None, "is required when purchase_method is 'partner'"),
    "market-lowercase": ('fr', "must be two uppercase ASCII letters such as 'FR'"),
    "market-three-letters": ('FRA', "must be two uppercase ASCII letters such as 'FR'"),
    "id-blank": ('  ', 'must have a visible character'),
    "product-not-str": (None, 'expected a str (not a subclass)'),
    "product-int": (7, 'expected a str (not a subclass)'),
    "market-int": (33, 'expected a str'),
    "auto-renew-int": (1, 'expected a bool'),
    "payment-method-str": ('card', 'expected a PaymentMethod'),
    "payment-kind-str": ('card', 'expected a PaymentKind member'),
    "payment-expiry-datetime": (dt.datetime(2027, 1, 1, 0, 0), 'expected a datetime.date (not a datetime)'),
    "payment-valid-int": (0, 'expected a bool'),
    "market-code-digits": ('F1', "must be two uppercase ASCII letters such as 'FR'"),
    "market-capabilities-str": ('auto_renewal', 'expected a list, tuple or set of hashable items'),
    "market-capability-str-member": ('auto_renewal', 'expected a Capability member'),
    "account-csn": ('ABC', 'must be a non-empty string of digits'),
    "account-managed-str": ('yes', 'expected a bool'),
    "actor-role-str": ('buyer', 'expected a Role member'),
    "actor-roles-str": ('buyer', 'expected a list, tuple or set of hashable items'),
    "policy-window-zero": (0, 'must be at least 1'),
    "policy-batch-limit-zero": (0, 'must be at least 1'),
    "policy-batch-limit-bool": (True, 'expected an int (not a bool)'),
    "policy-extra-contacts-negative": (-1, 'must be at least 0'),
    "policy-duplicate-market": ('FR', 'is listed twice'),
    "policy-market-not-market": ('FR', 'expected a Market'),
    "policy-manual-kinds-str": ('alipay', 'expected a PaymentKind member'),
}  # fmt: skip


@pytest.mark.parametrize(
    ("name", "build", "error", "field"),
    [pytest.param(*row, id=row[0]) for row in REFUSALS],
)
def test_bad_input_is_refused_naming_the_field(
    name: str, build: Build, error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as caught:
        build()
    refusal = caught.value
    assert isinstance(refusal, InvalidInputError | InvalidTypeError)
    value, message = GOLDEN_ERRORS[name]
    assert (refusal.field, refusal.value, refusal.message) == (field, value, message)
    assert str(refusal) == f"{field}: {message} (got {value!r})"


def test_error_classes_subclass_the_builtins() -> None:
    assert issubclass(InvalidInputError, ValueError)
    assert issubclass(InvalidTypeError, TypeError)
    # Every bad input is an InvalidInputError (API.md), wrong types included.
    assert issubclass(InvalidTypeError, InvalidInputError)
    assert issubclass(UnknownMarketError, InvalidInputError)
    assert issubclass(UnknownMarketError, LookupError)
    for cls in (InvalidInputError, InvalidTypeError, UnknownMarketError):
        assert issubclass(cls, RenewalRulesError)


@pytest.mark.parametrize(
    "cls", [InvalidInputError, InvalidTypeError, UnknownMarketError]
)
def test_errors_pickle_with_their_attributes(cls: type[InvalidInputError]) -> None:
    error = cls("quantity", 0, "must be at least 1")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls
    assert (copy.field, copy.value, copy.message) == (
        "quantity",
        0,
        "must be at least 1",
    )
    assert str(copy) == str(error)


def test_anchor_day_defaults_to_term_end_day() -> None:
    assert (
        make_sub(term_end=date(2027, 5, 17), term_start=date(2026, 5, 17)).anchor_day
        == 17
    )


@pytest.mark.parametrize("anchor", [28, 29, 30, 31])
def test_an_anchor_past_a_short_month_agrees_with_its_last_day(anchor: int) -> None:
    # T2: Feb 28 of a common year is the clamped term end of anchors 28 to 31.
    sub = make_sub(
        term_start=date(2027, 1, 31), term_end=date(2027, 2, 28), anchor_day=anchor
    )
    assert sub.anchor_day == anchor


def test_anchor_before_the_day_disagrees() -> None:
    with pytest.raises(InvalidInputError, match="anchor_day"):
        make_sub(
            term_start=date(2027, 1, 31), term_end=date(2027, 2, 28), anchor_day=27
        )


def test_partner_purchase_with_partner_csn_is_accepted() -> None:
    sub = make_sub(purchase_method=PurchaseMethod.PARTNER, partner_csn="7200001")
    assert sub.partner_csn == "7200001"


def test_collections_are_stored_immutable() -> None:
    market = Market(code="FR", capabilities=[Capability.AUTO_RENEWAL])
    actor = Actor(csn="51", roles=(Role.BUYER, Role.BUYER))
    policy = RenewalPolicy(markets=[market])
    assert market.capabilities == frozenset({Capability.AUTO_RENEWAL})
    assert actor.roles == frozenset({Role.BUYER})
    assert policy.markets == (market,)


def test_models_are_frozen_and_evolve_revalidates() -> None:
    sub = make_sub()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        sub.quantity = 2  # type: ignore[misc]
    with pytest.raises(InvalidInputError, match="quantity"):
        attrs.evolve(sub, quantity=0)


def test_term_months() -> None:
    # T1
    assert [term.months for term in Term] == [1, 12, 36]


@pytest.mark.parametrize(
    "obj",
    [
        make_sub(),
        PaymentMethod(kind=PaymentKind.ALIPAY),
        Market(code="CN"),
        Account(csn="51", managed=True),
        Actor(csn="51", roles={Role.BUYER}),
        RenewalPolicy(markets=[Market(code="CN", capabilities=())]),
    ],
    ids=lambda obj: type(obj).__name__,
)
def test_models_pickle_and_hash(obj: Any) -> None:
    copy = pickle.loads(pickle.dumps(obj))
    assert copy == obj
    assert hash(copy) == hash(obj)


class TestPolicyMarkets:
    """A4: markets and their capabilities are data of the policy."""

    def test_listed_market(self) -> None:
        policy = RenewalPolicy(
            markets=[Market(code="CN", capabilities={Capability.MANUAL_RENEWAL})]
        )
        assert policy.market("CN") == Market(
            code="CN", capabilities={Capability.MANUAL_RENEWAL}
        )

    def test_unlisted_market_gets_the_default_capabilities_under_its_code(self) -> None:
        policy = RenewalPolicy(
            default_market=Market(code="ZZ", capabilities={Capability.TERM_CHANGE})
        )
        assert policy.market("BR") == Market(
            code="BR", capabilities={Capability.TERM_CHANGE}
        )

    def test_default_policy_offers_everything(self) -> None:
        assert RenewalPolicy().market("FR").capabilities == frozenset(Capability)

    def test_no_default_market_raises_unknown_market(self) -> None:
        policy = RenewalPolicy(markets=[Market(code="FR")], default_market=None)
        assert policy.market("FR").code == "FR"
        with pytest.raises(UnknownMarketError) as caught:
            policy.market("BR")
        assert caught.value.field == "market"
        assert caught.value.value == "BR"

    def test_bad_code_is_refused(self) -> None:
        with pytest.raises(InvalidInputError, match="code"):
            RenewalPolicy().market("france")

    def test_policies_compare_by_value(self) -> None:
        assert RenewalPolicy(markets=[Market(code="CN")]) == RenewalPolicy(
            markets=(Market(code="CN"),)
        )


class TestContainers:
    """Only the container is normalised; anything else is refused by name."""

    def test_non_iterable_capabilities(self) -> None:
        with pytest.raises(InvalidTypeError, match="capabilities"):
            Market(code="FR", capabilities=5)

    def test_market_code_not_a_string(self) -> None:
        with pytest.raises(InvalidTypeError, match="code"):
            Market(code=None)  # type: ignore[arg-type]

    @pytest.mark.parametrize("markets", [{Market(code="FR")}, 5, {"FR": 1}])
    def test_markets_must_be_a_sequence(self, markets: object) -> None:
        with pytest.raises(InvalidTypeError, match="markets"):
            RenewalPolicy(markets=markets)


def test_an_explicit_none_anchor_day_is_the_default() -> None:  # T2
    # API.md shows anchor_day=None: passing None means "term_end's day".
    sub = make_sub(
        term_start=date(2027, 1, 31), term_end=date(2027, 2, 28), anchor_day=None
    )
    assert sub.anchor_day == 28


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("csn", "1" * 257, "must be at most 256 characters"),
        ("id", "S" * 257, "must be at most 256 characters"),
        ("id", "S-\n", "must not hold a control character"),
        ("product", "A\u2028B", "must not hold a control character"),
    ],
)
def test_supported_identifiers(field: str, value: str, message: str) -> None:
    from tests.factories import make_sub

    assert make_sub(**{field: value[:256].replace("\n", "").replace("\u2028", "")})
    with pytest.raises(InvalidInputError, match=message) as caught:
        make_sub(**{field: value})
    assert caught.value.field == field
