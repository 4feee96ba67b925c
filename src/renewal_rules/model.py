"""The immutable model: subscriptions, payment methods, accounts and actors.

Every class is an ``attrs`` frozen, slotted class validated at construction:
a bad value raises [`InvalidInputError`][renewal_rules.InvalidInputError] (or
[`InvalidTypeError`][renewal_rules.InvalidTypeError] for a wrong type) naming the field,
and nothing is silently coerced. Change a model object with
`attrs.evolve`, which validates again.

Enum values are stable lowercase strings (the enums are ``StrEnum``), so they
serialise as their value; a bare string is still refused where an enum is due.
"""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum
from typing import Any

import attrs

from renewal_rules import _validators as v
from renewal_rules.errors import InvalidInputError, InvalidTypeError

__all__ = [
    "Account",
    "AccountAction",
    "Actor",
    "Capability",
    "LateRenewalBasis",
    "LifecycleStage",
    "LineKind",
    "Offering",
    "PaymentKind",
    "PaymentMethod",
    "PriceBasis",
    "Promotion",
    "PurchaseMethod",
    "Quote",
    "QuoteChange",
    "QuoteChannel",
    "QuoteLine",
    "QuoteStatus",
    "Recipient",
    "Role",
    "Subscription",
    "SubscriptionKind",
    "Term",
]


class Term(StrEnum):
    """The length of a subscription term (T1).

    >>> Term.ANNUAL.months
    12
    """

    MONTHLY = "monthly"
    ANNUAL = "annual"
    THREE_YEAR = "three_year"

    @property
    def months(self) -> int:
        """The number of calendar months in one term: 1, 12 or 36."""
        return _TERM_MONTHS[self]


_TERM_MONTHS = {Term.MONTHLY: 1, Term.ANNUAL: 12, Term.THREE_YEAR: 36}

MAX_QUANTITY = 1_000_000_000
"""The most seats a subscription or a quote line may hold."""


class SubscriptionKind(StrEnum):
    """Whether a subscription is paid or a trial (E1)."""

    PAID = "paid"
    TRIAL = "trial"


class PurchaseMethod(StrEnum):
    """How a subscription was bought; part of the batch group key (B3)."""

    ONLINE = "online"
    """Bought in the customer's own account."""
    PARTNER = "partner"
    """Bought through a reseller (needs a ``partner_csn``)."""
    DIRECT = "direct"
    """Bought through the vendor's sales team."""


class PaymentKind(StrEnum):
    """The kind of a payment method; some cannot carry a recurring charge (A2)."""

    CARD = "card"
    PAYPAL = "paypal"
    DIRECT_DEBIT = "direct_debit"
    ALIPAY = "alipay"
    CONVENIENCE_STORE = "convenience_store"
    BANK_TRANSFER = "bank_transfer"
    INVOICE = "pay_by_invoice"
    """Pay by invoice (A5): carries recurring renewals, an invoice each time."""


class Capability(StrEnum):
    """A renewal path that a market may offer (A4, M2, Q1, T1)."""

    AUTO_RENEWAL = "auto_renewal"
    MANUAL_RENEWAL = "manual_renewal"
    BATCH_AUTO_RENEWAL = "batch_auto_renewal"
    BATCH_MANUAL_RENEWAL = "batch_manual_renewal"
    PARTNER_QUOTE = "partner_quote"
    SELF_SERVICE_QUOTE = "self_service_quote"
    TERM_CHANGE = "term_change"
    ALIGN_PAYMENT_DATES = "align_payment_dates"
    ADD_SEATS = "add_seats"


class LifecycleStage(StrEnum):
    """Where a subscription is in its life after expiry (G1)."""

    ACTIVE = "active"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    CANCELED = "canceled"


class LateRenewalBasis(StrEnum):
    """Where a renewal recorded after ``term_end`` starts its new term (G4)."""

    ANNIVERSARY = "anniversary"
    """At the old ``term_end``: the anniversary is kept (E4)."""
    RENEWAL_DATE = "renewal_date"
    """On the day of the renewal, anchored on that day."""


class PriceBasis(StrEnum):
    """The price list a renewal is charged from (P1): a basis, never an amount."""

    RENEWAL = "renewal"
    NEW = "new"


class AccountAction(StrEnum):
    """What an actor does in an account (R1, R3)."""

    RENEW = "renew"
    """Renew or change renewal settings (R1)."""
    CHANGE_SEATS = "change_seats"
    """Add or reduce seats (R3: the purchaser only)."""
    ALIGN_PAYMENT_DATES = "align_payment_dates"
    """Align payment dates (R3: the purchaser only)."""


class Role(StrEnum):
    """A role an actor holds in a customer account (R1)."""

    PRIMARY_ADMIN = "primary_admin"
    SECONDARY_ADMIN = "secondary_admin"
    CONTRACT_MANAGER = "contract_manager"
    BUYER = "buyer"
    USER = "user"


@attrs.frozen(kw_only=True)
class PaymentMethod:
    """A payment method on file.

    Attributes:
        kind: the [`PaymentKind`][renewal_rules.PaymentKind].
        expires_on: the last day it can be charged, or ``None`` if it does not
            expire.
        valid: ``False`` when the method is known to be unusable (declined,
            revoked).
    """

    kind: PaymentKind = attrs.field(validator=v.enum_member(PaymentKind))
    expires_on: date | None = attrs.field(default=None, validator=v.optional_date)
    valid: bool = attrs.field(default=True, validator=v.strict_bool)


def _default_anchor(sub: Subscription) -> int:
    # Runs before the validators: a bad term_end is reported by its own
    # validator, so any placeholder will do here.
    term_end: Any = sub.term_end
    return term_end.day if isinstance(term_end, date) else 1


@attrs.frozen(kw_only=True)
class Subscription:
    """One subscription, in its current term ``[term_start, term_end)``.

    ``term_end`` is both the renewal date and the expiration date. The
    ``anchor_day`` (1-31) is the day of month that every term end falls on,
    clamped to short months; it defaults to ``term_end.day`` and never changes
    when the subscription renews (E4, T2).

    >>> from datetime import date
    >>> sub = Subscription(
    ...     id="S-1", csn="5100001", product="ACD", term=Term.MONTHLY,
    ...     term_start=date(2027, 1, 31), term_end=date(2027, 2, 28),
    ...     currency="EUR", purchase_method=PurchaseMethod.ONLINE, market="FR",
    ...     anchor_day=31,
    ... )
    >>> sub.anchor_day
    31

    Attributes:
        id: the subscription's identifier (non-blank).
        csn: the customer serial number, a string of digits.
        product: the product code (non-blank).
        term: the current [`Term`][renewal_rules.Term].
        term_start: the first day of the current term.
        term_end: the renewal (and expiration) date, after ``term_start``.
        currency: an ISO 4217 code such as ``"EUR"``.
        purchase_method: the [`PurchaseMethod`][renewal_rules.PurchaseMethod].
        market: a market code such as ``"FR"``, resolved by the policy.
        quantity: the number of seats, at least 1.
        kind: paid or trial.
        payment_method: the recurring payment method on file, if any.
        auto_renew: whether automatic renewal is switched on.
        partner_csn: the reseller's CSN; required for ``PurchaseMethod.PARTNER``.
        pending_term: a term change that takes effect at the next renewal (T1).
        anchor_day: the anchor day of month (1-31).
        pending_quantity: a seat reduction that takes effect at the next
            renewal (P3), ``1 <= pending_quantity <= quantity``.
    """

    id: str = attrs.field(validator=v.text)
    csn: str = attrs.field(validator=v.csn)
    product: str = attrs.field(validator=v.text)
    term: Term = attrs.field(validator=v.enum_member(Term))
    term_start: date = attrs.field(validator=v.instance_of_date)
    term_end: date = attrs.field(validator=v.instance_of_date)
    currency: str = attrs.field(validator=v.currency)
    purchase_method: PurchaseMethod = attrs.field(
        validator=v.enum_member(PurchaseMethod)
    )
    market: str = attrs.field(validator=v.market_code)
    quantity: int = attrs.field(default=1, validator=v.int_between(1, MAX_QUANTITY))
    kind: SubscriptionKind = attrs.field(
        default=SubscriptionKind.PAID, validator=v.enum_member(SubscriptionKind)
    )
    payment_method: PaymentMethod | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(PaymentMethod))
    )
    auto_renew: bool = attrs.field(default=False, validator=v.strict_bool)
    partner_csn: str | None = attrs.field(default=None, validator=v.optional(v.csn))
    pending_term: Term | None = attrs.field(
        default=None, validator=v.optional(v.enum_member(Term))
    )
    anchor_day: int = attrs.field(
        default=attrs.Factory(_default_anchor, takes_self=True),
        # None, as API.md's signature shows, also means "term_end's day".
        validator=v.optional(v.int_between(1, 31)),
    )
    pending_quantity: int | None = attrs.field(
        default=None, validator=v.optional(v.int_between(1, MAX_QUANTITY))
    )

    def __attrs_post_init__(self) -> None:
        if self.anchor_day is None:
            object.__setattr__(self, "anchor_day", self.term_end.day)
        if self.term_end <= self.term_start:
            raise InvalidInputError(
                "term_end", self.term_end, "must be after term_start"
            )
        last_day = calendar.monthrange(self.term_end.year, self.term_end.month)[1]
        if self.term_end.day != min(self.anchor_day, last_day):
            raise InvalidInputError(
                "anchor_day",
                self.anchor_day,
                f"does not agree with term_end {self.term_end.isoformat()}",
            )
        if self.pending_quantity is not None and self.pending_quantity > self.quantity:
            raise InvalidInputError(
                "pending_quantity",
                self.pending_quantity,
                f"must not be above quantity ({self.quantity})",
            )
        if self.purchase_method is PurchaseMethod.PARTNER and self.partner_csn is None:
            raise InvalidInputError(
                "partner_csn", None, "is required when purchase_method is 'partner'"
            )


@attrs.frozen(kw_only=True)
class Account:
    """A customer account.

    Attributes:
        csn: the account's customer serial number.
        managed: whether the account is a managed environment (R1).
    """

    csn: str = attrs.field(validator=v.csn)
    managed: bool = attrs.field(default=False, validator=v.strict_bool)


@attrs.frozen(kw_only=True)
class Actor:
    """A person acting on an account.

    Attributes:
        csn: the CSN of the account the actor belongs to (R2).
        roles: the actor's roles; any collection of [`Role`][renewal_rules.Role], stored
            as a ``frozenset``.
    """

    csn: str = attrs.field(validator=v.csn)
    roles: frozenset[Role] = attrs.field(
        converter=v.to_frozenset, validator=v.frozenset_of(v.enum_member(Role))
    )


class LineKind(StrEnum):
    """The kind of a quote line (Q4)."""

    NEW = "new"
    """A new subscription."""
    CO_TERM = "co_term"
    """A co-term line (« regroupement »), aligned on an existing subscription."""
    RENEWAL = "renewal"
    """The renewal of an existing subscription."""


class Offering(StrEnum):
    """What a quote line sells; only standard offerings are self-service (Q10)."""

    STANDARD = "standard"
    SUCCESS_PLAN = "success_plan"
    VALUE_BASED = "value_based"


class QuoteChannel(StrEnum):
    """Who makes the quote (Q1)."""

    PARTNER = "partner"
    SELF_SERVICE = "self_service"


class QuoteStatus(StrEnum):
    """Where a quote is in its life (Q13, Q14)."""

    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    CANCELLED = "cancelled"


class QuoteChange(StrEnum):
    """A change asked of an existing quote (Q13, Q14)."""

    UPDATE_ADDRESS = "update_address"
    CANCEL = "cancel"


def _str(_inst: object, attribute: Any, value: Any) -> None:
    if type(value) is not str:
        raise InvalidTypeError(str(attribute.name), value, "expected a str")


@attrs.frozen(kw_only=True)
class Recipient:
    """A recipient of a quote.

    The address is checked by [`check_quote`][renewal_rules.check_quote]
    (``invalid_recipient``), not here, so that a quote typed by a user can be
    built and then explained.

    Attributes:
        email: the e-mail address, as typed.
        company_contact: whether the recipient is one of the customer
            company's own contacts (Q2).
    """

    email: str = attrs.field(validator=_str)
    company_contact: bool = attrs.field(default=True, validator=v.strict_bool)


@attrs.frozen(kw_only=True)
class QuoteLine:
    """One line of a quote.

    Renewal and co-term lines name their ``subscription``; a line without one
    is reported by [`check_quote`][renewal_rules.check_quote]
    (``line_subscription_missing``).

    Attributes:
        kind: the [`LineKind`][renewal_rules.LineKind].
        product: the product code.
        quantity: the number of seats, at least 1.
        term: the term quoted.
        currency: an ISO 4217 code.
        csn: the customer's CSN.
        partner_csn: the partner's CSN when an agent of record is involved.
        subscription: the subscription renewed or co-termed.
        offering: the [`Offering`][renewal_rules.Offering].
        start_date: a planned start date, if any.
    """

    kind: LineKind = attrs.field(validator=v.enum_member(LineKind))
    product: str = attrs.field(validator=v.text)
    quantity: int = attrs.field(validator=v.int_between(1, MAX_QUANTITY))
    term: Term = attrs.field(validator=v.enum_member(Term))
    currency: str = attrs.field(validator=v.currency)
    csn: str = attrs.field(validator=v.csn)
    partner_csn: str | None = attrs.field(default=None, validator=v.optional(v.csn))
    subscription: Subscription | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Subscription))
    )
    offering: Offering = attrs.field(
        default=Offering.STANDARD, validator=v.enum_member(Offering)
    )
    start_date: date | None = attrs.field(default=None, validator=v.optional_date)


@attrs.frozen(kw_only=True)
class Quote:
    """A renewal (or new, or co-term) quote.

    Attributes:
        id: the quote's identifier.
        channel: partner or self-service (Q1).
        market: the market code.
        lines: the lines, any sequence stored as a tuple; may be empty
            ([`check_quote`][renewal_rules.check_quote] reports ``quote_empty``).
        created_on: the day the quote was made.
        recipients: who receives it, stored as a tuple.
        expires_on: the last day it is valid (Q17); not before ``created_on``.
        status: the [`QuoteStatus`][renewal_rules.QuoteStatus].
        new_credit_line: whether it asks for a new line of credit (Q11).
    """

    id: str = attrs.field(validator=v.text)
    channel: QuoteChannel = attrs.field(validator=v.enum_member(QuoteChannel))
    market: str = attrs.field(validator=v.market_code)
    lines: tuple[QuoteLine, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(QuoteLine)
    )
    created_on: date = attrs.field(validator=v.instance_of_date)
    recipients: tuple[Recipient, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Recipient)
    )
    expires_on: date | None = attrs.field(default=None, validator=v.optional_date)
    status: QuoteStatus = attrs.field(
        default=QuoteStatus.DRAFT, validator=v.enum_member(QuoteStatus)
    )
    new_credit_line: bool = attrs.field(default=False, validator=v.strict_bool)

    def __attrs_post_init__(self) -> None:
        if self.expires_on is not None and self.expires_on < self.created_on:
            raise InvalidInputError(
                "expires_on", self.expires_on, "must not be before created_on"
            )


@attrs.frozen(kw_only=True)
class Promotion:
    """A promotion, applied automatically to the quotes it matches (Q16).

    ``None`` for ``markets``, ``products``, ``terms`` or ``line_kinds`` means
    "any"; a collection is stored as a ``frozenset``.

    Attributes:
        code: the promotion code.
        starts_on: the first day it applies.
        ends_on: the last day it applies; not before ``starts_on``.
        markets: the market codes it applies in.
        products: the product codes it applies to.
        terms: the terms it applies to.
        line_kinds: the line kinds it applies to.
    """

    code: str = attrs.field(validator=v.text)
    starts_on: date = attrs.field(validator=v.instance_of_date)
    ends_on: date = attrs.field(validator=v.instance_of_date)
    markets: frozenset[str] | None = attrs.field(
        default=None,
        converter=v.optional_to_frozenset,
        validator=v.optional(v.frozenset_of(v.market_code)),
    )
    products: frozenset[str] | None = attrs.field(
        default=None,
        converter=v.optional_to_frozenset,
        validator=v.optional(v.frozenset_of(v.text)),
    )
    terms: frozenset[Term] | None = attrs.field(
        default=None,
        converter=v.optional_to_frozenset,
        validator=v.optional(v.frozenset_of(v.enum_member(Term))),
    )
    line_kinds: frozenset[LineKind] | None = attrs.field(
        default=None,
        converter=v.optional_to_frozenset,
        validator=v.optional(v.frozenset_of(v.enum_member(LineKind))),
    )

    def __attrs_post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise InvalidInputError(
                "ends_on", self.ends_on, "must not be before starts_on"
            )
