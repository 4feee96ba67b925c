"""The columnar engine beneath `renewal_rules.frames` (private; Polars).

A frame is read once into canonical Polars columns (the JSON shape's names,
dates as ``Date``, enums as their values, the payment method as a struct).
Each row then gets two verdicts in columns, without building an object:

- ``doubt``: the columns cannot vouch for the row: a cell did not convert
  (a non-midnight timestamp, a float that is not integral, a date string in
  another spelling, a dtype the engine does not read), or a validator leaf
  or cross-field invariant fails in column form, or its market is unlisted.
  Such rows (few in a real portfolio) are judged by the object path, row by
  row: the serde reader gives a bad row's ``error`` in the object path's own
  words, and a row it accepts after all comes back as canonical columns.
- for the rows vouched for, each condition's column form (its entry in
  [`renewal_rules.conditions.CONDITIONS`][renewal_rules.conditions.CONDITIONS]) gives a
  bit of a mask; the mask becomes mode and codes through the same scalar functions the
  object API uses (``requirement_of``, ``codes_of``), over every mask the asked
  conditions can make, joined back: never per row in Python.
"""

from __future__ import annotations

import calendar
import functools
import itertools
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import polars as pl

from renewal_rules import _validators as v
from renewal_rules import conditions as cond
from renewal_rules.batching import member_mask
from renewal_rules.catalog import ReasonCode
from renewal_rules.model import (
    MAX_QUANTITY,
    Capability,
    LateRenewalBasis,
    PaymentKind,
    PurchaseMethod,
    SubscriptionKind,
    Term,
)
from renewal_rules.policy import CAPABILITY_BIT, RenewalPolicy, capability_bits

_METHOD = pl.Struct({"kind": pl.String, "expires_on": pl.Date, "valid": pl.Boolean})

FIELDS: dict[str, Any] = {
    "id": pl.String,
    "csn": pl.String,
    "product": pl.String,
    "term": pl.String,
    "term_start": pl.Date,
    "term_end": pl.Date,
    "currency": pl.String,
    "purchase_method": pl.String,
    "market": pl.String,
    "quantity": pl.Int64,
    "kind": pl.String,
    "payment_method": _METHOD,
    "auto_renew": pl.Boolean,
    "partner_csn": pl.String,
    "pending_term": pl.String,
    "anchor_day": pl.Int64,
    "pending_quantity": pl.Int64,
}
"""The canonical column of each subscription field (the JSON shape's)."""

ROW = "__row"
DOUBT = "__doubt"
MASK = "__mask"

# -- reading: any dtype to the canonical one, and where it did not convert --


def _convert(  # noqa: PLR0911 - one return per dtype read
    col: pl.Expr, have: Any, want: Any
) -> tuple[pl.Expr, pl.Expr] | None:
    """The canonical value of ``col`` and where a cell did not convert.

    ``col`` is a column or a struct field; ``None`` when no cell of dtype
    ``have`` can be read in columns.
    """
    no = pl.lit(False)
    if have == pl.Null:
        return pl.lit(None, dtype=want), no
    if want == pl.String:
        if have == pl.String:
            return col, no
        if isinstance(have, pl.Categorical | pl.Enum):
            return col.cast(pl.String), no
        return None
    if want == pl.Date:
        return _convert_date(col, have)
    if want == pl.Int64:
        if have.is_integer():
            value = col.cast(pl.Int64, strict=False)
            return value, col.is_not_null() & value.is_null()
        if have.is_float():
            # An integral float is an int (how NumPy holds ints with nulls);
            # NaN is a null, as the row reader says.
            real = pl.when(~col.is_nan()).then(col)
            integral = real.is_finite() & (real == real.floor()) & (real.abs() < 2**62)
            return (
                pl.when(integral).then(real.cast(pl.Int64, strict=False)),
                real.is_not_null() & ~integral,
            )
        return None
    if want == pl.Boolean:
        return (col, no) if have == pl.Boolean else None
    return _convert_method(col, have)


def _convert_date(col: pl.Expr, have: Any) -> tuple[pl.Expr, pl.Expr] | None:
    if have == pl.Date:
        return col, pl.lit(False)
    if isinstance(have, pl.Datetime) and have.time_zone is None:
        bad = col.is_not_null() & (col != col.dt.truncate("1d"))
        return pl.when(~bad).then(col.dt.date()), bad
    if have == pl.String:
        value = col.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        exact = value.dt.to_string("%Y-%m-%d") == col  # serde's one spelling
        bad = col.is_not_null() & (value.is_null() | ~exact)
        return pl.when(~bad).then(value), bad
    return None


def _convert_method(col: pl.Expr, have: Any) -> tuple[pl.Expr, pl.Expr] | None:
    if not isinstance(have, pl.Struct):
        return None
    inner = {field.name: field.dtype for field in have.fields}
    if not set(inner) <= set(_METHOD.to_schema()):
        return None
    values, bad = [], pl.lit(False)
    for name, want in _METHOD.to_schema().items():
        if name not in inner:
            values.append(pl.lit(None, dtype=want).alias(name))
            continue
        converted = _convert(col.struct.field(name), inner[name], want)
        if converted is None:
            return None
        values.append(converted[0].alias(name))
        bad = bad | (col.is_not_null() & converted[1])
    return pl.when(col.is_not_null()).then(pl.struct(values)), bad


def canonical(frame: pl.LazyFrame, extra: Mapping[str, Any]) -> pl.LazyFrame | None:
    """``frame``'s columns as the canonical ones, and `DOUBT`.

    `DOUBT` is true where a cell did not convert; ``None`` when a
    column's dtype cannot be read in columns at all.
    """
    schema = frame.collect_schema()
    exprs: list[pl.Expr] = [pl.col(ROW)]
    doubt = pl.lit(False)
    for name, want in {**FIELDS, **extra}.items():
        if name not in schema:
            exprs.append(pl.lit(None, dtype=want).alias(name))
            continue
        converted = _convert(pl.col(name), schema[name], want)
        if converted is None:
            return None
        exprs.append(converted[0].cast(want).alias(name))
        doubt = doubt | converted[1].fill_null(False)
    return frame.select(*exprs, doubt.alias(DOUBT))


# -- validation: the validator leaves and invariants in column form ---------

_ALLOWED = r"[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]*"
_IDENTIFIER = rf"^{_ALLOWED}[\p{{L}}\p{{M}}\p{{N}}\p{{P}}\p{{S}}]{_ALLOWED}$"


def _identifier(col: pl.Expr) -> pl.Expr:
    # v.check_text, vouching only for what it surely accepts: a visible
    # character, nothing refused or unusual, at most the supported length
    # (one pattern: one pass over each string).
    return col.str.contains(_IDENTIFIER) & (col.str.len_chars() <= v.MAX_IDENTIFIER)


def _csn(col: pl.Expr) -> pl.Expr:
    return col.str.contains(r"^[0-9]+$") & (col.str.len_chars() <= v.MAX_IDENTIFIER)


def _in_range(col: pl.Expr) -> pl.Expr:
    return col.is_between(pl.lit(v.MIN_DATE), pl.lit(v.MAX_DATE))


def _values(enum_type: Any) -> list[str]:
    return [member.value for member in enum_type]


def valid(
    policy: RenewalPolicy,
    extra: Mapping[str, Any],
    nulls: Iterable[str] = (),
) -> pl.Expr:
    """True where the canonical columns surely make a valid ``Subscription``.

    ``nulls`` names the optional columns known to hold only nulls (in the
    batch judged): their checks, which a null passes, are left out.
    """
    checks = _checks(policy, extra, frozenset(nulls))
    ok = checks[0]
    for check in checks[1:]:
        ok = ok & check
    return ok.fill_null(False)


def nulls(frame: pl.DataFrame) -> set[str]:
    """The columns of ``frame`` holding only nulls (Arrow counts them: no scan)."""
    height = frame.height
    return {
        name
        for name, column in frame.to_dict().items()
        if column.null_count() == height
    }


def _checks(
    policy: RenewalPolicy, extra: Mapping[str, Any], nulls: frozenset[str]
) -> list[pl.Expr]:
    # Each validator leaf and cross-field invariant, true where it holds.
    c = pl.col
    quantity = c("quantity").fill_null(1)
    term_end = c("term_end")
    day, anchor = term_end.dt.day(), c("anchor_day")
    last_day = (term_end + pl.duration(days=1)).dt.day() == 1
    method = c("payment_method")
    expires_on = method.struct.field("expires_on")
    checks = [
        _identifier(c("id")),
        _identifier(c("product")),
        _csn(c("csn")),
        c("term").is_in(_values(Term)),
        _in_range(c("term_start")),
        _in_range(term_end),
        term_end > c("term_start"),
        c("currency").is_in(sorted(v.ISO_4217)),
        c("purchase_method").is_in(_values(PurchaseMethod)),
        c("market").str.contains(r"^[A-Z]{2}$"),
        (c("purchase_method") != PurchaseMethod.PARTNER.value)
        | c("partner_csn").is_not_null(),
    ]
    # The optional fields' checks, each passed by a null cell.
    optional = {
        "quantity": quantity.is_between(1, MAX_QUANTITY),
        "kind": c("kind").is_in(_values(SubscriptionKind)),
        "payment_method": method.struct.field("kind").is_in(_values(PaymentKind))
        & (expires_on.is_null() | _in_range(expires_on)),
        "partner_csn": _csn(c("partner_csn")),
        "pending_term": c("pending_term").is_in(_values(Term)),
        # day == min(anchor, days in the month), without the month's end
        # (four times dearer): the anchor, or a later anchor on the last day.
        "anchor_day": anchor.is_between(1, 31)
        & ((day == anchor) | ((anchor > day) & last_day)),
        "pending_quantity": c("pending_quantity").is_between(1, quantity),
    }
    for name in extra:
        if name == "invoice_due_on":
            optional[name] = _in_range(c(name))
        else:  # the ordering column: required
            checks.append(c(name).is_not_null())
    checks.extend(
        c(name).is_null() | check
        for name, check in optional.items()
        if name not in nulls
    )
    if policy.default_market is None:  # an unlisted market is a bad row
        checks.append(c("market").is_in(sorted(m.code for m in policy.markets)))
    return checks


# -- the conditions in column form ---------------------------------------


def _add_months(start: pl.Expr, months: pl.Expr, anchor: pl.Expr) -> pl.Expr:
    # _dates.add_months_anchored in columns: the month moved (in integers:
    # an offset spelled per row as text costs forty times more), then the
    # anchor day clamped to that month's length.
    total = start.dt.year().cast(pl.Int64) * 12 + start.dt.month() - 1 + months
    year, month = total // 12, total % 12 + 1
    day = pl.min_horizontal(anchor, _days_in_month(year, month))
    return pl.date(year, month, day)


_MONTH_DAYS = {month: calendar.monthrange(2001, month)[1] for month in range(1, 13)}


def _days_in_month(year: pl.Expr, month: pl.Expr) -> pl.Expr:
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = month.replace_strict(_MONTH_DAYS, return_dtype=pl.Int64)
    return days + (leap & (month == 2)).cast(pl.Int64)


def _months_of(term: pl.Expr) -> pl.Expr:
    return term.replace_strict({t.value: t.months for t in Term}, return_dtype=pl.Int64)


def _term_days(days: Mapping[Term, int], term: pl.Expr) -> pl.Expr:
    return term.replace_strict({t.value: days[t] for t in Term}, return_dtype=pl.Int64)


class Columns:
    """The columns a condition's column form reads, for one policy and ``as_of``.

    The counterpart of the scalar path's subscription and derived facts:
    each attribute is a Polars expression over the canonical columns.
    """

    def __init__(self, policy: RenewalPolicy, as_of: date, asked: int) -> None:
        c = pl.col
        self.policy = policy
        self.never = cond.cannot_fail(policy)
        self.as_of = pl.lit(as_of, dtype=pl.Date)
        term_end = c("term_end")
        self.trial = c("kind").fill_null(SubscriptionKind.PAID.value) == (
            SubscriptionKind.TRIAL.value
        )
        self.over = self.as_of >= term_end
        stages = stage_columns(policy, None)
        self.canceled_on = stages["canceled_on"]
        renewal_question = bool(asked & cond.G3_CANCELED.bit)
        switch = renewal_question and policy.post_expiry_renewal
        self.after_expiry = self.over if switch else pl.lit(False)
        self.late = self.after_expiry & (self.as_of < self.canceled_on)
        self.opens_on = term_end - pl.duration(days=policy.renewal_window_days)
        # M1's window closes on term_end; G3: on canceled_on with the switch.
        self.closes_on = self.canceled_on if policy.post_expiry_renewal else term_end
        self.quote_closes_on = term_end + pl.duration(
            days=policy.quote_days_after_expiry
        )
        # Q18's param: the quote window's last day, at the latest canceled_on.
        self.quote_param_on = pl.min_horizontal(self.quote_closes_on, self.canceled_on)
        self.anniversary = pl.lit(
            policy.late_renewal_basis is LateRenewalBasis.ANNIVERSARY
        )
        anchor = c("anchor_day").fill_null(term_end.dt.day())
        next_term = c("pending_term").fill_null(c("term"))
        self.next_term_end = _add_months(term_end, _months_of(next_term), anchor)
        self.online = c("purchase_method") == PurchaseMethod.ONLINE.value
        self.pending = c("pending_term").is_not_null()
        self.auto_renew = c("auto_renew").fill_null(False)
        method = c("payment_method")
        self.has_method = method.is_not_null()
        kind = method.struct.field("kind")
        self.paypal = self.has_method & (kind == PaymentKind.PAYPAL.value)
        manual = sorted(k.value for k in policy.manual_payment_kinds)
        self.manual_kind = self.has_method & kind.is_in(manual)
        self.method_valid = method.struct.field("valid").fill_null(True)
        self.method_expires_on = method.struct.field("expires_on")
        # G5: charged on max(as_of, term_end) once the term is over.
        self.charge_on = pl.when(self.after_expiry).then(self.as_of).otherwise(term_end)
        self._offered = c("market").replace_strict(
            {m.code: policy.offered_bits(m.code) for m in policy.markets},
            default=_default_bits(policy),
            return_dtype=pl.Int64,
        )

    def missing(self, capability: Capability) -> pl.Expr:
        """True where the row's market does not offer ``capability`` (A4)."""
        return (self._offered & CAPABILITY_BIT[capability]) == 0


def _default_bits(policy: RenewalPolicy) -> int:
    # An unlisted market without a default is a bad row, never answered.
    default = policy.default_market
    return 0 if default is None else capability_bits(default.capabilities)


def failures(columns: Columns, asked: int) -> pl.Expr:
    """The mask of the failing conditions in ``asked``: their column forms."""
    mask = pl.lit(0, dtype=pl.Int64)
    for condition in cond.conditions_of(asked & ~columns.never):
        form = condition.column
        if form is None:  # pragma: no cover - every asked condition has one
            raise AssertionError(f"{condition.name} has no column form")
        bit = pl.lit(condition.bit, dtype=pl.Int64)
        mask = mask | pl.when(form(columns).fill_null(False)).then(bit).otherwise(0)
    return mask


def masks(asked: int) -> list[int]:
    """Every mask the conditions in ``asked`` can make (their subsets)."""
    bits = [c.bit for c in cond.conditions_of(asked)]
    return [
        sum(chosen)
        for size in range(len(bits) + 1)
        for chosen in itertools.combinations(bits, size)
    ]


@functools.lru_cache(maxsize=64)
def requirement_table(asked: int) -> tuple[dict[int, str], dict[int, str]]:
    """Mode and codes of every mask of ``asked``, from the scalar functions."""
    modes, codes = {}, {}
    for mask in masks(asked):
        mode, reported = cond.requirement_of(mask)
        modes[mask] = mode.value
        codes[mask] = ";".join(code.value for code in cond.codes_of(reported))
    return modes, codes


@functools.lru_cache(maxsize=8)
def member_table(asked: int) -> tuple[dict[int, str], list[int]]:
    """The codes a batch member reports for each mask of ``asked``, and the planned.

    A member is planned when ``batching.member_mask`` counts none of its
    failing conditions (B3, Q1: either quote path will do).
    """
    codes, planned = {}, []
    for mask in masks(asked):
        counted = member_mask(mask)
        codes[mask] = ";".join(code.value for code in cond.codes_of(counted))
        if not counted:
            planned.append(mask)
    return codes, planned


def stage_columns(
    policy: RenewalPolicy, invoice_due_on: pl.Expr | None
) -> dict[str, pl.Expr]:
    """The stage dates in columns (G1, G6): `renewal_rules._terms.stage_dates`."""
    c = pl.col
    term_end = c("term_end")
    trial = c("kind").fill_null(SubscriptionKind.PAID.value) == (
        SubscriptionKind.TRIAL.value
    )
    start = term_end
    if invoice_due_on is not None:  # G6: the day after an earlier due date
        due = invoice_due_on + pl.duration(days=1)
        start = (
            pl.when(invoice_due_on.is_not_null() & (invoice_due_on < term_end))
            .then(due)
            .otherwise(term_end)
        )
    suspended = start + pl.duration(days=policy.expired_stage_days)
    canceled = suspended + pl.duration(
        days=_term_days(policy.suspended_stage_days, c("term"))
    )
    return {
        "expired_on": pl.when(trial).then(term_end).otherwise(start),
        "suspended_on": pl.when(trial).then(term_end).otherwise(suspended),
        "canceled_on": pl.when(trial).then(term_end).otherwise(canceled),
    }


DUPLICATE = ReasonCode.DUPLICATE_SUBSCRIPTION.value


def concat(frames: Iterable[pl.DataFrame]) -> pl.DataFrame:
    """Frames of one schema, one after the other."""
    return pl.concat(list(frames), how="vertical_relaxed")
