"""Aligned payment dates: co-terming subscriptions on one renewal date (C1-C3).

A customer with several subscriptions of the same term and payment kind,
bought online, can extend some of them to renew on the date of another that
renews later (C1, C2), for a one-time prorated price (C3).

>>> from datetime import date
>>> from renewal_rules import (
...     PaymentKind, PaymentMethod, PurchaseMethod, Subscription, Term,
... )
>>> card = PaymentMethod(kind=PaymentKind.CARD)
>>> def sub(id, start, end):
...     return Subscription(
...         id=id, csn="5100001", product="ACD", term=Term.MONTHLY,
...         term_start=start, term_end=end, currency="EUR",
...         purchase_method=PurchaseMethod.ONLINE, market="FR", payment_method=card,
...     )
>>> early = sub("S-1", date(2027, 3, 10), date(2027, 4, 10))
>>> target = sub("S-2", date(2027, 3, 31), date(2027, 4, 30))
>>> aligned = align(early, target, as_of=date(2027, 3, 15))
>>> aligned.term_end, aligned.anchor_day
(datetime.date(2027, 4, 30), 30)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from renewal_rules import _html, _partition
from renewal_rules import _validators as v
from renewal_rules import conditions as cond
from renewal_rules.batching import Rejection, make_rejection, rejections_html
from renewal_rules.catalog import ReasonCode
from renewal_rules.decisions import Decision, Reason, RuleViolation, make_reason
from renewal_rules.errors import InvalidInputError
from renewal_rules.model import (
    PaymentKind,
    Subscription,
    Term,
)
from renewal_rules.policy import (
    DEFAULT_POLICY,
    RenewalPolicy,
    check_amount,
    check_context,
)

__all__ = [
    "AlignmentGroup",
    "AlignmentKey",
    "AlignmentPlan",
    "align",
    "alignment_price",
    "check_alignment",
    "plan_alignment",
]

_C = ReasonCode


def _own_reasons(sub: Subscription, as_of: date, policy: RenewalPolicy) -> list[Reason]:
    # C1's conditions on one subscription (conditions.ALIGNABLE): paid (E1),
    # active whatever the post-expiry switch, bought online, not PayPal, no
    # pending term, a payment method, a market offering align_payment_dates.
    failed = cond.failures(sub, as_of, policy, cond.ALIGNABLE)
    return cond.reasons(failed, sub, policy)


def _pair_reasons(sub: Subscription, target: Subscription) -> list[Reason]:
    # C1, C2: about the pair, with the aligned subscription's id as subject.
    reasons = []
    if sub.csn != target.csn:
        reasons.append(make_reason(_C.ALIGNMENT_MIXED_CUSTOMERS, sub.id))
    if sub.term is not target.term:
        reasons.append(make_reason(_C.ALIGNMENT_TERM_MISMATCH, sub.id))
    mine, theirs = sub.payment_method, target.payment_method
    if mine is not None and theirs is not None and mine.kind is not theirs.kind:
        reasons.append(make_reason(_C.ALIGNMENT_PAYMENT_MISMATCH, sub.id))
    if target.term_end <= sub.term_end:
        reasons.append(make_reason(_C.ALIGNMENT_TARGET_NOT_LATER, sub.id))
    return reasons


def check_alignment(
    sub: Subscription,
    target: Subscription,
    *,
    as_of: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
) -> Decision:
    """Say whether ``sub`` can be aligned on ``target``'s renewal date (C1, C2).

    Every failing condition: those on each subscription (subject: its id),
    then those about the pair (subject: ``sub.id``): one customer, one term,
    one payment kind, and a target renewing strictly later.
    """
    v.require("sub", sub, Subscription)
    v.require("target", target, Subscription)
    check_context(as_of, policy)
    reasons = _own_reasons(sub, as_of, policy)
    reasons += _own_reasons(target, as_of, policy)
    reasons += _pair_reasons(sub, target)
    return Decision.from_reasons(reasons)


def align(
    sub: Subscription,
    target: Subscription,
    *,
    as_of: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
) -> Subscription:
    """Extend ``sub`` to renew on ``target``'s date (C2).

    The term becomes ``[term_start, target.term_end)`` and the anchor day the
    target's, so later renewals keep the target's dates without drift.

    Raises:
        RuleViolation: [`check_alignment`][renewal_rules.check_alignment] refused it.
    """
    decision = check_alignment(sub, target, as_of=as_of, policy=policy)
    if not decision:
        raise RuleViolation(decision)
    return attrs.evolve(sub, term_end=target.term_end, anchor_day=target.anchor_day)


def alignment_price(
    sub: Subscription, target: Subscription, *, seat_price: Decimal | int
) -> Fraction:
    """The one-time price of aligning ``sub`` on ``target`` (C3).

    ``quantity * seat_price * extension days / current term days``, exact;
    ``seat_price`` is per seat per term (a non-negative ``Decimal`` or
    ``int``). Rounding, taxes and fees are the caller's.
    """
    v.require("sub", sub, Subscription)
    v.require("target", target, Subscription)
    price = check_amount("seat_price", seat_price)
    days = (target.term_end - sub.term_end).days
    term_days = (sub.term_end - sub.term_start).days
    return Fraction(sub.quantity) * Fraction(price) * days / term_days


@attrs.frozen(order=True)
class AlignmentKey:
    """What aligned subscriptions share (C1): customer, term and payment kind.

    Keys order by CSN, then term value, then payment kind value.
    """

    csn: str = attrs.field(validator=v.csn)
    term: Term = attrs.field(
        validator=v.enum_member(Term), order=lambda term: term.value
    )
    payment_kind: PaymentKind = attrs.field(
        validator=v.enum_member(PaymentKind), order=lambda kind: kind.value
    )


def _validate_group(instance: Any, _attribute: Any, value: Any) -> None:
    key = instance.key
    for index, sub in enumerate(value):
        method = sub.payment_method
        if (sub.csn, sub.term, method.kind if method else None) != (
            key.csn,
            key.term,
            key.payment_kind,
        ):
            raise InvalidInputError(
                f"subscriptions[{index}]", sub.id, "does not have the group's key"
            )


@attrs.frozen
class AlignmentGroup:
    """Subscriptions that can be aligned together, on ``renews_on``.

    ``renews_on`` is the latest ``term_end`` of the group: every other member
    can be extended to it.
    """

    key: AlignmentKey = attrs.field(validator=v.instance_of(AlignmentKey))
    renews_on: date = attrs.field(validator=v.computed_date)
    subscriptions: tuple[Subscription, ...] = attrs.field(
        converter=v.to_tuple,
        validator=[v.non_empty_tuple_of(Subscription), _validate_group],
    )


@attrs.frozen
class AlignmentPlan:
    """Every subscription grouped once for alignment, or rejected with its reasons."""

    groups: tuple[AlignmentGroup, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(AlignmentGroup)
    )
    rejected: tuple[Rejection, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(Rejection)
    )

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, *, max_rows: int = _html.MAX_ROWS) -> str:
        """The plan as HTML: a summary, then at most ``max_rows`` groups and rejections.

        A group is numbered by its ordinal within its key, as
        [`to_records`][renewal_rules.to_records] names it.
        """
        limit = _html.check_max_rows(max_rows)
        ordinals = _partition.key_ordinals(group.key for group in self.groups)
        groups = _html.table(
            ("csn", "term", "payment", "group", "renews on", "subscriptions"),
            (
                (
                    group.key.csn,
                    group.key.term.value,
                    group.key.payment_kind.value,
                    n,
                    group.renews_on.isoformat(),
                    ", ".join(sub.id for sub in group.subscriptions),
                )
                for n, group in zip(ordinals, self.groups, strict=True)
            ),
            count=len(self.groups),
            max_rows=limit,
        )
        title = (
            f"Alignment plan: {len(self.groups):,} groups, "
            f"{len(self.rejected):,} rejected"
        )
        return _html.block(title, groups, rejections_html(self.rejected, limit))


def plan_alignment(
    subs: Iterable[Subscription],
    *,
    as_of: date,
    policy: RenewalPolicy = DEFAULT_POLICY,
) -> AlignmentPlan:
    """Group ``subs`` for alignment (C1, C2).

    Every subscription is either in exactly one group (by
    [`AlignmentKey`][renewal_rules.AlignmentKey], groups in key order, input order
    inside, renewing on the group's latest ``term_end``) or rejected with every reason
    of C1's conditions on itself (a repeated id: ``duplicate_subscription``).
    """
    check_context(as_of, policy)
    groups: dict[tuple[str, Term, PaymentKind], list[Subscription]] = {}
    rejected: list[Rejection] = []
    seen: set[str] = set()
    failures, asked = cond.failures, cond.ALIGNABLE  # the hot loop: no wrapper
    for index, sub in enumerate(v.items("subs", subs)):
        if not isinstance(sub, Subscription):
            v.require(f"subs[{index}]", sub, Subscription)  # raises
        if sub.id in seen:
            reasons = [make_reason(_C.DUPLICATE_SUBSCRIPTION, sub.id)]
        else:
            seen.add(sub.id)
            failed = failures(sub, as_of, policy, asked)
            if not failed:
                key = (sub.csn, sub.term, sub.payment_method.kind)
                group = groups.get(key)
                if group is None:
                    groups[key] = [sub]
                else:
                    group.append(sub)
                continue
            reasons = cond.reasons(failed, sub, policy)
        rejected.append(make_rejection(sub, tuple(reasons)))
    ordered = sorted(groups, key=lambda k: (k[0], k[1].value, k[2].value))
    return _build_plan(
        tuple(
            _build_group(
                AlignmentKey(csn=k[0], term=k[1], payment_kind=k[2]),
                max(sub.term_end for sub in groups[k]),
                tuple(groups[k]),
            )
            for k in ordered
        ),
        tuple(rejected),
    )


_build_group = v.builder(AlignmentGroup)
_build_plan = v.builder(AlignmentPlan)
