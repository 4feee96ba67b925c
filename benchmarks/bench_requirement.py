"""renewal_requirement over a portfolio against plain attribute checks."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from renewal_rules import (
    DEFAULT_POLICY,
    Capability,
    RenewalRequirement,
    Subscription,
    SubscriptionKind,
    renewal_codes,
    renewal_requirement,
)

BareReason = tuple[str, str, tuple[tuple[str, Any], ...]]
BareResult = tuple[str, list[BareReason], date, date]


def baseline(subs: list[Subscription], as_of: date) -> list[BareResult]:
    """The same answer in bare Python, reasons as (code, subject, params) tuples.

    A mode, every reason of it as a tuple, and the window's two dates, per
    subscription: what a user of the library reads.
    """
    window = timedelta(days=DEFAULT_POLICY.renewal_window_days)
    manual = DEFAULT_POLICY.manual_payment_kinds
    capabilities = DEFAULT_POLICY.capabilities
    trial = SubscriptionKind.TRIAL
    auto = Capability.AUTO_RENEWAL
    no_auto = (("capability", auto),)
    results: list[BareResult] = []
    for sub in subs:
        end = sub.term_end
        sid = sub.id
        reasons: list[BareReason] = []
        if sub.kind is trial:
            reasons.append(("trial_not_renewable", sid, ()))
        if as_of >= end:
            reasons.append(("subscription_expired", sid, ()))
        if reasons:
            results.append(("none", reasons, end - window, end))
            continue
        if not sub.auto_renew:
            reasons.append(("auto_renew_off", sid, ()))
        method = sub.payment_method
        if method is None:
            reasons.append(("no_payment_method", sid, ()))
        else:
            if method.kind in manual:
                reasons.append(("payment_method_not_recurring", sid, ()))
            if not method.valid:
                reasons.append(("payment_method_invalid", sid, ()))
            if method.expires_on is not None and method.expires_on < end:
                reasons.append(("payment_method_expires_before_renewal", sid, ()))
        if auto not in capabilities(sub.market):
            reasons.append(("capability_unavailable", sid, no_auto))
        mode = "manual" if reasons else "automatic"
        results.append((mode, reasons, end - window, end))
    for result in results:  # read as the library's reasons are read
        for code, subject, params in result[1]:  # noqa: B007
            pass
    return results


def library(subs: list[Subscription], as_of: date) -> list[RenewalRequirement]:
    """``renewal_requirement`` on every subscription, every reason then read.

    Reading ``code``, ``subject`` and ``params`` of each reason is what the
    baseline's tuples hold; the reads are part of the measure.
    """
    results = [renewal_requirement(sub, as_of=as_of) for sub in subs]
    for result in results:
        for reason in result.reasons:
            reason.code, reason.subject, reason.params  # noqa: B018
    return results


def codes_baseline(
    subs: list[Subscription], as_of: date
) -> list[tuple[str, list[str]]]:
    """A mode and its reason-code strings per subscription, in bare Python."""
    manual = DEFAULT_POLICY.manual_payment_kinds
    capabilities = DEFAULT_POLICY.capabilities
    trial = SubscriptionKind.TRIAL
    auto = Capability.AUTO_RENEWAL
    results: list[tuple[str, list[str]]] = []
    for sub in subs:
        end = sub.term_end
        codes: list[str] = []
        if sub.kind is trial:
            codes.append("trial_not_renewable")
        if as_of >= end:
            codes.append("subscription_expired")
        if codes:
            results.append(("none", codes))
            continue
        if not sub.auto_renew:
            codes.append("auto_renew_off")
        method = sub.payment_method
        if method is None:
            codes.append("no_payment_method")
        else:
            if method.kind in manual:
                codes.append("payment_method_not_recurring")
            if not method.valid:
                codes.append("payment_method_invalid")
            if method.expires_on is not None and method.expires_on < end:
                codes.append("payment_method_expires_before_renewal")
        if auto not in capabilities(sub.market):
            codes.append("capability_unavailable")
        results.append(("manual" if codes else "automatic", codes))
    return results


def codes_library(subs: list[Subscription], as_of: date) -> list[Any]:
    """``renewal_codes`` on every subscription: the nightly "mode and codes" door."""
    return [renewal_codes(sub, as_of=as_of) for sub in subs]
