"""Flat records of results, ready for ``pandas.DataFrame`` (pandas not needed).

>>> from datetime import date
>>> from renewal_rules import PurchaseMethod, Subscription, Term, renewal_requirement
>>> sub = Subscription(
...     id="S-1", csn="5100001", product="ACDLT", term=Term.ANNUAL,
...     term_start=date(2026, 5, 1), term_end=date(2027, 5, 1), currency="EUR",
...     purchase_method=PurchaseMethod.ONLINE, market="FR",
... )
>>> (record,) = to_records([(sub.id, renewal_requirement(sub, as_of=date(2027, 3, 1)))])
>>> record["key"], record["mode"], record["codes"], record["opens_on"]
('S-1', 'manual', 'auto_renew_off;no_payment_method', datetime.date(2027, 1, 31))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from renewal_rules import _validators as v
from renewal_rules._partition import key_ordinals
from renewal_rules.alignment import AlignmentPlan
from renewal_rules.batching import BatchPlan, Rejection
from renewal_rules.decisions import Decision, Reason, RenewalRequirement
from renewal_rules.errors import InvalidTypeError
from renewal_rules.timeline import TimelineEvent

__all__ = ["Result", "to_records"]

Result = (
    Decision
    | RenewalRequirement
    | BatchPlan
    | Rejection
    | Reason
    | TimelineEvent
    | AlignmentPlan
)
"""The result types [`to_records`][renewal_rules.to_records] flattens."""


def _joined(reasons: Iterable[Reason]) -> dict[str, str]:
    reasons = tuple(reasons)
    return {
        "codes": ";".join(reason.code.value for reason in reasons),
        "subjects": ";".join(reason.subject or "" for reason in reasons),
    }


def _alignment_rows(result: AlignmentPlan) -> list[dict[str, Any]]:
    ordinals = key_ordinals(group.key for group in result.groups)
    rows: list[dict[str, Any]] = [
        {
            "kind": "aligned",
            "subscription": sub.id,
            "group": number,
            "csn": group.key.csn,
            "term": group.key.term.value,
            "payment_kind": group.key.payment_kind.value,
            "renews_on": group.renews_on,
            "codes": "",
        }
        for number, group in zip(ordinals, result.groups, strict=True)
        for sub in group.subscriptions
    ]
    rows += [
        {
            "kind": "rejected",
            "subscription": rejection.subscription.id,
            "group": 0,
            "csn": rejection.subscription.csn,
            "term": rejection.subscription.term.value,
            "payment_kind": None,
            "renews_on": None,
            "codes": _joined(rejection.reasons)["codes"],
        }
        for rejection in result.rejected
    ]
    return rows


def _flatten(result: object) -> list[dict[str, Any]]:  # noqa: PLR0911 - a kind each
    if isinstance(result, Decision):
        return [
            {"kind": "decision", "allowed": result.allowed, **_joined(result.reasons)}
        ]
    if isinstance(result, RenewalRequirement):
        return [
            {
                "kind": "requirement",
                "mode": result.mode.value,
                "opens_on": result.window.opens_on,
                "closes_on": result.window.closes_on,
                **_joined(result.reasons),
            }
        ]
    if isinstance(result, Rejection):
        return [
            {
                "kind": "rejection",
                "subscription": result.subscription.id,
                **_joined(result.reasons),
            }
        ]
    if isinstance(result, Reason):
        remedy = result.remedy
        return [
            {
                "kind": "reason",
                "code": result.code.value,
                "subject": result.subject,
                "remedy": None if remedy is None else remedy.value,
                **{f"param_{name}": value for name, value in result.params},
            }
        ]
    if isinstance(result, AlignmentPlan):
        return _alignment_rows(result)
    if isinstance(result, TimelineEvent):
        return [
            {
                "kind": "event",
                "on": result.on,
                "event": result.kind.value,
                "subject": result.subject,
                **{f"param_{name}": value for name, value in result.params},
            }
        ]
    if isinstance(result, BatchPlan):
        rows: list[dict[str, Any]] = []
        ordinals = key_ordinals(batch.key for batch in result.batches)
        for number, batch in zip(ordinals, result.batches, strict=True):
            rows.extend(
                {
                    "kind": "batched",
                    "subscription": sub.id,
                    "batch": number,
                    "position": position,
                    "csn": batch.key.csn,
                    "currency": batch.key.currency,
                    "purchase_method": batch.key.purchase_method.value,
                    "codes": "",
                }
                for position, sub in enumerate(batch.subscriptions, start=1)
            )
        for rejection in result.rejected:
            sub = rejection.subscription
            rows.append(
                {
                    "kind": "rejected",
                    "subscription": sub.id,
                    "batch": 0,
                    "position": 0,
                    "csn": sub.csn,
                    "currency": sub.currency,
                    "purchase_method": sub.purchase_method.value,
                    "codes": _joined(rejection.reasons)["codes"],
                }
            )
        return rows
    raise InvalidTypeError("results", result, "expected a renewal_rules result")


def to_records(results: Iterable[Result | tuple[Any, Result]]) -> list[dict[str, Any]]:
    """Turn results into flat dicts of scalars, one or more per result.

    Each item is a result (a ``Decision``, ``RenewalRequirement``,
    ``BatchPlan``, ``Rejection``, ``Reason``, ``TimelineEvent`` or
    ``AlignmentPlan``) or a
    ``(key, result)`` pair whose key (a subscription id, say) is copied into
    each of its records as ``"key"``. Codes and subjects of several reasons
    are joined with ``;``. A plan gives one record per subscription, batched
    or rejected; a timeline event one record with its params.

    A batch is named as
    [`renewal_rules.frames.plan_table`][renewal_rules.frames.plan_table] names it: by
    its key (``csn``, ``currency``, ``purchase_method``) and ``batch``, its ordinal
    within the key (from 1), with ``position`` its place in the batch; an alignment
    group by its key and ``group``, the same way. Records of plans of CSN-disjoint parts
    concatenate without renumbering. A rejected subscription has ``batch`` (``group``)
    and ``position`` 0, so these columns stay integers in pandas.
    """
    records: list[dict[str, Any]] = []
    for index, item in enumerate(v.items("results", results)):
        if isinstance(item, tuple):
            if len(item) != 2:
                raise InvalidTypeError(
                    f"results[{index}]",
                    item,
                    "expected a result or a (key, result) pair",
                )
            key, result = item
            records.extend({"key": key, **row} for row in _flatten(result))
        else:
            records.extend(_flatten(item))
    return records
