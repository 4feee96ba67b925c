"""Every condition about one subscription, in one table.

A [`Condition`][renewal_rules.conditions.Condition] is one failing case of a rule: its
rule id (``"E1"``), the [`ReasonCode`][renewal_rules.ReasonCode] it reports, its params,
its bit (its position in [`CONDITIONS`][renewal_rules.conditions.CONDITIONS], which is
also the order reasons are reported in), where its scalar predicate is, and its column
form (a Polars expression over a frame, used by
[`renewal_rules.frames`][renewal_rules.frames]).

The scalar predicates are written once, in
[`failures`][renewal_rules.conditions.failures], one ``if`` per condition marked with
the condition's name; [`failures`][renewal_rules.conditions.failures] evaluates exactly
the conditions a caller asks for (a mask of bits) and returns those that fail (another
mask). Every consumer derives from the table:

- the single checks (``check_renewal``, ``check_manual_renewal``, ...), the
  ``renewal_requirement`` and ``renewal_codes`` fast paths, batch members,
  renewal quote lines, seat changes, alignment and the timeline ask
  [`failures`][renewal_rules.conditions.failures] for their own set (`RENEWABLE`,
  `MANUAL_RENEWAL`, `ALIGNABLE`, ...);
- [`reasons`][renewal_rules.conditions.reasons],
  [`codes_of`][renewal_rules.conditions.codes_of] and
  [`requirement_of`][renewal_rules.conditions.requirement_of] read a mask, whichever
  path made it (one subscription, or a column of a frame).

To change a rule, change its ``if`` in [`failures`][renewal_rules.conditions.failures]
and its column form in the same entry; to add one, add a `_condition` line where its
reasons should be reported, its ``if``, and its column form.

Examples:
    >>> [condition.rule for condition in conditions_of(RENEWABLE | WINDOW)]
    ['E1', 'E2', 'G3', 'M1']
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import attrs

from renewal_rules import _terms
from renewal_rules.catalog import ReasonCode
from renewal_rules.decisions import (
    DateWindow,
    Decision,
    Reason,
    RenewalMode,
    StageDates,
    make_reason,
)
from renewal_rules.model import (
    Capability,
    LateRenewalBasis,
    PaymentKind,
    PurchaseMethod,
    Subscription,
    SubscriptionKind,
    Term,
)
from renewal_rules.policy import CAPABILITY_BIT, RenewalPolicy, capability_bits

__all__ = [
    "CONDITIONS",
    "Condition",
    "cannot_fail",
    "codes_of",
    "conditions_of",
    "decision",
    "failures",
    "is_over",
    "is_trial",
    "reasons",
    "requirement_of",
    "stage_dates_of",
    "term_change_failures",
    "window_of",
]

Params = tuple[tuple[str, Any], ...]


@attrs.frozen
class Condition:
    """One failing case of a rule about a subscription: one entry of the table.

    Attributes:
        rule: the rule id in RULES.md (``"E1"``).
        code: the reason code reported when the condition fails.
        name: the condition's name in this module (``"E1_TRIAL"``); its
            scalar predicate is the line of
            [`failures`][renewal_rules.conditions.failures] (or of the function named by
            ``where``) marked ``# <name>``.
        bit: ``1 << position`` in [`CONDITIONS`][renewal_rules.conditions.CONDITIONS].
        params: the reason's params, when they are fixed.
        dated: for a reason whose param is a date of the subscription
            (``opens_on``), the function giving ``(name, date)``.
        dated_column: the column form of ``dated``: a function of a frame's
            columns giving ``(name, expression)``, the date of each row as a
            Polars expression under the same name.
        where: the function holding the scalar predicate.
        column: the column form, a function of a frame's columns (see
            [`renewal_rules.frames`][renewal_rules.frames]) giving a boolean Polars
            expression, true on the rows where the condition fails; ``None`` where no
            table asks for it.
    """

    rule: str
    code: ReasonCode
    name: str
    bit: int
    params: Params = ()
    dated: Callable[[Subscription, RenewalPolicy], tuple[str, date]] | None = None
    where: str = "failures"
    column: Callable[[Any], Any] | None = None
    dated_column: Callable[[Any], tuple[str, Any]] | None = None

    def reason(self, sub: Subscription, policy: RenewalPolicy) -> Reason:
        """The reason this condition gives about ``sub``."""
        params = self.params if self.dated is None else (self.dated(sub, policy),)
        return make_reason(self.code, sub.id, params)


# -- the predicates other modules read (E1, E2) --------------------------------


def is_trial(sub: Subscription) -> bool:
    """E1's predicate: ``sub`` is a trial (P1 and G1 read it too)."""
    return sub.kind is _TRIAL  # E1_TRIAL


def is_over(sub: Subscription, as_of: date) -> bool:
    """E2's predicate: the current term is over on ``as_of`` (``as_of >= term_end``)."""
    return as_of >= sub.term_end  # E2_EXPIRED


# -- M1, G1: the window and the stage dates ------------------------------------


@functools.lru_cache(maxsize=4096)
def _window(opens_on: date, closes_on: date) -> DateWindow:
    return DateWindow(opens_on=opens_on, closes_on=closes_on)


def window_of(sub: Subscription, policy: RenewalPolicy) -> DateWindow:
    """The manual renewal window of ``sub`` (M1; G3 with the switch on).

    ``[term_end - 90 days, term_end)``; with ``post_expiry_renewal`` on, it
    closes on the subscription's ``canceled_on`` instead.
    """
    end = sub.term_end
    opens_on = _terms.opens_on(end, policy.renewal_window_days)  # M1
    if policy.post_expiry_renewal:  # G3
        return _window(opens_on, stage_dates_of(sub, policy).canceled_on)
    return _window(opens_on, end)


def stage_dates_of(
    sub: Subscription, policy: RenewalPolicy, invoice_due_on: date | None = None
) -> StageDates:
    """The stage dates of ``sub`` (G1, G6): `renewal_rules._terms.stage_dates`."""
    return _terms.stage_dates(sub, policy, invoice_due_on, trial=is_trial(sub))


def _canceled_on(sub: Subscription, policy: RenewalPolicy) -> tuple[str, date]:
    return ("canceled_on", stage_dates_of(sub, policy).canceled_on)


def _quote_closes_on(sub: Subscription, policy: RenewalPolicy) -> tuple[str, date]:
    closes_on = sub.term_end + timedelta(days=policy.quote_days_after_expiry)
    return ("closes_on", min(closes_on, stage_dates_of(sub, policy).canceled_on))


def _opens_on(sub: Subscription, policy: RenewalPolicy) -> tuple[str, date]:
    return ("opens_on", _terms.opens_on(sub.term_end, policy.renewal_window_days))


# -- the table, in the order reasons are reported -------------------------------
#
# Each entry's column form reads ``c``, the columns of one frame as Polars
# expressions (built by renewal_rules._columns from the policy and as_of):
# the fields, the derived dates of _terms in column form, and ``after_expiry``
# (the post-expiry switch is on, the renewal question was asked, and the term
# is over), so that each column form says what its scalar ``if`` says.


def _missing(capability: Capability, c: Any) -> Any:
    return c.missing(capability)  # A4: the market does not offer it


_C = ReasonCode
_ENTRIES: list[Condition] = []


def _condition(rule: str, code: ReasonCode, name: str, **more: Any) -> Condition:
    # The next entry of the table: its bit is its position, so inserting a
    # condition renumbers nothing by hand.
    entry = Condition(rule, code, name, 1 << len(_ENTRIES), **more)
    _ENTRIES.append(entry)
    return entry


E1_TRIAL = _condition(
    "E1", _C.TRIAL_NOT_RENEWABLE, "E1_TRIAL", column=lambda c: c.trial
)
E2_EXPIRED = _condition(
    "E2",
    _C.SUBSCRIPTION_EXPIRED,
    "E2_EXPIRED",
    column=lambda c: c.over & ~c.after_expiry,
)
G3_CANCELED = _condition(
    "G3",
    _C.SUBSCRIPTION_CANCELED,
    "G3_CANCELED",
    column=lambda c: c.after_expiry & (c.as_of >= c.canceled_on),
)
"""E2 with the post-expiry switch on: canceled from ``canceled_on``.

Asking for it (with E2) is asking the renewal question, which the switch
changes; asking E2 alone (seats, alignment) asks for an active term."""
M1_BEFORE_WINDOW = _condition(
    "M1",
    _C.OUTSIDE_RENEWAL_WINDOW,
    "M1_BEFORE_WINDOW",
    dated=_opens_on,
    dated_column=lambda c: ("opens_on", c.opens_on),
    column=lambda c: ~c.over & (c.as_of < c.opens_on),
)
G4_TERM_ELAPSED = _condition(
    "G4",
    _C.LATE_RENEWAL_TERM_ELAPSED,
    "G4_TERM_ELAPSED",
    column=lambda c: c.late & c.anniversary & (c.next_term_end <= c.as_of),
)
Q18_QUOTE_WINDOW_CLOSED = _condition(
    "Q18",
    _C.QUOTE_WINDOW_CLOSED,
    "Q18_QUOTE_WINDOW_CLOSED",
    dated=_quote_closes_on,
    dated_column=lambda c: ("closes_on", c.quote_param_on),
    column=lambda c: c.late & (c.as_of >= c.quote_closes_on),
)
G3_RENEWAL_DATE_PASSED = _condition(
    "G3",
    _C.RENEWAL_DATE_PASSED,
    "G3_RENEWAL_DATE_PASSED",
    dated=_canceled_on,
    dated_column=lambda c: ("canceled_on", c.canceled_on),
    column=lambda c: c.late,
)
C1_NOT_ONLINE = _condition(
    "C1", _C.ALIGNMENT_NOT_ONLINE, "C1_NOT_ONLINE", column=lambda c: ~c.online
)
C1_PAYPAL = _condition(
    "C1", _C.ALIGNMENT_PAYPAL, "C1_PAYPAL", column=lambda c: c.paypal
)
C1_TERM_PENDING = _condition(
    "C1", _C.ALIGNMENT_TERM_PENDING, "C1_TERM_PENDING", column=lambda c: c.pending
)
P2_NOT_ONLINE = _condition(
    "P2", _C.SEAT_CHANGE_NOT_ONLINE, "P2_NOT_ONLINE", column=lambda c: ~c.online
)
"""Seat changes (P2, P3) need a subscription bought online."""
P2_AUTO_RENEW_OFF = _condition(
    "P2",
    _C.SEAT_ADD_REQUIRES_AUTO_RENEW,
    "P2_AUTO_RENEW_OFF",
    column=lambda c: ~c.auto_renew,
)
A1_AUTO_RENEW_OFF = _condition(
    "A1", _C.AUTO_RENEW_OFF, "A1_AUTO_RENEW_OFF", column=lambda c: ~c.auto_renew
)
A1_NO_PAYMENT_METHOD = _condition(
    "A1", _C.NO_PAYMENT_METHOD, "A1_NO_PAYMENT_METHOD", column=lambda c: ~c.has_method
)
A2_NOT_RECURRING = _condition(
    "A2",
    _C.PAYMENT_METHOD_NOT_RECURRING,
    "A2_NOT_RECURRING",
    column=lambda c: c.manual_kind,
)
A1_PAYMENT_INVALID = _condition(
    "A1",
    _C.PAYMENT_METHOD_INVALID,
    "A1_PAYMENT_INVALID",
    column=lambda c: c.has_method & ~c.method_valid,
)
A1_EXPIRES_BEFORE_RENEWAL = _condition(
    "A1",
    _C.PAYMENT_METHOD_EXPIRES_BEFORE_RENEWAL,
    "A1_EXPIRES_BEFORE_RENEWAL",
    column=lambda c: c.has_method & (c.method_expires_on < c.charge_on),
)
A4_CAPABILITY: dict[Capability, Condition] = {
    capability: _condition(
        "A4",
        _C.CAPABILITY_UNAVAILABLE,
        f"A4_{capability.name}",
        params=(("capability", capability),),
        column=functools.partial(_missing, capability),
    )
    for capability in CAPABILITY_BIT  # the policy's bit order
}
"""A4: one condition per capability the market must offer."""
T1_TERM_UNCHANGED = _condition(
    "T1", _C.TERM_UNCHANGED, "T1_TERM_UNCHANGED", where="term_change_failures"
)

CONDITIONS: tuple[Condition, ...] = tuple(_ENTRIES)
"""Every condition, in bit order: the order reasons are reported in."""

BY_NAME: dict[str, Condition] = {c.name: c for c in CONDITIONS}
"""The entries by name (``"E1_TRIAL"``)."""


def _mask(*conditions: Condition) -> int:
    bits = 0
    for condition in conditions:
        bits |= condition.bit
    return bits


# -- the sets of conditions each question asks for -------------------------------

RENEWABLE = _mask(E1_TRIAL, E2_EXPIRED, G3_CANCELED)
"""E1, E2 (G3 with the switch on): can it renew at all (``check_renewal``)."""
ACTIVE = _mask(E1_TRIAL, E2_EXPIRED)
"""E1 and E2 as the seed reads them, whatever the switch: a paid, active term."""
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


AFTER_EXPIRY = _mask(
    G3_CANCELED, G4_TERM_ELAPSED, Q18_QUOTE_WINDOW_CLOSED, G3_RENEWAL_DATE_PASSED
)
"""G3, G4, Q18: the conditions only the post-expiry switch lets fail."""


def cannot_fail(policy: RenewalPolicy) -> int:
    """The conditions no subscription can fail under ``policy``.

    `AFTER_EXPIRY` with the post-expiry switch off, and the A4
    condition of each capability that every market offers (listed or the
    default; an unlisted market without a default is bad input, never
    asked). The column path skips them: they would cost a column each and
    set no bit.
    """
    never = 0 if policy.post_expiry_renewal else AFTER_EXPIRY
    offered = -1
    for market in (*policy.markets, policy.default_market):
        if market is not None:
            offered &= capability_bits(market.capabilities)
    for capability, condition in A4_CAPABILITY.items():
        if offered & CAPABILITY_BIT[capability]:
            never |= condition.bit
    return never


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
ALIGNABLE = (
    ACTIVE
    | _mask(C1_NOT_ONLINE, C1_PAYPAL, C1_TERM_PENDING, A1_NO_PAYMENT_METHOD)
    | capability(Capability.ALIGN_PAYMENT_DATES)
)
"""C1 on one subscription: paid, active, online, not PayPal, no pending
term, a payment method, a market offering ``align_payment_dates``."""
REDUCE_SEATS = ACTIVE | P2_NOT_ONLINE.bit
"""P3: a paid, active subscription bought online."""
ADD_SEATS = REDUCE_SEATS | P2_AUTO_RENEW_OFF.bit | capability(Capability.ADD_SEATS)
"""P2: P3's conditions, auto-renew on, and the ``add_seats`` capability."""
AUTO_QUOTE = E1_TRIAL.bit | A1_AUTO_RENEW_OFF.bit
"""Q19 asks E1 and A1's auto-renew (an automatic quote needs both to fail
differently: paid, auto-renew off); its term and market are its own."""


def failures(sub: Subscription, as_of: date, policy: RenewalPolicy, asked: int) -> int:
    """Evaluate the conditions in ``asked`` on ``sub``; return those that fail.

    The one definition of every scalar predicate, each marked with its
    condition's name. Only what is asked is reported; a predicate that costs
    more than reading a field is only evaluated when asked.
    """
    end = sub.term_end
    failed = asked & _E1 if sub.kind is _TRIAL else 0  # E1_TRIAL
    charge_on = end
    if as_of >= end:  # E2_EXPIRED
        if asked & _G3_CANCELED and policy.post_expiry_renewal:
            failed |= _after_expiry(sub, as_of, policy, asked)
            charge_on = as_of  # G5: charged on max(as_of, term_end)
        else:
            failed |= asked & _E2
    elif asked & _M1 and as_of < _opens_on_day(end, policy.renewal_window_days):
        # Before term_end only: the window opens at least a day before it.
        failed |= _M1  # M1_BEFORE_WINDOW
    if asked & _SHAPE:
        if sub.purchase_method is not _ONLINE:
            failed |= asked & _NOT_ONLINE  # C1_NOT_ONLINE, P2_NOT_ONLINE
        if sub.pending_term is not None:
            failed |= asked & _PENDING  # C1_TERM_PENDING
    if not sub.auto_renew:
        failed |= asked & _AUTO_RENEW_OFF  # A1_AUTO_RENEW_OFF, P2_AUTO_RENEW_OFF
    if asked & _METHOD:
        method = sub.payment_method
        if method is None:
            failed |= asked & _A1_NONE  # A1_NO_PAYMENT_METHOD
        else:
            kind = method.kind
            bad = _PAYPAL if kind is _PAYPAL_KIND else 0  # C1_PAYPAL
            if asked & _A2 and kind in policy.manual_payment_kinds:
                bad |= _A2  # A2_NOT_RECURRING
            if not method.valid:
                bad |= _A1_INVALID  # A1_PAYMENT_INVALID
            expires_on = method.expires_on
            if expires_on is not None and expires_on < charge_on:
                bad |= _A1_EXPIRES  # A1_EXPIRES_BEFORE_RENEWAL
            failed |= bad & asked
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
    if as_of >= canceled_on:  # G3_CANCELED (a trial's canceled_on is its term_end)
        return _G3_CANCELED
    failed = asked & _G3_PASSED  # G3_RENEWAL_DATE_PASSED
    if (
        asked & _G4
        and policy.late_renewal_basis is LateRenewalBasis.ANNIVERSARY
        and _terms.next_term_end(sub) <= as_of
    ):
        failed |= _G4  # G4_TERM_ELAPSED: the new term would already be over
    if asked & _Q18:
        closes_on = sub.term_end + timedelta(days=policy.quote_days_after_expiry)
        if as_of >= closes_on:  # Q18_QUOTE_WINDOW_CLOSED (before canceled_on)
            failed |= _Q18
    return failed


def term_change_failures(
    sub: Subscription, new_term: Term, as_of: date, policy: RenewalPolicy
) -> int:
    """T1: `TERM_CHANGE`, and ``term_unchanged`` for an unchanged ``new_term``."""
    failed = failures(sub, as_of, policy, TERM_CHANGE)
    if new_term is _terms.next_term(sub):  # T1_TERM_UNCHANGED
        failed |= _T1
    return failed


# The bits as plain ints, for the hot path above.
_E1 = E1_TRIAL.bit
_E2 = E2_EXPIRED.bit
_G3_CANCELED = G3_CANCELED.bit
_G3_PASSED = G3_RENEWAL_DATE_PASSED.bit
_G4 = G4_TERM_ELAPSED.bit
_Q18 = Q18_QUOTE_WINDOW_CLOSED.bit
_M1 = M1_BEFORE_WINDOW.bit
_NOT_ONLINE = C1_NOT_ONLINE.bit | P2_NOT_ONLINE.bit
_PENDING = C1_TERM_PENDING.bit
_PAYPAL = C1_PAYPAL.bit
_AUTO_RENEW_OFF = A1_AUTO_RENEW_OFF.bit | P2_AUTO_RENEW_OFF.bit
_A1_NONE = A1_NO_PAYMENT_METHOD.bit
_A2 = A2_NOT_RECURRING.bit
_A1_INVALID = A1_PAYMENT_INVALID.bit
_A1_EXPIRES = A1_EXPIRES_BEFORE_RENEWAL.bit
_METHOD = PAYMENT | _PAYPAL
_SHAPE = _NOT_ONLINE | _PENDING
_T1 = T1_TERM_UNCHANGED.bit
_CAPABILITY_SHIFT = next(iter(A4_CAPABILITY.values())).bit.bit_length() - 1
_TRIAL = SubscriptionKind.TRIAL
_ONLINE = PurchaseMethod.ONLINE
_PAYPAL_KIND = PaymentKind.PAYPAL
_opens_on_day = _terms.opens_on


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


def decision(
    sub: Subscription, as_of: date, policy: RenewalPolicy, asked: int
) -> Decision:
    """The decision of the conditions in ``asked`` on ``sub``: every failing one."""
    failed = failures(sub, as_of, policy, asked)
    return Decision.from_reasons(reasons(failed, sub, policy))


def reasons(failed: int, sub: Subscription, policy: RenewalPolicy) -> list[Reason]:
    """The reasons of the failing conditions ``failed``, about ``sub``."""
    fixed = _fixed_reasons(failed)
    if fixed is None:
        return [c.reason(sub, policy) for c in conditions_of(failed)]
    subject = sub.id
    return [make_reason(code, subject, params) for code, params in fixed]
