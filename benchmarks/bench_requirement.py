"""renewal_requirement over a portfolio against plain attribute checks."""

from __future__ import annotations

from datetime import date

from renewal_rules import (
    DEFAULT_POLICY,
    Capability,
    RenewalRequirement,
    Subscription,
    renewal_requirement,
)


def baseline(
    subs: list[Subscription], as_of: date
) -> list[tuple[str, list[str], date, date]]:
    """A mode, the reason-code strings and the two window dates, per subscription."""
    window = DEFAULT_POLICY.window
    manual = DEFAULT_POLICY.manual_payment_kinds
    capabilities = DEFAULT_POLICY.capabilities
    results: list[tuple[str, list[str], date, date]] = []
    for sub in subs:
        end = sub.term_end
        codes: list[str] = []
        if sub.kind == "trial":
            codes.append("trial_not_renewable")
        if as_of >= end:
            codes.append("subscription_expired")
        if codes:
            results.append(("none", codes, end - window, end))
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
        if Capability.AUTO_RENEWAL not in capabilities(sub.market):
            codes.append("capability_unavailable")
        results.append(("manual" if codes else "automatic", codes, end - window, end))
    return results


def library(subs: list[Subscription], as_of: date) -> list[RenewalRequirement]:
    """``renewal_requirement`` on every subscription."""
    return [renewal_requirement(sub, as_of=as_of) for sub in subs]


def library_reading_reasons(
    subs: list[Subscription], as_of: date
) -> list[RenewalRequirement]:
    """``renewal_requirement`` on every subscription, every reason then read.

    Not a target: the baseline builds no reason objects, only code strings.
    Shown so that the cost of reading reasons is known (they are built when
    first read).
    """
    results = [renewal_requirement(sub, as_of=as_of) for sub in subs]
    for result in results:
        result.reasons  # noqa: B018 - reading builds them
    return results
