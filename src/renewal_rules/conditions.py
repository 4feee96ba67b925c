"""Each rule condition about one subscription, written once.

A :class:`Condition` is one failing case of a rule: its rule id (``"E1"``),
the :class:`~renewal_rules.ReasonCode` it reports, its params, and a bit.
Its predicate is written once, in :func:`failures`, which evaluates the
conditions a caller asks for (a mask of bits) and returns those that fail
(another mask). Every consumer derives from these two definitions:

- the single checks (``check_renewal``, ``check_manual_renewal``, ...), the
  ``renewal_requirement`` fast path, the batch member checks and the renewal
  lines of quotes ask :func:`failures` for their own set of conditions
  (:data:`RENEWABLE`, :data:`MANUAL_RENEWAL`, :data:`ENABLE_AUTO_RENEW`, ...);
- :func:`reasons` turns a mask of failing conditions into
  :class:`~renewal_rules.Reason` objects, in the order of :data:`CONDITIONS`.

The renewal window (M1) is computed in one function, :func:`window_of`.

To change a rule, change its predicate in :func:`failures` (one ``if``,
marked with the rule id); to add one, add a :class:`Condition` to
:data:`CONDITIONS` and its ``if``.

>>> [condition.rule for condition in conditions_of(RENEWABLE | WINDOW)]
['E1', 'E2', 'M1']
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import attrs

from renewal_rules.catalog import ReasonCode
from renewal_rules.decisions import DateWindow, Reason, make_reason
from renewal_rules.model import Capability, Subscription, SubscriptionKind
from renewal_rules.policy import CAPABILITY_BIT, RenewalPolicy

__all__ = [
    "CONDITIONS",
    "Condition",
    "conditions_of",
    "failures",
    "reasons",
    "window_of",
]

Params = tuple[tuple[str, Any], ...]


@attrs.frozen
class Condition:
    """One failing case of a rule about a subscription.

    Attributes:
        rule: the rule id in RULES.md (``"E1"``).
        code: the reason code reported when the condition fails.
        bit: the condition's bit in the masks of :func:`failures`.
        params: the reason's params, when they are fixed.
        dated: for a reason whose param is a date of the subscription
            (``opens_on``), the function giving ``(name, date)``.
    """

    rule: str
    code: ReasonCode
    bit: int
    params: Params = ()
    dated: Callable[[Subscription, RenewalPolicy], tuple[str, date]] | None = None

    def reason(self, sub: Subscription, policy: RenewalPolicy) -> Reason:
        """The reason this condition gives about ``sub``."""
        params = self.params if self.dated is None else (self.dated(sub, policy),)
        return make_reason(self.code, sub.id, params)


# -- M1: the renewal window, computed here only --------------------------------


@functools.lru_cache(maxsize=4096)
def _window(term_end: date, days: int) -> DateWindow:
    # Bounded, keyed by immutable values, and free of any policy object: the
    # nightly runs ask for the same few hundred term ends a million times.
    return DateWindow(opens_on=term_end - timedelta(days=days), closes_on=term_end)


def window_of(sub: Subscription, policy: RenewalPolicy) -> DateWindow:
    """The manual renewal window of ``sub`` (M1): ``[term_end - 90 days, term_end)``."""
    return _window(sub.term_end, policy.renewal_window_days)


def _opens_on(sub: Subscription, policy: RenewalPolicy) -> tuple[str, date]:
    return ("opens_on", window_of(sub, policy).opens_on)


# -- the conditions, in the order their reasons are reported --------------------

_C = ReasonCode

E1_TRIAL = Condition("E1", _C.TRIAL_NOT_RENEWABLE, 1 << 0)
E2_EXPIRED = Condition("E2", _C.SUBSCRIPTION_EXPIRED, 1 << 1)
M1_BEFORE_WINDOW = Condition("M1", _C.OUTSIDE_RENEWAL_WINDOW, 1 << 2, dated=_opens_on)
A1_AUTO_RENEW_OFF = Condition("A1", _C.AUTO_RENEW_OFF, 1 << 3)
A1_NO_PAYMENT_METHOD = Condition("A1", _C.NO_PAYMENT_METHOD, 1 << 4)
A2_NOT_RECURRING = Condition("A2", _C.PAYMENT_METHOD_NOT_RECURRING, 1 << 5)
A1_PAYMENT_INVALID = Condition("A1", _C.PAYMENT_METHOD_INVALID, 1 << 6)
A1_EXPIRES_BEFORE_RENEWAL = Condition(
    "A1", _C.PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL, 1 << 7
)

_CAPABILITY_SHIFT = 8
A4_CAPABILITY: dict[Capability, Condition] = {
    capability: Condition(
        "A4",
        _C.CAPABILITY_UNAVAILABLE,
        bit << _CAPABILITY_SHIFT,
        (("capability", capability),),
    )
    for capability, bit in CAPABILITY_BIT.items()
}
"""A4: one condition per capability the market must offer."""

T1_TERM_UNCHANGED = Condition(
    "T1", _C.TERM_UNCHANGED, 1 << (_CAPABILITY_SHIFT + len(CAPABILITY_BIT))
)

CONDITIONS: tuple[Condition, ...] = (
    E1_TRIAL,
    E2_EXPIRED,
    M1_BEFORE_WINDOW,
    A1_AUTO_RENEW_OFF,
    A1_NO_PAYMENT_METHOD,
    A2_NOT_RECURRING,
    A1_PAYMENT_INVALID,
    A1_EXPIRES_BEFORE_RENEWAL,
    *A4_CAPABILITY.values(),
    T1_TERM_UNCHANGED,
)
"""Every condition, in bit order: the order reasons are reported in."""


def _mask(*conditions: Condition) -> int:
    bits = 0
    for condition in conditions:
        bits |= condition.bit
    return bits


# -- the sets of conditions each question asks for -------------------------------

RENEWABLE = _mask(E1_TRIAL, E2_EXPIRED)
"""E1, E2: can it renew at all (``check_renewal``)."""
WINDOW = M1_BEFORE_WINDOW.bit
"""M1: has the window opened."""
PAYMENT = _mask(
    A1_NO_PAYMENT_METHOD,
    A2_NOT_RECURRING,
    A1_PAYMENT_INVALID,
    A1_EXPIRES_BEFORE_RENEWAL,
)
"""A1, A2: a payment method that can be charged on the renewal date."""
CAPABILITIES = _mask(*A4_CAPABILITY.values())
"""A4: every capability condition."""


def capability(*capabilities: Capability) -> int:
    """The A4 conditions for ``capabilities``."""
    return _mask(*(A4_CAPABILITY[c] for c in capabilities))


AUTOMATIC = (
    RENEWABLE | A1_AUTO_RENEW_OFF.bit | PAYMENT | capability(Capability.AUTO_RENEWAL)
)
"""A1, A2, A4: what ``renewal_requirement`` asks (E1, E2 decide ``NONE``)."""
MANUAL_RENEWAL = RENEWABLE | WINDOW | capability(Capability.MANUAL_RENEWAL)
"""E1-E3, M1, M2: ``check_manual_renewal``."""
ENABLE_AUTO_RENEW = RENEWABLE | PAYMENT | capability(Capability.AUTO_RENEWAL)
"""A3: ``check_enable_auto_renew``."""
RENEW = RENEWABLE | WINDOW
"""E1, E2 and the window: ``renew`` (no capability: the caller checked the path)."""
TERM_CHANGE = RENEWABLE | capability(Capability.TERM_CHANGE)
"""T1, but for ``term_unchanged`` (which needs the new term)."""


def failures(sub: Subscription, as_of: date, policy: RenewalPolicy, asked: int) -> int:
    """Evaluate the conditions in ``asked`` on ``sub``; return those that fail.

    The one definition of every predicate, each marked with its rule id. E1
    and E2 are always evaluated (they are cheap and every question asks them).
    """
    end = sub.term_end
    failed = _E1 if sub.kind is _TRIAL else 0  # E1
    if as_of >= end:  # E2
        failed |= _E2
    if asked & _M1 and as_of < _window(end, policy.renewal_window_days).opens_on:
        failed |= _M1  # M1: before the window opens
    if asked & _A1_OFF and not sub.auto_renew:  # A1
        failed |= _A1_OFF
    if asked & PAYMENT:
        method = sub.payment_method
        if method is None:  # A1
            failed |= _A1_NONE
        else:
            if method.kind in policy.manual_payment_kinds:  # A2
                failed |= _A2
            if not method.valid:  # A1
                failed |= _A1_INVALID
            expires_on = method.expires_on
            if expires_on is not None and expires_on < end:  # A1: charged on term_end
                failed |= _A1_EXPIRES
    if asked & CAPABILITIES:  # A4
        missing = ~policy.offered_bits(sub.market) << _CAPABILITY_SHIFT
        failed |= asked & CAPABILITIES & missing
    return failed


# The bits as plain ints, for the hot path above.
_E1 = E1_TRIAL.bit
_E2 = E2_EXPIRED.bit
_M1 = M1_BEFORE_WINDOW.bit
_A1_OFF = A1_AUTO_RENEW_OFF.bit
_A1_NONE = A1_NO_PAYMENT_METHOD.bit
_A2 = A2_NOT_RECURRING.bit
_A1_INVALID = A1_PAYMENT_INVALID.bit
_A1_EXPIRES = A1_EXPIRES_BEFORE_RENEWAL.bit


@functools.lru_cache(maxsize=1024)
def conditions_of(failed: int) -> tuple[Condition, ...]:
    """The conditions whose bits are set in ``failed``, in report order."""
    return tuple(c for c in CONDITIONS if failed & c.bit)


@functools.lru_cache(maxsize=1024)
def _fixed_reasons(failed: int) -> tuple[tuple[ReasonCode, Params], ...] | None:
    # The codes and params of ``failed`` when none is dated, else None.
    found = conditions_of(failed)
    if any(c.dated is not None for c in found):
        return None
    return tuple((c.code, c.params) for c in found)


def reasons(failed: int, sub: Subscription, policy: RenewalPolicy) -> list[Reason]:
    """The reasons of the failing conditions ``failed``, about ``sub``."""
    fixed = _fixed_reasons(failed)
    if fixed is None:
        return [c.reason(sub, policy) for c in conditions_of(failed)]
    subject = sub.id
    return [make_reason(code, subject, params) for code, params in fixed]


_TRIAL = SubscriptionKind.TRIAL
