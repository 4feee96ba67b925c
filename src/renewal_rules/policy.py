"""Markets, their capabilities, and the policy that holds the rules' numbers.

Which renewal paths a market offers is data, not code (A4): a
[`Market`][renewal_rules.Market] lists its [`Capability`][renewal_rules.Capability] set,
and a [`RenewalPolicy`][renewal_rules.RenewalPolicy] lists the markets together with the
numbers of the rules (the 90-day window, the batch limit of 100, the recipient limits,
the manual payment kinds).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from renewal_rules import _validators as v
from renewal_rules.errors import InvalidInputError, InvalidTypeError, UnknownMarketError
from renewal_rules.model import Capability, LateRenewalBasis, PaymentKind, Term

T = TypeVar("T")

__all__ = [
    "DEFAULT_POLICY",
    "POST_EXPIRY_POLICY",
    "Capability",
    "Market",
    "RenewalPolicy",
    "TermDays",
]


ALL_CAPABILITIES: frozenset[Capability] = frozenset(Capability)

CAPABILITY_BIT: Mapping[Capability, int] = MappingProxyType(
    {capability: 1 << index for index, capability in enumerate(Capability)}
)
"""The bit of each capability in `RenewalPolicy.offered_bits`."""


def capability_bits(capabilities: frozenset[Capability]) -> int:
    """The bits of ``capabilities`` (see `CAPABILITY_BIT`)."""
    bits = 0
    for capability in capabilities:
        bits |= CAPABILITY_BIT[capability]
    return bits


@attrs.frozen(kw_only=True)
class Market:
    """A market and the renewal paths it offers.

    >>> Capability.TERM_CHANGE in Market(code="JP").capabilities
    True

    Attributes:
        code: two uppercase ASCII letters, the shape of an ISO 3166-1 alpha-2
            code (``"FR"``).
        capabilities: any collection of [`Capability`][renewal_rules.Capability], stored
            as a ``frozenset``; every capability by default.
    """

    code: str = attrs.field(validator=v.market_code)
    capabilities: frozenset[Capability] = attrs.field(
        default=ALL_CAPABILITIES,
        converter=v.to_frozenset,
        validator=v.frozenset_of(v.enum_member(Capability)),
    )


# "ZZ" is the ISO 3166 user-assigned code conventionally used for "unknown".
_DEFAULT_MARKET = Market(code="ZZ")

MAX_DAYS = 3660
"""The most days any day count of a policy may hold (ten years)."""
MAX_COUNT = 1_000_000
"""The most a batch limit or a recipient limit may be."""


class TermDays(Mapping[Term, int]):
    """A read-only, hashable mapping of every [`Term`][renewal_rules.Term] to days.

    >>> days = TermDays({Term.MONTHLY: 15, Term.ANNUAL: 30, Term.THREE_YEAR: 30})
    >>> days[Term.MONTHLY], len(days)
    (15, 3)
    """

    __slots__ = ("_days",)
    _days: tuple[int, ...]

    def __init__(self, days: Mapping[Term, int]) -> None:
        if not isinstance(days, Mapping):
            raise InvalidTypeError("suspended_stage_days", days, "expected a mapping")
        for key in days:
            # A Term's value is equal to the Term (a StrEnum): take members only.
            if type(key) is not Term:
                raise InvalidTypeError(
                    "suspended_stage_days", key, "keys must be Term members"
                )
        if len(days) != len(Term):  # distinct Term keys: every Term, or not
            raise InvalidInputError(
                "suspended_stage_days", days, "must map every Term, and only them"
            )
        for term in Term:
            v.check_int(f"suspended_stage_days.{term.value}", days[term], 0, MAX_DAYS)
        object.__setattr__(self, "_days", tuple(days[term] for term in Term))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"TermDays is read-only: cannot set {name!r}")

    def __getitem__(self, term: Term) -> int:
        if not isinstance(term, Term):
            raise KeyError(term)
        return self._days[_TERM_INDEX[term]]

    def __iter__(self) -> Iterator[Term]:
        return iter(Term)

    def __len__(self) -> int:
        return len(self._days)

    def __hash__(self) -> int:
        return hash(self._days)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TermDays):
            return self._days == other._days
        return NotImplemented

    def __repr__(self) -> str:
        pairs = ", ".join(
            f"{t.value!r}: {d}" for t, d in zip(Term, self._days, strict=True)
        )
        return f"TermDays({{{pairs}}})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (TermDays, (dict(self),))


_TERM_INDEX = {term: index for index, term in enumerate(Term)}


def _to_term_days(value: Any) -> Any:
    # A mapping becomes the read-only TermDays (checked there, by name).
    if isinstance(value, Mapping) and not isinstance(value, TermDays):
        return TermDays(value)
    return value


def _check_reminders(_inst: object, attribute: Any, value: Any) -> None:
    field = str(attribute.name)
    if type(value) is not tuple:
        raise InvalidTypeError(field, value, "expected a list or tuple of day counts")
    for days in value:
        v.check_int(field, days, 1, MAX_DAYS)
    if len(set(value)) != len(value):
        raise InvalidInputError(field, value, "must be distinct")


check_amount = v.check_amount


def _check_amount_limit(_inst: object, attribute: Any, value: Any) -> None:
    check_amount(str(attribute.name), value)


_DEFAULT_MANUAL_KINDS = frozenset(
    {PaymentKind.ALIPAY, PaymentKind.CONVENIENCE_STORE, PaymentKind.BANK_TRANSFER}
)


@attrs.frozen(kw_only=True)
class RenewalPolicy:
    """The numbers and markets the rules apply.

    Attributes:
        renewal_window_days: length of the manual renewal window before
            ``term_end`` (M1); at least 1.
        batch_limit: most subscriptions in one batch (B1, B2); at least 1.
        self_service_max_recipients: most recipients of a self-service quote
            (Q3); at least 1.
        partner_max_extra_contacts: most non-company contacts of a partner
            quote (Q2); at least 0.
        manual_payment_kinds: payment kinds that cannot carry a recurring
            charge (A2).
        markets: the markets the policy knows, with unique codes.
        default_market: the capabilities of any market not in ``markets``
            (its own ``code`` is not used); ``None`` makes an unlisted code
            raise [`UnknownMarketError`][renewal_rules.UnknownMarketError].
        post_expiry_renewal: G3: a paid subscription stays renewable until
            its ``canceled_on`` (off: E2, the seed article's reading).
        expired_stage_days: G1: days of the expired stage (access kept).
        suspended_stage_days: G1: days of the suspended stage, per term (a
            mapping with every term, stored as a read-only
            [`TermDays`][renewal_rules.TermDays]).
        late_renewal_basis: G4: where a renewal after ``term_end`` starts.
        quote_days_after_expiry: Q18: days a renewal quote stays possible
            after ``term_end`` (switch on).
        auto_quote_days_before: Q19: days before ``term_end`` of the
            automatic quote.
        auto_quote_terms: Q19: the terms that get an automatic quote.
        reminder_days_before: N2: reminders, in days before ``term_end``
            (distinct, from 1).
        remind_automatic: N2: whether automatic renewals get reminders too.
        invoice_payment_days: A5: days from issue to the due date of a
            renewal invoice.
        card_paypal_max_usd: Q21: the largest amount in USD payable by card or
            PayPal (a ``Decimal`` or an ``int``).
        renewal_price_terms: P1: the terms renewed at the renewal price.

    Day counts are from 0 to 3660 (the window and reminders from 1).

    >>> policy = RenewalPolicy(
    ...     markets=[Market(code="CN", capabilities={Capability.MANUAL_RENEWAL})],
    ... )
    >>> sorted(policy.market("CN").capabilities)
    [<Capability.MANUAL_RENEWAL: 'manual_renewal'>]
    >>> policy.market("FR").capabilities == frozenset(Capability)
    True
    """

    renewal_window_days: int = attrs.field(
        default=90, validator=v.int_between(1, MAX_DAYS)
    )
    batch_limit: int = attrs.field(default=100, validator=v.int_between(1, MAX_COUNT))
    self_service_max_recipients: int = attrs.field(
        default=4, validator=v.int_between(1, MAX_COUNT)
    )
    partner_max_extra_contacts: int = attrs.field(
        default=5, validator=v.int_between(0, MAX_COUNT)
    )
    manual_payment_kinds: frozenset[PaymentKind] = attrs.field(
        default=_DEFAULT_MANUAL_KINDS,
        converter=v.to_frozenset,
        validator=v.frozenset_of(v.enum_member(PaymentKind)),
    )
    markets: tuple[Market, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Market)
    )
    default_market: Market | None = attrs.field(
        default=_DEFAULT_MARKET,
        validator=v.optional(v.instance_of(Market)),
    )
    post_expiry_renewal: bool = attrs.field(default=False, validator=v.strict_bool)
    expired_stage_days: int = attrs.field(
        default=15, validator=v.int_between(0, MAX_DAYS)
    )
    suspended_stage_days: TermDays = attrs.field(
        default=TermDays({Term.MONTHLY: 15, Term.ANNUAL: 30, Term.THREE_YEAR: 30}),
        converter=_to_term_days,
        validator=v.instance_of(TermDays),
    )
    late_renewal_basis: LateRenewalBasis = attrs.field(
        default=LateRenewalBasis.ANNIVERSARY,
        validator=v.enum_member(LateRenewalBasis),
    )
    quote_days_after_expiry: int = attrs.field(
        default=45, validator=v.int_between(0, MAX_DAYS)
    )
    auto_quote_days_before: int = attrs.field(
        default=30, validator=v.int_between(0, MAX_DAYS)
    )
    auto_quote_terms: frozenset[Term] = attrs.field(
        default=frozenset({Term.ANNUAL, Term.THREE_YEAR}),
        converter=v.to_frozenset,
        validator=v.frozenset_of(v.enum_member(Term)),
    )
    reminder_days_before: tuple[int, ...] = attrs.field(
        default=(45, 30, 4), converter=v.to_tuple, validator=_check_reminders
    )
    remind_automatic: bool = attrs.field(default=False, validator=v.strict_bool)
    invoice_payment_days: int = attrs.field(
        default=30, validator=v.int_between(0, MAX_DAYS)
    )
    card_paypal_max_usd: Decimal | int = attrs.field(
        default=Decimal("25000"), validator=_check_amount_limit
    )
    renewal_price_terms: frozenset[Term] = attrs.field(
        default=frozenset({Term.ANNUAL, Term.THREE_YEAR}),
        converter=v.to_frozenset,
        validator=v.frozenset_of(v.enum_member(Term)),
    )
    # Derived at construction from the fields above (never changed after):
    # the capabilities and their bits by market code.
    _capabilities_by_code: Mapping[str, frozenset[Capability]] = attrs.field(
        init=False, eq=False, repr=False
    )
    _bits_by_code: Mapping[str, int] = attrs.field(init=False, eq=False, repr=False)
    _default_bits: int | None = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        by_code: dict[str, frozenset[Capability]] = {}
        for index, market in enumerate(self.markets):
            if market.code in by_code:
                raise InvalidInputError(
                    f"markets[{index}].code", market.code, "is listed twice"
                )
            by_code[market.code] = market.capabilities
        object.__setattr__(self, "_capabilities_by_code", MappingProxyType(by_code))
        object.__setattr__(
            self,
            "_bits_by_code",
            MappingProxyType({code: capability_bits(c) for code, c in by_code.items()}),
        )
        default = self.default_market
        object.__setattr__(
            self,
            "_default_bits",
            None if default is None else capability_bits(default.capabilities),
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # A mappingproxy does not pickle: rebuild from the init fields, which
        # also re-validates what is unpickled.
        fields = attrs.fields(RenewalPolicy)
        kwargs = {f.name: getattr(self, f.name) for f in fields if f.init}
        return (_rebuild_policy, (kwargs,))

    def offered_bits(self, code: str) -> int:
        """The capabilities of the market ``code`` as bits (the rules' fast path).

        Bit ``i`` is set when the ``i``-th [`Capability`][renewal_rules.Capability], in
        definition order, is offered (see `CAPABILITY_BIT`).

        Raises:
            UnknownMarketError: ``code`` is unlisted and there is no default.
        """
        found = _listed(self._bits_by_code, code)
        if found is not None:
            return found
        if type(code) is not str or self._default_bits is None:
            self.capabilities(code)  # raises, naming what is wrong
        # The rules pass a subscription's market, validated at construction.
        return self._default_bits  # type: ignore[return-value]

    def market(self, code: str) -> Market:
        """Return the market for ``code``.

        An unlisted code gets the default market's capabilities under its own
        code.

        Raises:
            InvalidInputError: ``code`` is not two uppercase ASCII letters.
            UnknownMarketError: ``code`` is unlisted and there is no default.
        """
        v.check_market_code("code", code)
        return Market(code=code, capabilities=self.capabilities(code))

    def capabilities(self, code: str) -> frozenset[Capability]:
        """Return the capabilities of the market ``code`` (the fast path).

        Raises:
            UnknownMarketError: ``code`` is unlisted and there is no default.
        """
        found = _listed(self._capabilities_by_code, code)
        if found is not None:
            return found
        v.check_market_code("code", code)
        if self.default_market is None:
            raise UnknownMarketError(
                "market", code, "is not listed in the policy and there is no default"
            )
        return self.default_market.capabilities


def _listed(table: Mapping[str, T], code: object) -> T | None:
    # A listed market's entry; None for anything else (an unhashable value
    # is no code at all: the caller's check names it).
    try:
        return table.get(code)  # type: ignore[call-overload, no-any-return]
    except TypeError:
        return None


def check_context(as_of: object, policy: object) -> None:
    """Refuse a bad ``as_of`` or ``policy`` argument of a rule, naming it."""
    v.check_as_of(as_of)
    v.require("policy", policy, RenewalPolicy)


def _rebuild_policy(kwargs: dict[str, Any]) -> RenewalPolicy:
    return RenewalPolicy(**kwargs)


DEFAULT_POLICY = RenewalPolicy()
"""The policy of the vendor's article: 90 days, 100 per batch, 4 and 5
recipients, Alipay, convenience stores and bank transfers need manual renewal,
and every market offers every renewal path."""


POST_EXPIRY_POLICY = RenewalPolicy(post_expiry_renewal=True)
"""The vendor's English pages: renewable until canceled (G3), otherwise
[`DEFAULT_POLICY`][renewal_rules.DEFAULT_POLICY]."""
