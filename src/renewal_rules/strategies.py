"""Hypothesis strategies that build only valid ``renewal_rules`` objects.

Needs the ``hypothesis`` extra (``pip install renewal_rules[hypothesis]``);
``renewal_rules`` itself never imports this module.

Every strategy takes keyword-only arguments. A field argument pins the field
to a value (``subscriptions(kind=SubscriptionKind.TRIAL)``) or draws it from a
strategy (``subscriptions(term=st.sampled_from([Term.ANNUAL]))``). Arguments
are checked eagerly: an unknown field name or a pinned value that the model
would refuse raises `hypothesis.errors.InvalidArgument` when the
strategy is built, not in the middle of a test.

>>> from hypothesis import given
>>> from renewal_rules import SubscriptionKind, check_renewal
>>> @given(subscriptions(kind=SubscriptionKind.TRIAL))
... def test_trials_never_renew(sub):
...     assert not check_renewal(sub, as_of=sub.term_start)
>>> test_trials_never_renew()
"""

from __future__ import annotations

import calendar
import functools
import random
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar, cast

import attrs

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError as error:  # pragma: no cover - the extra is installed in tests
    raise ImportError(
        "renewal_rules.strategies needs the 'hypothesis' extra: "
        "pip install renewal_rules[hypothesis]"
    ) from error

from renewal_rules import lifecycle
from renewal_rules._dates import add_months_anchored
from renewal_rules._validators import check_text
from renewal_rules.batching import BatchAction, BatchPlan, plan_batches
from renewal_rules.catalog import ROWS, ReasonCode
from renewal_rules.decisions import (
    DateWindow,
    Decision,
    Reason,
    RenewalRequirement,
    StageDates,
)
from renewal_rules.eligibility import renewal_requirement, renewal_window
from renewal_rules.errors import RenewalRulesError
from renewal_rules.model import (
    Account,
    Actor,
    LateRenewalBasis,
    LineKind,
    Offering,
    PaymentKind,
    PaymentMethod,
    Promotion,
    PurchaseMethod,
    Quote,
    QuoteChannel,
    QuoteLine,
    QuoteStatus,
    Recipient,
    Role,
    Subscription,
    SubscriptionKind,
    Term,
)
from renewal_rules.policy import DEFAULT_POLICY, Capability, Market, RenewalPolicy
from renewal_rules.timeline import TimelineEvent, renewal_timeline

__all__ = [
    "DEFAULT_AS_OF",
    "DRAWN_MEMBERS",
    "accounts",
    "actors",
    "batch_plans",
    "csns",
    "date_windows",
    "decisions",
    "markets",
    "models",
    "payment_methods",
    "policies",
    "portfolios",
    "promotions",
    "quote_lines",
    "quotes",
    "reasons",
    "recipients",
    "requirements",
    "stage_dates",
    "subscriptions",
    "timeline_events",
]

T = TypeVar("T")

MIN_DATE = date(2020, 1, 1)
MAX_DATE = date(2039, 12, 31)

# Few values on purpose: portfolios then share CSNs, currencies and markets,
# so grouping and mixing rules are exercised, not only the all-distinct case.
CURRENCIES = ("EUR", "USD", "JPY", "GBP", "CNY")
MARKET_CODES = ("FR", "US", "JP", "GB", "CN", "DE")
_SAMPLE_CSNS = ("5100001", "5100002", "5100003", "7200001")


def _strategy(value: Any) -> st.SearchStrategy[Any]:
    return value if isinstance(value, st.SearchStrategy) else st.just(value)


def _check_fixed(cls: type[Any], fixed: Mapping[str, Any]) -> None:
    # Eager checks: unknown names, and pinned values the field refuses.
    fields = {field.name: field for field in attrs.fields(cls) if field.init}
    for name, pinned in fixed.items():
        value = pinned
        if name not in fields:
            raise InvalidArgument(
                f"{cls.__name__} has no field {name!r}; fields: {sorted(fields)}"
            )
        if isinstance(value, st.SearchStrategy):
            continue
        field = fields[name]
        if field.converter is not None:
            value = field.converter(value)
        # Every model field has a validator: run the very check __init__ runs.
        validator = cast("Callable[[Any, Any, Any], None]", field.validator)
        try:
            validator(None, field, value)
        except RenewalRulesError as error:
            raise InvalidArgument(f"{name}={value!r}: {error}") from error


def dates(
    min_value: date = MIN_DATE, max_value: date = MAX_DATE
) -> st.SearchStrategy[date]:
    """Plain calendar dates (never ``datetime``); shrink toward ``min_value``."""
    return st.dates(min_value=min_value, max_value=max_value)


def csns() -> st.SearchStrategy[str]:
    """Customer serial numbers: a few shared ones, or any string of digits.

    Shrinks toward ``"5100001"``.
    """
    return st.sampled_from(_SAMPLE_CSNS) | st.text(
        alphabet="0123456789", min_size=1, max_size=10
    )


def payment_methods(**fixed: Any) -> st.SearchStrategy[PaymentMethod]:
    """Valid [`PaymentMethod`][renewal_rules.PaymentMethod] objects; pin any field.

    Shrinks toward a valid card that never expires.
    """
    _check_fixed(PaymentMethod, fixed)
    return st.builds(
        PaymentMethod,
        kind=_strategy(fixed.get("kind", st.sampled_from(PaymentKind))),
        expires_on=_strategy(fixed.get("expires_on", st.none() | dates())),
        valid=_strategy(fixed.get("valid", st.booleans().map(lambda b: not b))),
    )


def markets(**fixed: Any) -> st.SearchStrategy[Market]:
    """Valid [`Market`][renewal_rules.Market] objects; pin ``code`` or ``capabilities``.

    Shrinks toward ``"FR"`` with no capability.
    """
    _check_fixed(Market, fixed)
    return st.builds(
        Market,
        code=_strategy(fixed.get("code", st.sampled_from(MARKET_CODES))),
        capabilities=_strategy(
            fixed.get("capabilities", st.frozensets(st.sampled_from(Capability)))
        ),
    )


def _days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


_ANY_ANCHOR = st.integers(1, 31)


@functools.lru_cache(maxsize=64)
def _stage_offsets(window: int, expired: int, suspended: int) -> st.SearchStrategy[int]:
    # Days from as_of to term_end: active (far, or inside the window), or in
    # each stage after expiry the policy can reach (G1: expired for
    # ``expired`` days, suspended for ``suspended``), each about a fifth of
    # the examples, so that every renewal mode and lifecycle stage is a good
    # share of them on that day.
    branches = [
        (2, st.integers(window + 1, window + 2000)),
        (6, st.integers(1, window)),
    ]
    if expired:
        branches.append((4, st.integers(1 - expired, 0)))
    if suspended:
        branches.append((4, st.integers(1 - expired - suspended, -expired)))
    branches.append((3, st.integers(-expired - suspended - 400, -expired - suspended)))
    chosen = [strategy for weight, strategy in branches for _ in range(weight)]
    return st.sampled_from(range(len(chosen))).flatmap(lambda i: chosen[i])


def _offsets(policy: RenewalPolicy, term: Term) -> st.SearchStrategy[int]:
    return _stage_offsets(
        policy.renewal_window_days,
        policy.expired_stage_days,
        policy.suspended_stage_days[term],
    )


_SUBSCRIPTION_DEFAULTS: dict[str, st.SearchStrategy[Any]] = {
    "id": st.integers(0, 999_999).map("S-{}".format),
    "csn": csns(),
    "product": st.sampled_from(("ACDLT", "RVT", "MAYA", "INVPROSA")),
    "term": st.sampled_from(Term),
    "currency": st.sampled_from(CURRENCIES),
    "purchase_method": st.sampled_from(PurchaseMethod),
    "market": st.sampled_from(MARKET_CODES),
    "quantity": st.integers(1, 500),
    "kind": st.sampled_from((SubscriptionKind.PAID,) * 9 + (SubscriptionKind.TRIAL,)),
    # A card that can always be charged, or any method: automatic renewals
    # are a good share of the default mix.
    "payment_method": st.one_of(
        *(st.just(PaymentMethod(kind=PaymentKind.CARD)),) * 3,
        st.none(),
        payment_methods(),
    ),
    "auto_renew": st.sampled_from((True, True, False)),
    "pending_term": st.none() | st.sampled_from(Term),
}
_PENDING_QUANTITY = st.none() | st.integers(1, 500)
_PARTNER_CSN = {True: csns(), False: st.none() | csns()}


_RENEWS_ALONE = ("kind", "auto_renew", "payment_method")
_HEALTHY_SHARE = st.sampled_from((False, True, False, False, False))
_HEALTHY = {
    "kind": SubscriptionKind.PAID,
    "auto_renew": True,
    "payment_method": PaymentMethod(kind=PaymentKind.CARD),
}


def _draw_subscription(
    draw: st.DrawFn,
    /,
    pinned: Mapping[str, st.SearchStrategy[Any]],
    healthy: bool = False,
    around: tuple[date, RenewalPolicy] | None = None,
    **known: Any,
) -> Subscription:
    values = {
        name: draw(strategy) for name, strategy in pinned.items() if name not in known
    }
    values.update(known)
    if healthy and draw(_HEALTHY_SHARE):
        # One in five is set up to renew automatically (paid, auto-renew
        # on, a card that can always be charged): a good share of AUTOMATIC.
        values.update(_HEALTHY)
    term: Term = values["term"]
    if "term_end" in values:
        term_end: date = values["term_end"]
        if "anchor_day" not in values:
            last = _days_in_month(term_end)
            # Any anchor that agrees with term_end: its day, or any day past
            # the end of a short month.
            values["anchor_day"] = (
                draw(st.integers(term_end.day, 31))
                if term_end.day == last
                else term_end.day
            )
    else:
        as_of, policy = around or (DEFAULT_AS_OF, DEFAULT_POLICY)
        offset = draw(_offsets(policy, term))
        term_end = min(max(as_of + timedelta(days=offset), _FIRST_END), _LAST_END)
        if "anchor_day" in values:  # a pinned anchor moves it in its month
            anchor = values["anchor_day"]
            term_end = term_end.replace(day=min(anchor, _days_in_month(term_end)))
        elif term_end.day == _days_in_month(term_end):
            values["anchor_day"] = draw(st.integers(term_end.day, 31))
        else:
            values["anchor_day"] = term_end.day
        values["term_end"] = term_end
    if "term_start" not in values:
        values["term_start"] = add_months_anchored(
            term_end, -term.months, anchor_day=values["anchor_day"]
        )
    if "partner_csn" not in values:
        is_partner = values["purchase_method"] is PurchaseMethod.PARTNER
        values["partner_csn"] = draw(_PARTNER_CSN[is_partner])
    if "pending_quantity" not in values:  # P3: never above the quantity
        pending = draw(_PENDING_QUANTITY)
        values["pending_quantity"] = (
            None if pending is None else min(pending, values["quantity"])
        )
    return Subscription(**values)


_subscription = st.composite(_draw_subscription)


def subscriptions(
    *,
    as_of: date | None = None,
    policy: RenewalPolicy | None = None,
    **fixed: Any,
) -> st.SearchStrategy[Subscription]:
    """Valid `Subscription` objects; pin any field to a value or a strategy.

    Term ends are drawn around ``as_of`` (default
    [`DEFAULT_AS_OF`][renewal_rules.strategies.DEFAULT_AS_OF]) for ``policy`` (default
    ``DEFAULT_POLICY``): far from renewal, inside its window, and in each stage after
    expiry the policy can reach, so that on ``as_of`` each renewal mode and each
    lifecycle stage is a good share of the examples (about a fifth or more; a pinned
    field changes the mix).

    ``term_start``, ``term_end`` and ``anchor_day`` agree by construction
    (pinning ``term_end`` alone picks an anchor that agrees with it; pinning
    all three is the caller's responsibility). A ``PARTNER`` purchase always
    gets a ``partner_csn``.

    Shrinks toward a paid monthly subscription in ``"FR"``, in ``EUR``, bought
    online by CSN ``"5100001"``, with no payment method and auto-renew off.
    """
    if as_of is not None and (
        type(as_of) is not date or not _FIRST_END <= as_of <= _LAST_END
    ):
        raise InvalidArgument(f"as_of must be a date from 1901 to 9898, got {as_of!r}")
    if policy is not None and not isinstance(policy, RenewalPolicy):
        raise InvalidArgument(
            f"policy must be a RenewalPolicy, got {type(policy).__name__}"
        )
    _check_fixed(Subscription, fixed)
    pinned = dict(_SUBSCRIPTION_DEFAULTS)
    pinned.update({name: _strategy(value) for name, value in fixed.items()})
    healthy = not any(name in fixed for name in _RENEWS_ALONE)
    around = (as_of or DEFAULT_AS_OF, policy or DEFAULT_POLICY)
    return _subscription(pinned, healthy, around)


# Days from as_of to term_end: the window edges, expired, inside the default
# 90-day window, or far from renewal, so every mode and edge shows up.
_OFFSETS = (
    st.sampled_from((0, 1, 90, 91, -1))
    | st.integers(-400, 0)
    | st.integers(1, 90)
    | st.integers(91, 1200)
)


def _member_profiles(count: int = 256) -> tuple[dict[str, Any], ...]:
    # Portfolio members are drawn as (profile, CSN, days to term_end): three
    # draws a member instead of a dozen, so portfolios of hundreds stay
    # small inputs for Hypothesis. The profiles are a fixed, varied list
    # (a seeded generator at import, never at test time); profile 0 is the
    # simplest: paid, monthly, EUR, online, in FR, no payment method.
    rng = random.Random(20261127)
    payments = (
        None,
        PaymentMethod(kind=PaymentKind.CARD),
        PaymentMethod(
            kind=PaymentKind.CARD, expires_on=DEFAULT_AS_OF + timedelta(days=30)
        ),
        PaymentMethod(kind=PaymentKind.PAYPAL),
        PaymentMethod(kind=PaymentKind.ALIPAY),
        PaymentMethod(kind=PaymentKind.DIRECT_DEBIT, valid=False),
        PaymentMethod(kind=PaymentKind.INVOICE),
    )
    profiles = [
        {
            "product": "ACDLT",
            "term": Term.MONTHLY,
            "currency": "EUR",
            "purchase_method": PurchaseMethod.ONLINE,
            "market": "FR",
            "quantity": 1,
            "kind": SubscriptionKind.PAID,
            "payment_method": None,
            "auto_renew": False,
            "pending_term": None,
            "partner_csn": None,
        }
    ]
    while len(profiles) < count:
        method = rng.choice(tuple(PurchaseMethod))
        profiles.append(
            {
                "product": rng.choice(("ACDLT", "RVT", "MAYA", "INVPROSA")),
                "term": rng.choice(tuple(Term)),
                "currency": rng.choice(CURRENCIES),
                "purchase_method": method,
                "market": rng.choice(MARKET_CODES),
                "quantity": rng.randint(1, 50),
                "kind": rng.choice(
                    (SubscriptionKind.PAID,) * 5 + (SubscriptionKind.TRIAL,)
                ),
                "payment_method": rng.choice(payments + payments[1:2] * 3),
                "auto_renew": rng.random() < 0.6,
                "pending_term": rng.choice((None, None, None, *Term)),
                "partner_csn": rng.choice(_SAMPLE_CSNS)
                if method is PurchaseMethod.PARTNER
                else None,
            }
        )
    return tuple(profiles)


@st.composite
def _portfolio(
    draw: st.DrawFn, as_of: date, min_size: int, max_size: int
) -> tuple[Subscription, ...]:
    size = draw(st.integers(min_size, max_size))
    # The first members are drawn one by one (each shrinks); past
    # DRAWN_MEMBERS, the rest come from one drawn seed, so a portfolio of
    # thousands stays a small input for Hypothesis and passes its checks.
    rng = (
        random.Random(draw(st.integers(0, 2**32 - 1))) if size > DRAWN_MEMBERS else None
    )
    subs = []
    for index in range(size):
        seeded = rng is not None and index >= DRAWN_MEMBERS
        if seeded:
            assert rng is not None
            profile = _PROFILES[rng.randrange(len(_PROFILES))]
            offset = rng.choice((0, 1, 90, 91, -1, rng.randint(-400, 1200)))
            term_end = as_of + timedelta(days=offset)
        else:
            profile = _PROFILES[draw(_PROFILE_INDEX)]
            term_end = as_of + timedelta(days=draw(_OFFSETS))
        last = _days_in_month(term_end)
        if term_end.day < last:
            anchor = term_end.day
        else:
            anchor = rng.randint(last, 31) if seeded else draw(st.integers(last, 31))  # type: ignore[union-attr]
        csn = rng.choice(_SAMPLE_CSNS) if seeded else draw(_MEMBER_CSN)  # type: ignore[union-attr]
        subs.append(
            Subscription(
                id=f"S-{index:06d}",
                csn=csn,
                term_end=term_end,
                term_start=add_months_anchored(
                    term_end, -profile["term"].months, anchor_day=anchor
                ),
                anchor_day=anchor,
                **profile,
            )
        )
    return tuple(subs)


DEFAULT_AS_OF = date(2027, 3, 1)
"""The day `portfolios` spreads subscriptions around by default."""
# Term ends keep their term start and next term inside the supported range.
_FIRST_END = date(1901, 1, 1)
_LAST_END = date(9898, 12, 31)

DRAWN_MEMBERS = 100
"""Members of a portfolio drawn one by one; the rest come from a drawn seed."""
_PROFILES = _member_profiles()
_PROFILE_INDEX = st.integers(0, len(_PROFILES) - 1)
_MEMBER_CSN = st.sampled_from(_SAMPLE_CSNS)


def portfolios(
    *, as_of: date = DEFAULT_AS_OF, min_size: int = 0, max_size: int = 50
) -> st.SearchStrategy[tuple[Subscription, ...]]:
    """Tuples of subscriptions with unique ids, spread around ``as_of``.

    They share a few CSNs, currencies, markets and purchase methods, and mix
    trials, expired subscriptions, ones inside their renewal window (its edges
    included) and ones far from renewal.

    Use the same ``as_of`` in the rules under test (it defaults to
    [`DEFAULT_AS_OF`][renewal_rules.strategies.DEFAULT_AS_OF], 2027-03-01) so the window
    edges fall where the strategy put them. Shrinks toward ``min_size`` subscriptions,
    each renewing on ``as_of``.
    """
    if type(as_of) is not date:
        raise InvalidArgument(f"as_of={as_of!r} must be a datetime.date")
    if type(min_size) is not int or type(max_size) is not int:
        raise InvalidArgument(f"sizes must be ints, got {min_size!r} and {max_size!r}")
    if not (0 <= min_size <= max_size):
        raise InvalidArgument(
            f"need 0 <= min_size <= max_size, got {min_size} and {max_size}"
        )
    return _portfolio(as_of, min_size, max_size)


def accounts(**fixed: Any) -> st.SearchStrategy[Account]:
    """Valid `Account` objects; shrinks toward an unmanaged account."""
    _check_fixed(Account, fixed)
    return st.builds(
        Account,
        csn=_strategy(fixed.get("csn", csns())),
        managed=_strategy(fixed.get("managed", st.booleans())),
    )


def actors(**fixed: Any) -> st.SearchStrategy[Actor]:
    """Valid `Actor` objects; shrinks toward an actor with no role."""
    _check_fixed(Actor, fixed)
    return st.builds(
        Actor,
        csn=_strategy(fixed.get("csn", csns())),
        roles=_strategy(fixed.get("roles", st.frozensets(st.sampled_from(Role)))),
    )


def policies(**fixed: Any) -> st.SearchStrategy[RenewalPolicy]:
    """Valid `RenewalPolicy` objects with unique market codes.

    The default market is always set, so every market code resolves and the
    rules never raise ``UnknownMarketError`` on these policies; pin
    ``default_market=None`` to test that error. Shrinks toward the smallest
    numbers, no listed market and a default market with no capability.
    Part 2 settings are drawn too: post-expiry policies (``post_expiry_renewal``
    on) are half of the examples.
    """
    _check_fixed(RenewalPolicy, fixed)
    market_list = st.lists(
        markets(), max_size=len(MARKET_CODES), unique_by=lambda m: m.code
    )
    return st.builds(
        RenewalPolicy,
        renewal_window_days=_strategy(
            fixed.get("renewal_window_days", st.integers(1, 120))
        ),
        batch_limit=_strategy(fixed.get("batch_limit", st.integers(1, 150))),
        self_service_max_recipients=_strategy(
            fixed.get("self_service_max_recipients", st.integers(1, 8))
        ),
        partner_max_extra_contacts=_strategy(
            fixed.get("partner_max_extra_contacts", st.integers(0, 8))
        ),
        manual_payment_kinds=_strategy(
            fixed.get(
                "manual_payment_kinds", st.frozensets(st.sampled_from(PaymentKind))
            )
        ),
        markets=_strategy(fixed.get("markets", market_list.map(tuple))),
        default_market=_strategy(fixed.get("default_market", markets())),
        **{
            name: _strategy(fixed.get(name, default))
            for name, default in _PART_2_POLICY.items()
        },
    )


_TERMS = st.frozensets(st.sampled_from(Term))
_PART_2_POLICY: dict[str, st.SearchStrategy[Any]] = {
    "post_expiry_renewal": st.booleans(),
    "expired_stage_days": st.integers(0, 30),
    "suspended_stage_days": st.fixed_dictionaries(
        {term: st.integers(0, 45) for term in Term}
    ),
    "late_renewal_basis": st.sampled_from(LateRenewalBasis),
    "quote_days_after_expiry": st.integers(0, 60),
    "auto_quote_days_before": st.integers(0, 60),
    "auto_quote_terms": _TERMS,
    "reminder_days_before": st.lists(st.integers(1, 90), unique=True, max_size=4).map(
        tuple
    ),
    "remind_automatic": st.booleans(),
    "invoice_payment_days": st.integers(0, 60),
    "card_paypal_max_usd": st.integers(0, 50_000) | st.decimals(0, 50_000, places=2),
    "renewal_price_terms": _TERMS,
}


_ADDRESSES = (
    st.sampled_from(
        ("buyer@example.com", "ana.silva@example.fr", "it+renewals@corp.example.org")
    )
    | st.emails()
)


def recipients(**fixed: Any) -> st.SearchStrategy[Recipient]:
    """Valid `Recipient` objects (the address is any text or an e-mail).

    Mostly syntactically valid addresses, sometimes arbitrary text, since
    addresses are checked by ``check_quote``, not at construction. Shrinks
    toward ``buyer@example.com``, a company contact.
    """
    _check_fixed(Recipient, fixed)
    return st.builds(
        Recipient,
        email=_strategy(fixed.get("email", _ADDRESSES | st.text(max_size=20))),
        company_contact=_strategy(
            fixed.get("company_contact", st.booleans().map(lambda b: not b))
        ),
    )


def quote_lines(**fixed: Any) -> st.SearchStrategy[QuoteLine]:
    """Valid [`QuoteLine`][renewal_rules.QuoteLine] objects; pin any field.

    Shrinks toward a standard new line of one monthly seat in EUR, without
    subscription, partner or start date.
    """
    _check_fixed(QuoteLine, fixed)
    defaults: dict[str, st.SearchStrategy[Any]] = {
        "kind": st.sampled_from(LineKind),
        "product": _SUBSCRIPTION_DEFAULTS["product"],
        "quantity": st.integers(1, 50),
        "term": st.sampled_from(Term),
        "currency": st.sampled_from(CURRENCIES),
        "csn": st.sampled_from(_SAMPLE_CSNS),
        "partner_csn": st.none() | st.sampled_from(_SAMPLE_CSNS),
        "subscription": st.none() | subscriptions(),
        "offering": st.sampled_from(Offering),
        "start_date": st.none() | dates(),
    }
    defaults.update({name: _strategy(value) for name, value in fixed.items()})
    return st.builds(QuoteLine, **defaults)


@st.composite
def _quote(draw: st.DrawFn, pinned: Mapping[str, st.SearchStrategy[Any]]) -> Quote:
    values = {name: draw(strategy) for name, strategy in pinned.items()}
    if "expires_on" not in values:
        days = draw(st.none() | st.integers(0, 120))
        values["expires_on"] = (
            None if days is None else values["created_on"] + timedelta(days=days)
        )
    return Quote(**values)


def quotes(**fixed: Any) -> st.SearchStrategy[Quote]:
    """Valid `Quote` objects: any channel, 0-5 lines, 0-6 recipients.

    Only construction-time validity is guaranteed (``expires_on`` is not
    before ``created_on``); the quotes exercise every reason of
    ``check_quote``. Shrinks toward a self-service draft in ``"FR"`` with no
    line, no recipient and no expiry.
    """
    _check_fixed(Quote, fixed)
    pinned: dict[str, st.SearchStrategy[Any]] = {
        "id": st.integers(0, 9999).map("Q-{}".format),
        "channel": st.sampled_from((QuoteChannel.SELF_SERVICE, QuoteChannel.PARTNER)),
        "market": st.sampled_from(MARKET_CODES),
        "lines": st.lists(quote_lines(), max_size=5).map(tuple),
        "created_on": dates(),
        "recipients": st.lists(recipients(), max_size=6).map(tuple),
        "status": st.sampled_from(QuoteStatus),
        "new_credit_line": st.booleans(),
    }
    pinned.update({name: _strategy(value) for name, value in fixed.items()})
    return _quote(pinned)


@st.composite
def _promotion(
    draw: st.DrawFn, pinned: Mapping[str, st.SearchStrategy[Any]]
) -> Promotion:
    values = {name: draw(strategy) for name, strategy in pinned.items()}
    if "ends_on" not in values:
        values["ends_on"] = values["starts_on"] + timedelta(
            days=draw(st.integers(0, 400))
        )
    return Promotion(**values)


def promotions(**fixed: Any) -> st.SearchStrategy[Promotion]:
    """Valid `Promotion` objects; ``None`` filters mean "any".

    Shrinks toward a one-day promotion that applies to any market, product,
    term and line kind.
    """
    _check_fixed(Promotion, fixed)

    def some(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.none() | st.frozensets(values, min_size=1, max_size=3)

    pinned: dict[str, st.SearchStrategy[Any]] = {
        "code": st.sampled_from(("SPRING", "RENEW10", "LOYALTY")),
        "starts_on": dates(),
        "markets": some(st.sampled_from(MARKET_CODES)),
        "products": some(_SUBSCRIPTION_DEFAULTS["product"]),
        "terms": some(st.sampled_from(Term)),
        "line_kinds": some(st.sampled_from(LineKind)),
    }
    pinned.update({name: _strategy(value) for name, value in fixed.items()})
    return _promotion(pinned)


def models() -> st.SearchStrategy[Any]:
    """Any valid model object, of every public model type.

    For laws that hold for all of them (round trips, pickling). Shrinks
    toward a valid card that never expires.
    """
    return st.one_of(
        payment_methods(),
        markets(),
        subscriptions(),
        accounts(),
        actors(),
        policies(),
        recipients(),
        quote_lines(),
        quotes(),
        promotions(),
    )


_PARAM_VALUES: dict[type[Any], st.SearchStrategy[Any]] = {
    int: st.integers(0, 10_000),
    str: st.text(max_size=20),
    date: st.dates(date(1900, 1, 1), date(9899, 12, 31)),
    Capability: st.sampled_from(Capability),
    Decimal: st.decimals(0, 10**9, places=2),
}


@st.composite
def _reason(draw: st.DrawFn, code: st.SearchStrategy[ReasonCode]) -> Reason:
    chosen = draw(code)
    params = {name: draw(_PARAM_VALUES[kind]) for name, kind in ROWS[chosen].params}
    subject = draw(st.none() | st.text(min_size=1, max_size=12).filter(_visible))
    return Reason(code=chosen, subject=subject, params=params)


def _visible(text: str) -> bool:
    try:
        check_text("subject", text)
    except RenewalRulesError:
        return False
    return True


def reasons(*, code: ReasonCode | None = None) -> st.SearchStrategy[Reason]:
    """Valid [`Reason`][renewal_rules.Reason] objects, params as the catalogue says.

    Pin ``code`` to draw reasons of one code. Shrinks toward the first code
    with no subject and the smallest params.
    """
    if code is not None and not isinstance(code, ReasonCode):
        raise InvalidArgument(f"code must be a ReasonCode, got {type(code).__name__}")
    return _reason(st.sampled_from(ReasonCode) if code is None else st.just(code))


# -- result values, made by the library's own functions ------------------------
#
# A result type's invariants are the rules' (a window closes after it opens,
# the stages are in order): drawing them from the functions that make them
# keeps every example one the library could return.


def decisions() -> st.SearchStrategy[Decision]:
    """Valid `Decision` objects: allowed, or up to 4 reasons."""
    return st.lists(reasons(), max_size=4).map(Decision.from_reasons)


def requirements() -> st.SearchStrategy[RenewalRequirement]:
    """A drawn subscription's requirement on ``DEFAULT_AS_OF`` (every mode appears)."""
    return subscriptions().map(
        lambda sub: renewal_requirement(sub, as_of=DEFAULT_AS_OF)
    )


def date_windows() -> st.SearchStrategy[DateWindow]:
    """The manual renewal window of a drawn subscription (M1)."""
    return subscriptions().map(renewal_window)


def stage_dates() -> st.SearchStrategy[StageDates]:
    """The stage dates of a drawn subscription (G1)."""
    return subscriptions().map(lifecycle.stage_dates)


@st.composite
def _event(draw: st.DrawFn) -> TimelineEvent:
    sub = draw(subscriptions())
    events = renewal_timeline(
        sub, start=sub.term_start, end=sub.term_end + timedelta(days=400)
    )
    return draw(st.sampled_from(events))  # every term gives events


def timeline_events() -> st.SearchStrategy[TimelineEvent]:
    """An event of a drawn subscription's timeline (N3)."""
    return _event()


def batch_plans() -> st.SearchStrategy[BatchPlan]:
    """The ``RENEW`` plan of a drawn portfolio on ``DEFAULT_AS_OF`` (B1-B4)."""
    return portfolios(max_size=12).map(
        lambda subs: plan_batches(subs, action=BatchAction.RENEW, as_of=DEFAULT_AS_OF)
    )
