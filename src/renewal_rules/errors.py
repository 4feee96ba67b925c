"""The exception hierarchy of [`renewal_rules`][renewal_rules].

Exceptions are for programming errors and invalid input. A business "no" is
never an exception: rules return a [`Decision`][renewal_rules.Decision]. The one
exception tied to a business rule, [`RuleViolation`][renewal_rules.RuleViolation], is
raised only by transitions (``renew``, ``change_term``...) whose check failed,
and it carries that decision; it lives in `renewal_rules.decisions`.

Every leaf also subclasses the builtin it resembles, so callers that already
catch ``ValueError`` or ``TypeError`` keep working, and every exception pickles
with its structured attributes (``field``, ``value``).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "InvalidInputError",
    "InvalidTypeError",
    "RenewalRulesError",
    "UnknownMarketError",
]


class RenewalRulesError(Exception):
    """Root of every exception raised by [`renewal_rules`][renewal_rules]."""


PREVIEW_CHARS = 80
"""At most this many characters of a bad value are quoted in a message."""

_BIG_INT_BITS = 256


def preview(value: object) -> str:  # noqa: PLR0911 - one return per kind of value
    """A short, safe description of ``value`` for an error message.

    Never longer than about `PREVIEW_CHARS` characters plus its type
    and length, and never raising: a 5,000-digit int, a 1 MB string or an
    object whose ``repr`` raises are all described, not shown whole.

    >>> preview("x" * 10**6)[:30]
    "str of length 1000000: 'xxxxxx"
    >>> preview(10**5000)
    'int of 16610 bits'
    """
    kind = type(value).__name__[:PREVIEW_CHARS]
    if isinstance(value, int) and value.bit_length() > _BIG_INT_BITS:
        return f"{kind} of {value.bit_length()} bits"
    if isinstance(value, str | bytes) and len(value) > PREVIEW_CHARS:
        return f"{kind} of length {len(value)}: {value[:PREVIEW_CHARS]!r}..."
    if isinstance(value, list | tuple | set | frozenset | dict) and len(value) > 8:
        return f"{kind} of length {len(value)}"
    try:
        shown = repr(value)
    except Exception:
        return f"{kind} object (repr failed)"
    if type(shown) is not str:  # pragma: no cover - repr() always returns a str
        return f"{kind} object"
    if len(shown) > PREVIEW_CHARS:
        return f"{kind}: {shown[:PREVIEW_CHARS]}..."
    return shown


class _FieldError(RenewalRulesError):
    """An error about one named field, carrying the field and the bad value."""

    def __init__(self, field: str, value: object, message: str) -> None:
        super().__init__(f"{field}: {message} (got {preview(value)})")
        self.field = field
        self.value = value
        self.message = message

    def __reduce__(self) -> tuple[Any, ...]:
        # Exceptions pickle through ``args``; ours are built from three
        # keyword-like parts, so rebuild them from those instead.
        return (type(self), (self.field, self.value, self.message))


class InvalidInputError(_FieldError, ValueError):
    """A value has the right type but is not acceptable.

    Attributes:
        field: the name of the offending field or argument (``"term_end"``,
            ``"lines[2].quantity"``).
        value: the value that was refused.
        message: what is wrong, in English, without the field name.

    >>> from datetime import date
    >>> from renewal_rules import PaymentKind, PaymentMethod
    >>> try:
    ...     PaymentMethod(kind=PaymentKind.CARD, expires_on="2027-01-01")
    ... except InvalidTypeError as error:
    ...     print(error.field)
    expires_on
    """


class InvalidTypeError(InvalidInputError, TypeError):
    """A value has the wrong type.

    It is an [`InvalidInputError`][renewal_rules.InvalidInputError] too (so a
    ``ValueError``), since API.md says bad input raises an ``InvalidInputError``
    subclass, and a ``TypeError``, as wrong types should be: either ``except`` catches
    it.

    For example a ``str`` where an enum is due, a ``bool`` where an ``int`` is
    due, or a ``datetime`` where a ``date`` is due.

    Attributes are those of [`InvalidInputError`][renewal_rules.InvalidInputError].
    """


class UnknownMarketError(InvalidInputError, LookupError):
    """A market code is not listed in a policy that has no default market."""
