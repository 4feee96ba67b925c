"""Markets, their capabilities, and the policy that holds the rules' numbers.

Which renewal paths a market offers is data, not code (A4): a
:class:`Market` lists its :class:`Capability` set, and a :class:`RenewalPolicy`
lists the markets together with the numbers of the rules (the 90-day window,
the batch limit of 100, the recipient limits, the manual payment kinds).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import attrs

from renewal_rules import _validators as v
from renewal_rules.errors import InvalidInputError, UnknownMarketError
from renewal_rules.model import PaymentKind

__all__ = [
    "DEFAULT_POLICY",
    "Capability",
    "Market",
    "RenewalPolicy",
]


class Capability(StrEnum):
    """A renewal path that a market may offer (A4, M2, Q1, T1)."""

    AUTO_RENEWAL = "auto_renewal"
    MANUAL_RENEWAL = "manual_renewal"
    BATCH_AUTO_RENEWAL = "batch_auto_renewal"
    BATCH_MANUAL_RENEWAL = "batch_manual_renewal"
    PARTNER_QUOTE = "partner_quote"
    SELF_SERVICE_QUOTE = "self_service_quote"
    TERM_CHANGE = "term_change"


ALL_CAPABILITIES: frozenset[Capability] = frozenset(Capability)


@attrs.frozen(kw_only=True)
class Market:
    """A market and the renewal paths it offers.

    >>> Capability.TERM_CHANGE in Market(code="JP").capabilities
    True

    Attributes:
        code: two uppercase ASCII letters, the shape of an ISO 3166-1 alpha-2
            code (``"FR"``).
        capabilities: any collection of :class:`Capability`, stored as a
            ``frozenset``; every capability by default.
    """

    code: str = attrs.field(validator=v.market_code)
    capabilities: frozenset[Capability] = attrs.field(
        default=ALL_CAPABILITIES,
        converter=v.to_frozenset,
        validator=v.frozenset_of(v.enum_member(Capability)),
    )


# "ZZ" is the ISO 3166 user-assigned code conventionally used for "unknown".
_DEFAULT_MARKET = Market(code="ZZ")

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
            raise :class:`~renewal_rules.UnknownMarketError`.

    >>> policy = RenewalPolicy(
    ...     markets=[Market(code="CN", capabilities={Capability.MANUAL_RENEWAL})],
    ... )
    >>> sorted(policy.market("CN").capabilities)
    [<Capability.MANUAL_RENEWAL: 'manual_renewal'>]
    >>> policy.market("FR").capabilities == frozenset(Capability)
    True
    """

    renewal_window_days: int = attrs.field(default=90, validator=v.int_at_least(1))
    batch_limit: int = attrs.field(default=100, validator=v.int_at_least(1))
    self_service_max_recipients: int = attrs.field(
        default=4, validator=v.int_at_least(1)
    )
    partner_max_extra_contacts: int = attrs.field(
        default=5, validator=v.int_at_least(0)
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
        default=_DEFAULT_MARKET, validator=v.optional_instance_of(Market)
    )
    _capabilities_by_code: Mapping[str, frozenset[Capability]] = attrs.field(
        init=False, eq=False, repr=False
    )
    window: timedelta = attrs.field(init=False, eq=False, repr=False)
    """``renewal_window_days`` as a ``timedelta`` (derived, for the rules)."""
    # Results the rules share between equal inputs (windows by term end):
    # a memo, not state: it never changes an answer, only avoids rebuilding
    # equal immutable objects a million times.
    _memo: dict[Any, Any] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        by_code: dict[str, frozenset[Capability]] = {}
        for index, market in enumerate(self.markets):
            if market.code in by_code:
                raise InvalidInputError(
                    f"markets[{index}].code", market.code, "is listed twice"
                )
            by_code[market.code] = market.capabilities
        object.__setattr__(self, "_capabilities_by_code", MappingProxyType(by_code))
        object.__setattr__(self, "window", timedelta(days=self.renewal_window_days))
        object.__setattr__(self, "_memo", {})

    def __reduce__(self) -> tuple[Any, ...]:
        # A mappingproxy does not pickle: rebuild from the init fields, which
        # also re-validates what is unpickled.
        fields = attrs.fields(RenewalPolicy)
        kwargs = {f.name: getattr(self, f.name) for f in fields if f.init}
        return (_rebuild_policy, (kwargs,))

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
        found = self._capabilities_by_code.get(code)
        if found is not None:
            return found
        if self.default_market is None:
            raise UnknownMarketError(
                "market", code, "is not listed in the policy and there is no default"
            )
        return self.default_market.capabilities


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
