"""Field validators and argument checks (private).

The leaves attrs lacks are small callable classes (exact types, dates in the
supported range, identifiers, codes), each raising
[`InvalidInputError`][renewal_rules.InvalidInputError] or
[`InvalidTypeError`][renewal_rules.InvalidTypeError] with the field's name and a short
preview of the bad value, and each with a ``repr`` that says what it checks.
They are composed with `attrs.validators` (``optional``,
``deep_iterable``, ``and_``). Nothing converts a value into another one: the
converters only turn a list, tuple or set into the field's tuple or frozenset.

Types are checked exactly where a subclass would change the meaning: a
``datetime`` is a ``date`` subclass, a ``bool`` an ``int`` subclass, an enum
member or a ``str`` subclass with its own ``strip`` a ``str``; all are refused.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Context, Decimal
from enum import Enum
from typing import Any, Final, TypeVar

import attrs

from renewal_rules.errors import InvalidInputError, InvalidTypeError

E = TypeVar("E", bound=Enum)
T = TypeVar("T")

Validator = Callable[[Any, Any, Any], None]

MIN_DATE: Final = date(1900, 1, 1)
"""The first date the library accepts (API.md, "Supported dates")."""
MAX_DATE: Final = date(9899, 12, 31)
"""The last date the library accepts: every computation stays below date.max."""

# ISO 4217 active alphabetic codes (list one, 2024 amendments), plus the
# precious-metal and special codes that the standard lists (XAU, XDR, ...).
ISO_4217: frozenset[str] = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB
    BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC
    CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF
    GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF
    KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU
    MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR
    PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP
    STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU
    UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD
    XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL
    """.split()  # noqa: SIM905 - a block of codes reads better than 180 strings
)

# Characters that show nothing: an id made only of these is blank.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
# Never in an identifier (docs/architecture.md, "Supported identifiers"): a
# lone surrogate cannot be stored in Arrow, Parquet or a database column; a
# control character or a line or paragraph separator breaks a line of output.
_REFUSED_CATEGORIES = frozenset({"Cs", "Cc", "Zl", "Zp"})

MAX_IDENTIFIER: Final = 256
"""The most characters an identifier (id, CSN, product, ...) may hold."""


def article(name: str) -> str:
    """``"a Term"``, ``"an int"``: the name with its indefinite article."""
    return f"an {name}" if name[0].lower() in "aeiou" else f"a {name}"


def _name(attribute: Any) -> str:
    return str(attribute.name)


# -- checks for arguments (also used by the field validators) ---------------


def check_date(field: str, value: object) -> date:
    """Return ``value`` if it is a plain ``date`` in the supported range."""
    if type(value) is not date:
        raise InvalidTypeError(
            field, value, "expected a datetime.date (not a datetime)"
        )
    if not MIN_DATE <= value <= MAX_DATE:
        raise InvalidInputError(
            field,
            value,
            f"must be from {MIN_DATE.isoformat()} through {MAX_DATE.isoformat()}",
        )
    return value


def check_int(
    field: str, value: object, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Return ``value`` if it is an ``int`` (not a ``bool``) in the bounds."""
    if type(value) is not int:
        raise InvalidTypeError(field, value, "expected an int (not a bool)")
    if minimum is not None and value < minimum:
        raise InvalidInputError(field, value, f"must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise InvalidInputError(field, value, f"must be at most {maximum}")
    return value


def check_text(field: str, value: object) -> str:
    """Return ``value`` if it is a plain ``str`` with a visible character."""
    if type(value) is not str:
        raise InvalidTypeError(field, value, "expected a str (not a subclass)")
    if len(value) > MAX_IDENTIFIER:
        raise InvalidInputError(
            field, value, f"must be at most {MAX_IDENTIFIER} characters"
        )
    visible = False
    for char in value:
        category = unicodedata.category(char)
        if category in _REFUSED_CATEGORIES:
            raise InvalidInputError(
                field,
                value,
                "must not hold a control character, a line or paragraph "
                "separator or a lone surrogate",
            )
        visible = visible or (
            not char.isspace() and category not in _INVISIBLE_CATEGORIES
        )
    if not visible:
        raise InvalidInputError(field, value, "must have a visible character")
    return value


def check_csn(field: str, value: object) -> str:
    """Return ``value`` if it is a non-empty ``str`` of ASCII digits."""
    if type(value) is not str:
        raise InvalidTypeError(field, value, "expected a str of digits")
    if not (value.isascii() and value.isdigit()):
        raise InvalidInputError(field, value, "must be a non-empty string of digits")
    if len(value) > MAX_IDENTIFIER:
        raise InvalidInputError(
            field, value, f"must be at most {MAX_IDENTIFIER} characters"
        )
    return value


INT64: Final = range(-(2**63), 2**63)
"""The ints a param may hold (a reason's count, an event's days): a 64-bit
integer, as in the frames door's columns."""


def check_int64(field: str, value: int) -> int:
    """Return ``value`` if it lies in `INT64`."""
    if value not in INT64:
        raise InvalidInputError(field, value, "must fit in a 64-bit integer")
    return value


MAX_AMOUNT: Final = 10**12
"""Every amount is below this (``0 <= amount < MAX_AMOUNT``)."""
AMOUNT_PLACES: Final = 6
"""An amount's value has at most this many decimal places."""
_PLACES = Decimal(1).scaleb(-AMOUNT_PLACES)


def check_amount(field: str, value: object) -> Decimal | int:
    """Return ``value`` if it is a supported amount: an ``int`` or a finite ``Decimal``.

    ``0 <= amount < MAX_AMOUNT``, with at most `AMOUNT_PLACES`
    decimal places of its value (``Decimal("1.50")`` is fine, and so is
    ``Decimal("1.5000000")``, returned as ``Decimal("1.500000")``: equal,
    with the same places the arithmetic then works in). A ``float``
    (inexact), a ``bool``, NaN, an infinity, a negative amount or one out
    of bounds is bad input. Every comparison here reads exponents and
    digits, so a huge exponent is refused at once.
    """
    if type(value) is int:
        if value < 0:
            raise InvalidInputError(field, value, "must not be negative")
        if value >= MAX_AMOUNT:
            raise InvalidInputError(field, value, _TOO_LARGE)
        return value
    if type(value) is not Decimal:
        raise InvalidTypeError(field, value, "expected a Decimal or an int")
    if not value.is_finite():
        raise InvalidInputError(field, value, "must be a finite amount")
    if value < 0:
        raise InvalidInputError(field, value, "must not be negative")
    if value >= MAX_AMOUNT:
        raise InvalidInputError(field, value, _TOO_LARGE)
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a finite Decimal's exponent
    if exponent >= -AMOUNT_PLACES:
        return value
    # More places than allowed: only zeros may fill the extra ones.
    if any(digits[exponent + AMOUNT_PLACES :]):
        raise InvalidInputError(
            field, value, f"must have at most {AMOUNT_PLACES} decimal places"
        )
    # Exact: at most 18 digits, in a context of its own (not the caller's).
    return value.quantize(_PLACES, context=_EXACT)


_TOO_LARGE = f"must be less than {MAX_AMOUNT}"
_EXACT = Context(prec=2 * AMOUNT_PLACES + 20)


def check_market_code(field: str, value: object) -> str:
    """Return ``value`` if it is two uppercase ASCII letters (ISO 3166-1 shape)."""
    if type(value) is not str:
        raise InvalidTypeError(field, value, "expected a str")
    if not (
        len(value) == 2 and value.isascii() and value.isalpha() and value.isupper()
    ):
        raise InvalidInputError(
            field, value, "must be two uppercase ASCII letters such as 'FR'"
        )
    return value


def require(field: str, value: object, cls: type[Any]) -> None:
    """Refuse an argument that is not an instance of ``cls``, naming it."""
    if not isinstance(value, cls):
        raise InvalidTypeError(field, value, f"expected {article(cls.__name__)}")


def check_as_of(value: object) -> None:
    """Refuse an ``as_of`` that is not a plain ``date`` in the supported range."""
    check_date("as_of", value)


def check_iterable(field: str, value: object) -> None:
    """Refuse a collection argument that is a ``str``, a mapping, or not iterable.

    A ``str`` is iterable, so without this ``plan_batches("")`` would plan
    nothing instead of refusing the argument.
    """
    if isinstance(value, str | bytes | bytearray | Mapping) or not isinstance(
        value, Iterable
    ):
        raise InvalidTypeError(field, value, "expected a collection (list or tuple)")


def items(field: str, value: object) -> Iterable[Any]:
    """Iterate a collection argument, refusing what `check_iterable` does.

    An iterable whose ``iter()`` or ``next()`` raises is reported as bad
    input too.
    """
    check_iterable(field, value)
    try:
        iterator = iter(value)  # type: ignore[call-overload]
    except Exception as error:  # an __iter__ that raises
        raise InvalidInputError(field, value, "could not be iterated") from error
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as error:
            raise InvalidInputError(field, value, "could not be iterated") from error
        yield item


# -- leaf field validators ---------------------------------------------------


@attrs.frozen(repr=False)
class _Check:
    """A field validator from a ``check(field, value)`` function."""

    check: Callable[[str, Any], Any]
    description: str

    def __call__(self, _inst: object, attribute: Any, value: Any) -> None:
        self.check(_name(attribute), value)

    def __repr__(self) -> str:
        return f"<validator: {self.description}>"


instance_of_date = _Check(check_date, "a date from 1900-01-01 through 9899-12-31")
text = _Check(check_text, "a str with a visible character")
csn = _Check(check_csn, "a str of ASCII digits (a CSN)")
market_code = _Check(check_market_code, "two uppercase ASCII letters")


def _check_currency(field: str, value: object) -> None:
    if type(value) is not str:
        raise InvalidTypeError(field, value, "expected a str")
    if value not in ISO_4217:
        raise InvalidInputError(field, value, "must be an ISO 4217 code such as 'EUR'")


currency = _Check(_check_currency, "an ISO 4217 currency code")


def _check_bool(field: str, value: object) -> None:
    if type(value) is not bool:
        raise InvalidTypeError(field, value, "expected a bool")


strict_bool = _Check(_check_bool, "True or False")


@attrs.frozen(repr=False)
class _IntBetween:
    minimum: int
    maximum: int

    def __call__(self, _inst: object, attribute: Any, value: Any) -> None:
        check_int(_name(attribute), value, self.minimum, self.maximum)

    def __repr__(self) -> str:
        return f"<validator: an int from {self.minimum} to {self.maximum}>"


def int_between(minimum: int, maximum: int) -> Validator:
    """Make a validator for an ``int`` (not a ``bool``) in ``[minimum, maximum]``."""
    return _IntBetween(minimum, maximum)


@attrs.frozen(repr=False)
class _InstanceOf:
    cls: type[Any]
    exact: bool
    what: str

    def __call__(self, _inst: object, attribute: Any, value: Any) -> None:
        ok = type(value) is self.cls if self.exact else isinstance(value, self.cls)
        if not ok:
            raise InvalidTypeError(_name(attribute), value, f"expected {self.what}")

    def __repr__(self) -> str:
        return f"<validator: {self.what}>"


def instance_of(cls: type[Any]) -> Validator:
    """Make a validator for an instance of ``cls`` (a subclass will do)."""
    return _InstanceOf(cls, exact=False, what=article(cls.__name__))


def enum_member(enum_type: type[E]) -> Validator:
    """Make a validator that accepts only members of ``enum_type`` (no strings)."""
    return _InstanceOf(
        enum_type, exact=False, what=f"{article(enum_type.__name__)} member"
    )


# The converters have turned a list (and, for sets, a tuple or set) into the
# field's type; what is left is refused here.
exact_tuple: Final = _InstanceOf(tuple, exact=True, what="a list or tuple")
computed_date: Final = _InstanceOf(
    date, exact=True, what="a datetime.date (not a datetime)"
)
"""A plain date in or past the supported range: for computed values only."""
exact_frozenset: Final = _InstanceOf(
    frozenset, exact=True, what="a list, tuple or set of hashable items"
)


def optional_date(inst: object, attribute: Any, value: Any) -> None:
    """Refuse anything but ``None`` or a supported date."""
    if value is not None:
        instance_of_date(inst, attribute, value)


def tuple_of(item_type: type[Any]) -> Validator:
    """Make a validator for a ``tuple`` whose items are all ``item_type``."""
    return attrs.validators.deep_iterable(
        member_validator=instance_of(item_type), iterable_validator=exact_tuple
    )


@attrs.frozen(repr=False)
class _NonEmpty:
    def __call__(self, _inst: object, attribute: Any, value: Any) -> None:
        if not value:
            raise InvalidInputError(_name(attribute), value, "must not be empty")

    def __repr__(self) -> str:
        return "<validator: not empty>"


def non_empty_tuple_of(item_type: type[Any]) -> Validator:
    """Make a validator for a non-empty ``tuple`` of ``item_type`` items."""
    return attrs.validators.and_(tuple_of(item_type), _NonEmpty())


def frozenset_of(member: Validator) -> Validator:
    """Make a validator for a ``frozenset`` whose items all pass ``member``."""
    return attrs.validators.deep_iterable(
        member_validator=member, iterable_validator=exact_frozenset
    )


# -- converters: containers only ----------------------------------------------

_SEQUENCES = (list, tuple)
_COLLECTIONS = (list, tuple, set, frozenset)


def to_tuple(value: Any) -> Any:
    """Turn a list into a ``tuple`` (attrs converter); leave anything else.

    What is left (a ``str``, a set, a mapping, ``None``) is refused by the
    field's validator with the field's name: nothing is coerced.
    """
    if type(value) is list:
        return tuple(value)
    return value


def to_frozenset(value: Any) -> Any:
    """Turn a list, tuple or set into a ``frozenset`` (attrs converter).

    A mapping is left as is (its keys are not a set of values), and so is a
    collection with an unhashable item; the validator refuses both by name.
    """
    if type(value) in _COLLECTIONS and type(value) is not frozenset:
        try:
            return frozenset(value)
        except TypeError:
            return value
    return value


def optional_to_frozenset(value: Any) -> Any:
    """Like `to_frozenset`, letting ``None`` through."""
    return None if value is None else to_frozenset(value)


def optional(validator: Validator) -> Validator:
    """``attrs.validators.optional``, typed for fields whose default is ``None``."""
    return attrs.validators.optional(validator)


def builder(cls: type[T]) -> Callable[..., T]:
    """Make the one constructor of ``cls`` from checked parts, skipping validation.

    The rules assemble results (a reason, a requirement, a plan's batches, a
    renewed subscription) from parts that are valid by construction; running
    the validators again on a million of them would cost as much as the rule
    itself. The returned function takes **every** field positionally, in
    field order; a field may be left out only when the class gives it a
    constant default (``subject=None``), which then applies. A missing or
    extra field is a ``TypeError``. It fills the slots and returns an
    instance equal to the validated one; nothing else in the package writes
    to a frozen instance.

    >>> import attrs
    >>> @attrs.frozen
    ... class Pair:
    ...     left: int
    ...     right: int = 0
    >>> build = builder(Pair)
    >>> build(1, 2) == Pair(1, 2), build(1) == Pair(1)
    (True, True)
    >>> build()
    Traceback (most recent call last):
    ...
    TypeError: build_Pair() missing 1 required positional argument: 'left'
    """
    fields = attrs.fields(cls)  # type: ignore[arg-type]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    params: list[str] = []
    optional = True  # only trailing fields can be left out
    for field in reversed(fields):
        # Generated, as attrs generates __init__: one slot setter call per
        # field and no loop keep make_reason cheap on the rules' hot path.
        namespace[f"_set_{field.name}"] = cls.__dict__[field.name].__set__
        default = field.default
        optional = optional and not (
            default is attrs.NOTHING or isinstance(default, attrs.Factory)  # type: ignore[arg-type]
        )
        if optional:
            namespace[f"_default_{field.name}"] = default
            params.insert(0, f"{field.name}=_default_{field.name}")
        else:
            params.insert(0, field.name)
    lines = [f"def build_{cls.__name__}({', '.join(params)}):"]
    lines.append("    instance = _new(_cls)")
    lines += [f"    _set_{field.name}(instance, {field.name})" for field in fields]
    lines.append("    return instance")
    exec("\n".join(lines), namespace)
    built: Callable[..., T] = namespace[f"build_{cls.__name__}"]
    return built
