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
['E1', 'E2', 'G3', 'M1']
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import attrs

from renewal_rules._dates import add_months_anchored
from renewal_rules.catalog import ReasonCode
from renewal_rules.decisions import (
    DateWindow,
    Reason,
    RenewalMode,
    StageDates,
    make_reason,
)
from renewal_rules.model import (
    Capability,
    LateRenewalBasis,
    Subscription,
    SubscriptionKind,
)
from renewal_rules.policy import CAPABILITY_BIT, RenewalPolicy

__all__ = [
    "CONDITIONS",
    "Condition",
    "active_failures",
    "codes_of",
    "conditions_of",
    "failures",
    "reasons",
    "requirement_of",
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
def _opens_on_day(term_end: date, days: int) -> date:
    # Bounded, keyed by immutable values, and free of any policy object: the
    # nightly runs ask for the same few hundred term ends a million times.
    return term_end - timedelta(days=days)


@functools.lru_cache(maxsize=4096)
def _window(opens_on: date, closes_on: date) -> DateWindow:
    return DateWindow(opens_on=opens_on, closes_on=closes_on)


def window_of(sub: Subscription, policy: RenewalPolicy) -> DateWindow:
    """The manual renewal window of ``sub`` (M1; G3 with the switch on).

    ``[term_end - 90 days, term_end)``; with ``post_expiry_renewal`` on, it
    closes on the subscription's ``canceled_on`` instead.
    """
    end = sub.term_end
    opens_on = _opens_on_day(end, policy.renewal_window_days)  # M1
    if policy.post_expiry_renewal:  # G3
        return _window(opens_on, stage_dates_of(sub, policy).canceled_on)
    return _window(opens_on, end)


# -- G1, G6: the stages after expiry --------------------------------------------


def stage_dates_of(
    sub: Subscription, policy: RenewalPolicy, invoice_due_on: date | None = None
) -> StageDates:
    """The first days of the expired, suspended and canceled stages (G1, G6).

    The shutoff starts on ``term_end``, or the day after an open renewal
    invoice's ``invoice_due_on`` when that is earlier; a trial has no shutoff
    (all three dates are ``term_end``).
    """
    end = sub.term_end
    if sub.kind is _TRIAL:
        return StageDates(expired_on=end, suspended_on=end, canceled_on=end)
    start = end
    if invoice_due_on is not None and invoice_due_on < end:  # G6
        start = invoice_due_on + _DAY
    suspended_on = start + timedelta(days=policy.expired_stage_days)
    canceled_on = suspended_on + timedelta(days=policy.suspended_stage_days[sub.term])
    return StageDates(
        expired_on=start, suspended_on=suspended_on, canceled_on=canceled_on
    )


def next_term_end_of(sub: Subscription) -> date:
    """The end of the term after the current one: pending term, anchor kept (T2)."""
    term = sub.pending_term if sub.pending_term is not None else sub.term
    return add_months_anchored(sub.term_end, term.months, anchor_day=sub.anchor_day)


def _canceled_on(sub: Subscription, policy: RenewalPolicy) -> tuple[str, date]:
    return ("canceled_on", stage_dates_of(sub, policy).canceled_on)


def _quote_closes_on(sub: Subscription, policy: RenewalPolicy) -> tuple[str, date]:
    closes_on = sub.term_end + timedelta(days=policy.quote_days_after_expiry)
    return ("closes_on", min(closes_on, stage_dates_of(sub, policy).canceled_on))


def _opens_on(sub: Subscription, policy: RenewalPolicy) -> tuple[str, date]:
    return ("opens_on", _opens_on_day(sub.term_end, policy.renewal_window_days))


# -- the conditions, in the order their reasons are reported --------------------

_C = ReasonCode

E1_TRIAL = Condition("E1", _C.TRIAL_NOT_RENEWABLE, 1 << 0)
E2_EXPIRED = Condition("E2", _C.SUBSCRIPTION_EXPIRED, 1 << 1)
G3_CANCELED = Condition("G3", _C.SUBSCRIPTION_CANCELED, 1 << 2)
"""E2 with the post-expiry switch on: canceled from ``canceled_on``."""
M1_BEFORE_WINDOW = Condition("M1", _C.OUTSIDE_RENEWAL_WINDOW, 1 << 3, dated=_opens_on)
G4_TERM_ELAPSED = Condition("G4", _C.LATE_RENEWAL_TERM_ELAPSED, 1 << 4)
Q18_QUOTE_WINDOW_CLOSED = Condition(
    "Q18", _C.QUOTE_WINDOW_CLOSED, 1 << 5, dated=_quote_closes_on
)
G3_RENEWAL_DATE_PASSED = Condition(
    "G3", _C.RENEWAL_DATE_PASSED, 1 << 6, dated=_canceled_on
)
A1_AUTO_RENEW_OFF = Condition("A1", _C.AUTO_RENEW_OFF, 1 << 7)
A1_NO_PAYMENT_METHOD = Condition("A1", _C.NO_PAYMENT_METHOD, 1 << 8)
A2_NOT_RECURRING = Condition("A2", _C.PAYMENT_METHOD_NOT_RECURRING, 1 << 9)
A1_PAYMENT_INVALID = Condition("A1", _C.PAYMENT_METHOD_INVALID, 1 << 10)
A1_EXPIRES_BEFORE_RENEWAL = Condition(
    "A1", _C.PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL, 1 << 11
)

_CAPABILITY_SHIFT = 12
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
    G3_CANCELED,
    M1_BEFORE_WINDOW,
    G4_TERM_ELAPSED,
    Q18_QUOTE_WINDOW_CLOSED,
    G3_RENEWAL_DATE_PASSED,
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

RENEWABLE = _mask(E1_TRIAL, E2_EXPIRED, G3_CANCELED)
"""E1, E2 (G3 with the switch on): can it renew at all (``check_renewal``)."""
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


LATE = G4_TERM_ELAPSED.bit
"""G4: a late renewal whose new term would already be over."""
AUTOMATIC = (
    RENEWABLE
    | LATE
    | G3_RENEWAL_DATE_PASSED.bit
    | A1_AUTO_RENEW_OFF.bit
    | PAYMENT
    | capability(Capability.AUTO_RENEWAL)
)
"""A1, A2, A4 (G3, G4): ``renewal_requirement`` (E1, E2 decide ``NONE``)."""
MANUAL_RENEWAL = RENEWABLE | WINDOW | LATE | capability(Capability.MANUAL_RENEWAL)
"""E1-E3, M1, M2 (G3, G4): ``check_manual_renewal``."""
ENABLE_AUTO_RENEW = RENEWABLE | PAYMENT | LATE | capability(Capability.AUTO_RENEWAL)
"""A3 (G5): ``check_enable_auto_renew``."""
RENEW = RENEWABLE | WINDOW | LATE
"""E1, E2, the window (G4): ``renew`` (no capability: the caller checked the path)."""
QUOTE_LINE = RENEWABLE | WINDOW | Q18_QUOTE_WINDOW_CLOSED.bit
"""Q15 (Q18 with the switch on): a renewal line's subscription."""
TERM_CHANGE = RENEWABLE | capability(Capability.TERM_CHANGE)
"""T1, but for ``term_unchanged`` (which needs the new term)."""


def active_failures(sub: Subscription, as_of: date) -> int:
    """E1 and E2 as the seed article reads them, whatever the post-expiry switch.

    The mask of ``E1_TRIAL`` (a trial) and ``E2_EXPIRED`` (``as_of >=
    term_end``): the one definition of both predicates. :func:`failures`
    reads it (and replaces E2 by G3 with the switch on); seat changes and
    alignment, which need an active term whatever the switch, read it as is.
    """
    failed = _E1 if sub.kind is _TRIAL else 0  # E1
    if as_of >= sub.term_end:  # E2
        failed |= _E2
    return failed


def failures(sub: Subscription, as_of: date, policy: RenewalPolicy, asked: int) -> int:
    """Evaluate the conditions in ``asked`` on ``sub``; return those that fail.

    The one definition of every predicate, each marked with its rule id. E1
    and E2 are always evaluated (they are cheap and every question asks them).
    """
    end = sub.term_end
    failed = active_failures(sub, as_of)  # E1, E2
    charge_on = end
    if failed & _E2 and policy.post_expiry_renewal:  # G3 replaces E2
        failed ^= _E2
        failed |= _after_expiry(sub, as_of, policy, asked)
        charge_on = as_of  # G5: charged on max(as_of, term_end)
    if asked & _M1 and as_of < _opens_on_day(end, policy.renewal_window_days):
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
            if expires_on is not None and expires_on < charge_on:  # A1
                failed |= _A1_EXPIRES
    capabilities = asked & CAPABILITIES
    if capabilities:  # A4
        missing = ~policy.offered_bits(sub.market) << _CAPABILITY_SHIFT
        failed |= capabilities & missing
    return failed


def _after_expiry(
    sub: Subscription, as_of: date, policy: RenewalPolicy, asked: int
) -> int:
    # G3, G4, Q18: the switch is on and ``as_of >= term_end``.
    canceled_on = stage_dates_of(sub, policy).canceled_on
    if as_of >= canceled_on:  # G3 (a trial's canceled_on is its term_end)
        return _G3_CANCELED
    failed = asked & _G3_PASSED  # G3: the automatic renewal date has passed
    if (
        asked & _G4
        and policy.late_renewal_basis is LateRenewalBasis.ANNIVERSARY
        and next_term_end_of(sub) <= as_of
    ):
        failed |= _G4  # G4: the new term would already be over
    if asked & _Q18:
        closes_on = sub.term_end + timedelta(days=policy.quote_days_after_expiry)
        if as_of >= closes_on:  # Q18 (before canceled_on, seen above)
            failed |= _Q18
    return failed


# The bits as plain ints, for the hot path above.
_E1 = E1_TRIAL.bit
_E2 = E2_EXPIRED.bit
_G3_CANCELED = G3_CANCELED.bit
_G3_PASSED = G3_RENEWAL_DATE_PASSED.bit
_G4 = G4_TERM_ELAPSED.bit
_Q18 = Q18_QUOTE_WINDOW_CLOSED.bit
_M1 = M1_BEFORE_WINDOW.bit
_A1_OFF = A1_AUTO_RENEW_OFF.bit
_A1_NONE = A1_NO_PAYMENT_METHOD.bit
_A2 = A2_NOT_RECURRING.bit
_A1_INVALID = A1_PAYMENT_INVALID.bit
_A1_EXPIRES = A1_EXPIRES_BEFORE_RENEWAL.bit


def requirement_of(failed: int) -> tuple[RenewalMode, int]:
    """The renewal mode of the failing ``AUTOMATIC`` conditions, and those reported.

    A1: ``AUTOMATIC`` when none fails; ``NONE`` with E1 and E2 (G3) only when
    either fails; G4's ``NONE`` and G3's ``MANUAL`` after ``term_end`` each
    with their one reason; otherwise ``MANUAL`` with every failing condition.
    """
    if not failed:
        return _AUTOMATIC_MODE, 0
    if failed & RENEWABLE:
        return _NONE_MODE, failed & RENEWABLE
    if failed & _G4:
        return _NONE_MODE, _G4
    if failed & _G3_PASSED:
        return _MANUAL_MODE, _G3_PASSED
    return _MANUAL_MODE, failed


_AUTOMATIC_MODE = RenewalMode.AUTOMATIC
_NONE_MODE = RenewalMode.NONE
_MANUAL_MODE = RenewalMode.MANUAL


@functools.lru_cache(maxsize=1024)
def conditions_of(failed: int) -> tuple[Condition, ...]:
    """The conditions whose bits are set in ``failed``, in report order."""
    return tuple(c for c in CONDITIONS if failed & c.bit)


@functools.lru_cache(maxsize=1024)
def codes_of(failed: int) -> tuple[ReasonCode, ...]:
    """The reason codes of the conditions in ``failed``, in report order."""
    return tuple(c.code for c in conditions_of(failed))


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
_DAY = timedelta(days=1)
