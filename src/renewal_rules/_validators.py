"""Field validators shared by the model classes (private).

Each validator refuses a value loudly, naming the field; none converts. Types
are checked exactly where a subclass would change the meaning: a ``datetime``
is a ``date`` subclass and a ``bool`` an ``int`` subclass, and both are refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from enum import Enum
from functools import partial
from typing import Any, TypeVar

from renewal_rules.errors import InvalidInputError, InvalidTypeError

E = TypeVar("E", bound=Enum)

Validator = Callable[[Any, Any, Any], None]

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


def _name(attribute: Any) -> str:
    return str(attribute.name)


def instance_of_date(_inst: object, attribute: Any, value: Any) -> None:
    """Refuse anything but a plain ``datetime.date``."""
    if type(value) is not date:
        raise InvalidTypeError(
            _name(attribute), value, "expected a datetime.date (not a datetime)"
        )


def optional_date(inst: object, attribute: Any, value: Any) -> None:
    """Refuse anything but ``None`` or a plain ``datetime.date``."""
    if value is not None:
        instance_of_date(inst, attribute, value)


def strict_bool(_inst: object, attribute: Any, value: Any) -> None:
    """Refuse anything but ``True`` or ``False`` (``0`` and ``1`` included)."""
    if type(value) is not bool:
        raise InvalidTypeError(_name(attribute), value, "expected a bool")


def check_int(field: str, value: object, minimum: int | None = None) -> int:
    """Return ``value`` if it is an ``int`` (not a ``bool``) of at least ``minimum``."""
    if type(value) is not int:
        raise InvalidTypeError(field, value, "expected an int (not a bool)")
    if minimum is not None and value < minimum:
        raise InvalidInputError(field, value, f"must be at least {minimum}")
    return value


def _int_at_least(minimum: int, _inst: object, attribute: Any, value: Any) -> None:

    check_int(_name(attribute), value, minimum)


def int_at_least(minimum: int) -> Validator:
    """Make a validator for an ``int`` of at least ``minimum``."""
    return partial(_int_at_least, minimum)


def _int_between(
    minimum: int, maximum: int, _inst: object, attribute: Any, value: Any
) -> None:

    check_int(_name(attribute), value, minimum)
    if value > maximum:
        raise InvalidInputError(_name(attribute), value, f"must be at most {maximum}")


def _optional_int_between(
    minimum: int, maximum: int, inst: object, attribute: Any, value: Any
) -> None:
    if value is not None:
        _int_between(minimum, maximum, inst, attribute, value)


def optional_int_between(minimum: int, maximum: int) -> Validator:
    """Make a validator for ``None`` or an ``int`` in ``[minimum, maximum]``."""
    return partial(_optional_int_between, minimum, maximum)


def non_empty_str(_inst: object, attribute: Any, value: Any) -> None:
    """Refuse anything but a non-blank ``str``."""
    if not isinstance(value, str) or isinstance(value, Enum):
        raise InvalidTypeError(_name(attribute), value, "expected a str")
    if not value.strip():
        raise InvalidInputError(_name(attribute), value, "must not be blank")


def check_csn(field: str, value: object) -> None:
    """Refuse anything but a non-empty string of ASCII digits."""
    if not isinstance(value, str) or isinstance(value, Enum):
        raise InvalidTypeError(field, value, "expected a str of digits")
    if not (value.isascii() and value.isdigit()):
        raise InvalidInputError(field, value, "must be a non-empty string of digits")


def csn(_inst: object, attribute: Any, value: Any) -> None:
    """Validate a customer serial number (CSN)."""
    check_csn(_name(attribute), value)


def optional_csn(_inst: object, attribute: Any, value: Any) -> None:
    """Validate ``None`` or a CSN."""
    if value is not None:
        check_csn(_name(attribute), value)


def currency(_inst: object, attribute: Any, value: Any) -> None:
    """Refuse anything but an ISO 4217 alphabetic code (``"EUR"``)."""
    if not isinstance(value, str) or isinstance(value, Enum):
        raise InvalidTypeError(_name(attribute), value, "expected a str")
    if value not in ISO_4217:
        raise InvalidInputError(
            _name(attribute), value, "must be an ISO 4217 code such as 'EUR'"
        )


def check_market_code(field: str, value: object) -> None:
    """Refuse anything but two uppercase ASCII letters (ISO 3166-1 alpha-2 shape)."""
    if not isinstance(value, str) or isinstance(value, Enum):
        raise InvalidTypeError(field, value, "expected a str")
    if not (
        len(value) == 2 and value.isascii() and value.isalpha() and value.isupper()
    ):
        raise InvalidInputError(
            field, value, "must be two uppercase ASCII letters such as 'FR'"
        )


def market_code(_inst: object, attribute: Any, value: Any) -> None:
    """Validate a market code."""
    check_market_code(_name(attribute), value)


def _enum_member(enum_type: type[E], _inst: object, attribute: Any, value: Any) -> None:

    if not isinstance(value, enum_type):
        raise InvalidTypeError(
            _name(attribute), value, f"expected a {enum_type.__name__} member"
        )


def enum_member(enum_type: type[E]) -> Validator:
    """Make a validator that accepts only members of ``enum_type`` (no strings)."""
    return partial(_enum_member, enum_type)


def _optional_enum_member(
    enum_type: type[E], inst: object, attribute: Any, value: Any
) -> None:
    if value is not None:
        _enum_member(enum_type, inst, attribute, value)


def optional_enum_member(enum_type: type[E]) -> Validator:
    """Make a validator that accepts ``None`` or a member of ``enum_type``."""
    return partial(_optional_enum_member, enum_type)


def _refuse_text(field: str, value: object) -> None:
    # A str is iterable, so without this "ab" would become {"a", "b"}.
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field, value, "expected a collection (not a str)")


def to_frozenset(value: Iterable[Any]) -> frozenset[Any]:
    """Convert a collection to a ``frozenset`` (attrs converter).

    Only the container is normalised; a ``str`` or a non-iterable is left as
    is so that the field's validator refuses it with the field's name.
    """
    if isinstance(value, frozenset | str | bytes):
        return value  # type: ignore[return-value]
    if isinstance(value, Iterable):
        return frozenset(value)
    return value


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Convert a sequence to a ``tuple`` (attrs converter); see :func:`to_frozenset`."""
    if isinstance(value, tuple | str | bytes):
        return value  # type: ignore[return-value]
    if isinstance(value, Iterable) and not isinstance(value, set | frozenset | dict):
        return tuple(value)
    return value  # type: ignore[return-value]


def _frozenset_of(member: Validator, inst: object, attribute: Any, value: Any) -> None:

    # to_frozenset has turned every other collection into a frozenset.
    _refuse_text(_name(attribute), value)
    for item in value:
        member(inst, attribute, item)


def frozenset_of(member: Validator) -> Validator:
    """Make a validator for a ``frozenset`` whose items all pass ``member``."""
    return partial(_frozenset_of, member)


def _tuple_of(item_type: type[Any], _inst: object, attribute: Any, value: Any) -> None:

    _refuse_text(_name(attribute), value)
    if not isinstance(value, tuple):
        raise InvalidTypeError(
            _name(attribute), value, "expected a sequence (list or tuple)"
        )
    for index, item in enumerate(value):
        if not isinstance(item, item_type):
            raise InvalidTypeError(
                f"{_name(attribute)}[{index}]",
                item,
                f"expected a {item_type.__name__}",
            )


def tuple_of(item_type: type[Any]) -> Validator:
    """Make a validator for a ``tuple`` whose items are all ``item_type``."""
    return partial(_tuple_of, item_type)


def _non_empty_tuple_of(
    item_type: type[Any], inst: object, attribute: Any, value: Any
) -> None:
    _tuple_of(item_type, inst, attribute, value)
    if not value:
        raise InvalidInputError(_name(attribute), value, "must not be empty")


def non_empty_tuple_of(item_type: type[Any]) -> Validator:
    """Make a validator for a non-empty ``tuple`` of ``item_type`` items."""
    return partial(_non_empty_tuple_of, item_type)


def _optional_frozenset_of(
    member: Validator, inst: object, attribute: Any, value: Any
) -> None:
    if value is not None:
        _frozenset_of(member, inst, attribute, value)


def optional_frozenset_of(member: Validator) -> Validator:
    """Make a validator for ``None`` or a ``frozenset`` whose items pass ``member``."""
    return partial(_optional_frozenset_of, member)


def optional_to_frozenset(value: Iterable[Any] | None) -> frozenset[Any] | None:
    """Like :func:`to_frozenset`, letting ``None`` through."""
    return None if value is None else to_frozenset(value)


def _a(name: str) -> str:
    return f"an {name}" if name[0] in "AEIOU" else f"a {name}"


def require(field: str, value: object, cls: type[Any]) -> None:
    """Refuse an argument that is not an instance of ``cls``, naming it."""
    if not isinstance(value, cls):
        raise InvalidTypeError(field, value, f"expected {_a(cls.__name__)}")


def check_as_of(value: object) -> None:
    """Refuse an ``as_of`` that is not a plain ``datetime.date``."""
    if type(value) is not date:
        raise InvalidTypeError("as_of", value, "expected a datetime.date")


T = TypeVar("T")


def trusted(cls: type[T], **fields: Any) -> T:
    """Build an attrs instance from already-valid parts, skipping validation.

    For results that the rules assemble from validated model objects (a plan's
    batches, its rejections): re-validating a million of them would cost as
    much as the rule itself. The instance equals the validated one.
    """
    instance = object.__new__(cls)
    for name, value in fields.items():
        object.__setattr__(instance, name, value)
    return instance


def _optional_instance_of(
    cls: type[Any], _inst: object, attribute: Any, value: Any
) -> None:

    if value is not None and not isinstance(value, cls):
        raise InvalidTypeError(
            _name(attribute), value, f"expected a {cls.__name__} or None"
        )


def optional_instance_of(cls: type[Any]) -> Validator:
    """Make a validator for ``None`` or an instance of ``cls``."""
    return partial(_optional_instance_of, cls)
