"""JSON-ready dicts for every model and result type, and back (shape version 1).

Needs the ``serde`` extra (``pip install renewal_rules[serde]``, which brings
``cattrs``); the core never imports this module.

The shape (version [`SCHEMA_VERSION`][renewal_rules.serde.SCHEMA_VERSION]) is the attrs
fields of each class, by name, with:

- dates as ISO strings (``"2027-03-01"``);
- enums by value (``"annual"``);
- tuples as JSON arrays, sets as sorted arrays;
- ``Reason.params`` as an object (``{"limit": 100, "size": 101}``).

[`from_dict`][renewal_rules.serde.from_dict] is strict: unknown keys, missing required
keys, wrong JSON types (``"1"`` for an int, ``1`` for a string) and every value the
model refuses are reported together in one
[`SerdeError`][renewal_rules.serde.SerdeError] listing each bad field with its path
(``$.lines[0].quantity``); it never returns a half-built object.

>>> from datetime import date
>>> from renewal_rules import PaymentKind, PaymentMethod
>>> to_dict(PaymentMethod(kind=PaymentKind.CARD, expires_on=date(2029, 1, 31)))
{'kind': 'card', 'expires_on': '2029-01-31', 'valid': True}
>>> from_dict(PaymentMethod, {'kind': 'card', 'expires_on': '2029-01-31'}).expires_on
datetime.date(2029, 1, 31)
>>> try:
...     from_dict(PaymentMethod, {'kind': 'cheque', 'valid': 'yes', 'colour': 1})
... except SerdeError as error:
...     for path, message in error.errors:
...         print(path, "-", message)
$.colour - unknown field
$.kind - "cheque" is not a PaymentKind value
$.valid - expected a JSON boolean, got "yes"
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache, partial
from types import MappingProxyType, SimpleNamespace, UnionType
from typing import Any, TypeVar, cast, get_args, get_origin, get_type_hints

import attrs

try:
    import cattrs
    from cattrs.errors import IterableValidationError, IterableValidationNote
except ImportError as error:  # pragma: no cover - the extra is installed in tests
    raise ImportError(
        "renewal_rules.serde needs the 'serde' extra: pip install renewal_rules[serde]"
    ) from error

from renewal_rules import alignment, batching, decisions, model, policy, timeline
from renewal_rules._dates import iso_date
from renewal_rules.catalog import ROWS, ReasonCode
from renewal_rules.errors import (
    PREVIEW_CHARS,
    InvalidInputError,
    InvalidTypeError,
    RenewalRulesError,
    preview,
)

__all__ = [
    "MAX_ERRORS",
    "SCHEMA_VERSION",
    "SERIALIZABLE_TYPES",
    "SerdeError",
    "from_dict",
    "to_dict",
]

SCHEMA_VERSION = 1
"""The version of the JSON shape; it changes only with a CHANGELOG entry."""

T = TypeVar("T")

SERIALIZABLE_TYPES: tuple[type[Any], ...] = (
    model.PaymentMethod,
    policy.Market,
    model.Subscription,
    model.Account,
    model.Actor,
    policy.RenewalPolicy,
    model.Recipient,
    model.QuoteLine,
    model.Quote,
    model.Promotion,
    decisions.Reason,
    decisions.Decision,
    decisions.DateWindow,
    decisions.RenewalRequirement,
    decisions.StageDates,
    timeline.TimelineEvent,
    batching.GroupKey,
    batching.Batch,
    batching.Rejection,
    batching.BatchPlan,
    alignment.AlignmentKey,
    alignment.AlignmentGroup,
    alignment.AlignmentPlan,
)
"""Every type `to_dict` and `from_dict` handle."""

_ENUMS: tuple[type[Enum], ...] = (
    model.Term,
    model.SubscriptionKind,
    model.PurchaseMethod,
    model.PaymentKind,
    model.Role,
    model.LineKind,
    model.Offering,
    model.QuoteChannel,
    model.QuoteStatus,
    model.QuoteChange,
    policy.Capability,
    decisions.ReasonCode,
    decisions.RenewalMode,
    batching.BatchAction,
    model.LifecycleStage,
    model.LateRenewalBasis,
    timeline.TimelineKind,
    model.PriceBasis,
    model.AccountAction,
)


class SerdeError(InvalidInputError):
    """Malformed input for `from_dict`, with every bad field.

    Attributes:
        errors: ``(path, message)`` pairs in input order; paths start at
            ``$`` (``$.lines[0].quantity``).
    """

    def __init__(self, errors: Sequence[tuple[str, str]]) -> None:
        self.errors = tuple(errors)
        summary = "; ".join(f"{path}: {message}" for path, message in self.errors)
        super().__init__("$", None, summary)

    def __str__(self) -> str:
        # The paths name the fields; "$: ... (got None)" would add only noise.
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (SerdeError, (self.errors,))


class _InvalidValueError(Exception):
    """A leaf error raised by the structuring hooks (message only)."""


_JSON_NAMES = {
    type(None): "null",
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}


def _json_name(value: object) -> str:
    """What ``value`` is in JSON terms (``"array"``, ``"null"``, ...)."""
    return _JSON_NAMES.get(type(value), type(value).__name__)


_JSON_WORDS = {None: "null", True: "true", False: "false"}


def _shown(value: object) -> str:
    """``value`` in JSON's words: ``null``, ``true``, ``"2027-02-30"``, ``12``.

    A string is shown as a JSON string (shortened like
    `preview`); an array or an object by its
    JSON name; anything else (a value no JSON document holds) by
    `preview`.
    """
    if value is None or type(value) is bool:
        return _JSON_WORDS[value]
    if type(value) is str:
        return _json_string(value)
    if type(value) in (list, dict):
        return f"an {_json_name(value)}"
    return preview(value)


def _json_string(text: str) -> str:
    # ASCII-escaped, so a lone surrogate or a separator cannot break a line.
    if len(text) > PREVIEW_CHARS:
        return f"string of length {len(text)}: {json.dumps(text[:PREVIEW_CHARS])}..."
    return json.dumps(text)


def _is(cls: type[Any], kind: Any) -> bool:
    return kind is cls


def field_types(cls: type[Any]) -> Mapping[str, Any]:
    """The field types of a model class, resolved from its annotations.

    Read with `typing.get_type_hints`, so the class itself is left as
    it is (``attrs.resolve_types`` would rewrite its fields in place).

    >>> field_types(model.PaymentMethod)["valid"]
    <class 'bool'>
    """
    return _hints(cast(Hashable, cls))


@functools.lru_cache(maxsize=64)
def _hints(cls: Any) -> Mapping[str, Any]:
    return MappingProxyType(get_type_hints(cls))


@cache
def _array_type(field_type: Any) -> tuple[bool, bool]:
    """Whether a field's type holds a tuple or frozenset, and may be None."""
    members = get_args(field_type) if isinstance(field_type, UnionType) else ()
    members = members or (field_type,)
    holds = any(get_origin(member) in (tuple, frozenset) for member in members)
    return holds, type(None) in members


def _structure_field(value: Any, field_type: Any) -> Any:
    # cattrs iterates whatever it is given: a string's characters, an
    # object's keys. Only a JSON array may become a tuple or a set.
    holds, nullable = _array_type(field_type)
    if holds and type(value) is not list and not (nullable and value is None):
        raise _InvalidValueError(f"expected a JSON array, got {_json_name(value)}")
    return _CONVERTER.structure(value, field_type)


def _structure_strict(kind: type[Any], label: str, value: Any, _type: Any) -> Any:
    # bool is an int subclass: refuse it where a number is due.
    if type(value) is not kind:
        raise _InvalidValueError(f"expected a JSON {label}, got {_shown(value)}")
    return value


def _structure_date(value: Any, _type: Any) -> date:
    if not isinstance(value, str):
        raise _InvalidValueError(f"expected an ISO date string, got {_shown(value)}")
    parsed = iso_date(value)
    if parsed is None:
        raise _InvalidValueError(f"{_shown(value)} is not an ISO date (YYYY-MM-DD)")
    return parsed


def _structure_enum(value: Any, enum_type: type[Enum]) -> Enum:
    if type(value) is not str:
        raise _InvalidValueError(f"expected a JSON string, got {_shown(value)}")
    try:
        return enum_type(value)
    except ValueError:
        message = f"{_shown(value)} is not a {enum_type.__name__} value"
        raise _InvalidValueError(message) from None


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _path(base: str, step: str | int) -> str:
    """``base`` then ``step``: ``[0]`` for an index, else the key ``step``."""
    return f"{base}[{step}]" if type(step) is int else _key_path(base, step)


def _key_path(base: str, key: object) -> str:
    """``base`` then an object's ``key``: ``.name`` for a plain name.

    Any other key is quoted as a JSON string, shortened (``$["a.b"]``), so a
    path never reads as a nested field and never holds a whole hostile key;
    a key no JSON document holds (an int) is named as a key, never an index.
    """
    if type(key) is str and _NAME.fullmatch(key) and len(key) <= PREVIEW_CHARS:
        return f"{base}.{key}"
    if type(key) is str:
        return f"{base}[{_json_string(key)}]"
    return f"{base}[<key {preview(key)}>]"


def _flatten(error: BaseException, path: str) -> list[tuple[str, str]]:
    """Turn a structuring failure into ``(path, message)`` pairs."""
    if isinstance(error, SerdeError):
        return [
            (path + sub.removeprefix("$"), message) for sub, message in error.errors
        ]
    if isinstance(error, IterableValidationError):
        # cattrs notes the index of each failing item.
        found: list[tuple[str, str]] = []
        for inner in error.exceptions:
            notes = getattr(inner, "__notes__", ())
            steps = [
                note.index for note in notes if isinstance(note, IterableValidationNote)
            ]
            found += _flatten(inner, _path(path, steps[-1]) if steps else path)
        return found
    if isinstance(error, RenewalRulesError):
        field = getattr(error, "field", None)
        message = getattr(error, "message", str(error))
        return [(_path(path, field) if field else path, message)]
    if isinstance(error, _InvalidValueError):
        return [(path, str(error))]
    # Anything else is the reader's own failure on a hostile value
    # (a RecursionError, an AttributeError): say where, not Python's words.
    return [(path, "could not be read")]


def _structure_params(
    value: Any, types: Mapping[str, Any]
) -> tuple[tuple[str, Any], ...]:
    # The JSON type of each param comes from the catalogue row of the
    # reason's code (or, for a timeline event, from its kind).
    if not isinstance(value, Mapping):
        raise _InvalidValueError(f"expected a JSON object, got {_shown(value)}")
    errors: list[tuple[str, str]] = []
    pairs = []
    for name, raw in value.items():
        kind = types.get(name)
        if kind is None:
            errors.append((_key_path("$", name), "unknown reason param"))
            continue
        try:
            pairs.append((name, _CONVERTER.structure(raw, kind)))
        except Exception as error:
            errors += _flatten(error, _key_path("$", name))
    if errors:
        raise SerdeError(errors)
    return tuple(sorted(pairs))


def _structure_object(cls: type[T], value: Any, _type: Any) -> T:
    """Build a ``cls`` from a JSON object, reporting every bad field."""
    fields = [field for field in attrs.fields(cast(Any, cls)) if field.init]
    names = {field.alias for field in fields}
    if not isinstance(value, Mapping):
        raise _InvalidValueError(f"expected a JSON object, got {_json_name(value)}")
    errors: list[tuple[str, str]] = [
        (_key_path("$", key), "unknown field") for key in value if key not in names
    ]
    kwargs: dict[str, Any] = {}
    for field in fields:
        path = _path("$", field.alias)
        if field.alias not in value:
            if field.default is attrs.NOTHING:
                errors.append((path, "is required"))
            continue
        raw = value[field.alias]
        try:
            if cls is decisions.Reason and field.name == "params":
                code = kwargs.get("code")
                row = ROWS.get(code) if isinstance(code, ReasonCode) else None
                structured = _structure_params(raw, dict(row.params) if row else {})
            elif cls is timeline.TimelineEvent and field.name == "params":
                kind = kwargs.get("kind")
                known = timeline.event_param_types(kind)
                structured = _structure_params(raw, known)
            else:
                structured = _structure_field(raw, field_types(cls)[field.name])
            if field.converter is not None:
                structured = field.converter(structured)
            # Every field has a validator; some read earlier fields (a
            # batch's key), hence the namespace of what is built so far.
            validator = cast("Callable[[Any, Any, Any], None]", field.validator)
            validator(SimpleNamespace(**kwargs), field, structured)
        except SerdeError as error:  # a nested object: paths below the field
            errors += _flatten(error, path)
            continue
        except RenewalRulesError as error:  # a validator: it names the field
            errors += _flatten(error, "$")
            continue
        except Exception as error:
            errors += _flatten(error, path)
            continue
        kwargs[field.alias] = structured
    if errors:
        raise SerdeError(errors)
    try:
        return cls(**kwargs)
    except RenewalRulesError as error:  # an invariant across fields
        raise SerdeError(_flatten(error, "$")) from None


def _unstructure_object(cls: type[Any], obj: Any) -> dict[str, Any]:
    """The JSON object of ``obj``: its init fields by name."""
    fields = [field for field in attrs.fields(cls) if field.init]
    result = {
        field.alias: _CONVERTER.unstructure(getattr(obj, field.name))
        for field in fields
    }
    if cls is decisions.Reason or cls is timeline.TimelineEvent:
        result["params"] = {name: _CONVERTER.unstructure(v) for name, v in obj.params}
    return result


_AMOUNT = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,6})?")


def _structure_decimal(value: Any, _type: Any) -> Decimal:
    # An amount is a JSON string of ASCII digits, exact ("25000.01"); a JSON
    # number with a fraction would go through a float.
    if type(value) is not str:
        raise _InvalidValueError(
            f"expected an amount as a decimal string, got {_shown(value)}"
        )
    if not _AMOUNT.fullmatch(value):
        raise _InvalidValueError(
            f"{_shown(value)} is not an amount (1 to 12 ASCII digits, then "
            "at most 6 decimal places)"
        )
    return Decimal(value)


def _structure_amount(value: Any, _type: Any) -> Decimal | int:
    if type(value) is int:  # a JSON integer (the bounds are the model's)
        return value
    if type(value) is not str:
        expected = "expected an amount (a JSON integer or a decimal string)"
        raise _InvalidValueError(f"{expected}, got {_shown(value)}")
    return _structure_decimal(value, Decimal)


def _structure_term_days(value: Any, _type: Any) -> policy.TermDays:
    if not isinstance(value, Mapping):
        raise _InvalidValueError(f"expected a JSON object, got {_json_name(value)}")
    errors: list[tuple[str, str]] = []
    days: dict[model.Term, Any] = {}
    for name, raw in value.items():
        try:
            days[model.Term(name)] = raw
        except ValueError:
            errors.append((_key_path("$", name), "is not a Term value"))
    if errors:
        raise SerdeError(errors)
    return policy.TermDays(days)


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(detailed_validation=True)
    converter.register_structure_hook(str, partial(_structure_strict, str, "string"))
    converter.register_structure_hook(int, partial(_structure_strict, int, "integer"))
    converter.register_structure_hook(bool, partial(_structure_strict, bool, "boolean"))
    converter.register_structure_hook(date, _structure_date)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook_func(
        lambda t: t == (Decimal | int), _structure_amount
    )
    converter.register_structure_hook(policy.TermDays, _structure_term_days)
    converter.register_unstructure_hook(
        policy.TermDays, lambda days: {term.value: n for term, n in days.items()}
    )
    for enum_type in _ENUMS:
        # Our enums are StrEnums: without these the str hooks would win.
        converter.register_structure_hook(enum_type, _structure_enum)
        converter.register_unstructure_hook(enum_type, lambda e: e.value)
    converter.register_unstructure_hook(
        frozenset, lambda s: sorted(converter.unstructure(item) for item in s)
    )
    for cls in SERIALIZABLE_TYPES:
        # By predicate: registering an attrs class by type makes cattrs
        # resolve (rewrite) its field types in place.
        converter.register_structure_hook_func(
            partial(_is, cls), partial(_structure_object, cls)
        )
        converter.register_unstructure_hook_func(
            partial(_is, cls), partial(_unstructure_object, cls)
        )
    return converter


_CONVERTER = _make_converter()


class _NotFastError(Exception):
    """The fast reader met something only the full reader reports."""


def _fast_leaf(kind: type[Any]) -> Callable[[Any], Any] | None:
    """A reader of one JSON value of ``kind`` that accepts what the full one does."""
    if kind in (str, int, bool):

        def exact(value: Any) -> Any:
            if type(value) is not kind:
                raise _NotFastError
            return value

        return exact
    if kind is date:

        def iso(value: Any) -> date:
            if type(value) is not str:
                raise _NotFastError
            parsed = iso_date(value)
            if parsed is None:
                raise _NotFastError
            return parsed

        return iso
    if isinstance(kind, type) and issubclass(kind, Enum) and kind in _ENUMS:
        members: dict[Any, Any] = {member.value: member for member in kind}

        def by_value(value: Any) -> Any:
            if type(value) is not str:
                raise _NotFastError
            return members[value]  # KeyError: the full reader says why

        return by_value
    if kind in _FAST_READERS:
        return _FAST_READERS[kind]
    return None


def _fast_reader(cls: type[T]) -> Callable[[Any], T] | None:
    """A reader for ``cls`` when every field is a scalar, an enum or a fast class.

    It only ever accepts what `_structure_object` accepts: it reads
    each field by its exact JSON type and lets the class's own validators
    judge the values; anything else (an unknown key, a wrong type, a refused
    value) sends the input to the full reader, which reports every error.
    """
    readers: list[tuple[str, Callable[[Any], Any], bool]] = []
    required: set[str] = set()
    types = field_types(cls)
    for field in attrs.fields(cast(Any, cls)):
        if not field.init or field.converter is not None:
            return None
        kind = types[field.name]
        members = get_args(kind) if isinstance(kind, UnionType) else ()
        nullable = type(None) in members
        kinds = [m for m in members if m is not type(None)] or [kind]
        reader = _fast_leaf(kinds[0]) if len(kinds) == 1 else None
        if reader is None:
            return None
        readers.append((field.alias, reader, nullable))
        if field.default is attrs.NOTHING:
            required.add(field.alias)
    names = frozenset(alias for alias, _reader, _nullable in readers)

    def read(value: Any) -> T:
        if type(value) is not dict or not value.keys() <= names:
            raise _NotFastError
        if not required <= value.keys():
            raise _NotFastError
        kwargs: dict[str, Any] = {}
        for alias, reader, nullable in readers:
            if alias in value:
                raw = value[alias]
                kwargs[alias] = None if raw is None and nullable else reader(raw)
        return cls(**kwargs)

    return read


_FAST_READERS: dict[type[Any], Callable[[Any], Any]] = {}
for _cls in (model.PaymentMethod, model.Subscription, model.Account):
    _found = _fast_reader(_cls)
    if _found is not None:  # pragma: no branch - each of these is flat
        _FAST_READERS[_cls] = _found


def to_dict(obj: Any) -> dict[str, Any]:
    """Return ``obj`` as a JSON-ready dict (shape version `SCHEMA_VERSION`)."""
    if type(obj) not in SERIALIZABLE_TYPES:
        raise InvalidTypeError(
            "obj", obj, "is not a renewal_rules model or result type"
        )
    result: dict[str, Any] = _CONVERTER.unstructure(obj, type(obj))
    return result


def from_dict(cls: type[T], data: Any) -> T:
    """Build a ``cls`` from the dict [`to_dict`][renewal_rules.serde.to_dict] gives.

    Raises:
        SerdeError: (an ``InvalidInputError``) listing every bad field with
            its path.
    """
    # By identity: ``in`` would compare with ==, which a caller's object
    # (a NumPy array) may answer with anything.
    if not any(cls is known for known in SERIALIZABLE_TYPES):
        raise InvalidTypeError(
            "cls", cls, "is not a renewal_rules model or result type"
        )
    fast = _FAST_READERS.get(cls)
    if fast is not None:
        # Most records are valid: read them directly; a record the fast
        # reader does not take goes through the full reader for its errors.
        try:
            return cast(T, fast(data))
        except Exception:  # the full reader reports why
            pass
    try:
        result: T = _CONVERTER.structure(data, cls)
    except SerdeError as error:
        raise SerdeError(_capped(error.errors)) from None
    except Exception as error:
        raise SerdeError(_capped(_flatten(error, "$"))) from None
    return result


MAX_ERRORS = 20
"""At most this many errors of one document are listed; then their count."""


def _capped(errors: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    if len(errors) <= MAX_ERRORS:
        return list(errors)
    rest = len(errors) - MAX_ERRORS
    return [*errors[:MAX_ERRORS], ("$", f"and {rest} more errors")]
