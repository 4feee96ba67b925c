"""The exception hierarchy of :mod:`renewal_rules`.

Exceptions are for programming errors and invalid input. A business "no" is
never an exception: rules return a :class:`~renewal_rules.Decision`. The one
exception tied to a business rule, :class:`~renewal_rules.RuleViolation`, is
raised only by transitions (``renew``, ``change_term``...) whose check failed,
and it carries that decision; it lives in :mod:`renewal_rules.decisions`.

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
    """Root of every exception raised by :mod:`renewal_rules`."""


class _FieldError(RenewalRulesError):
    """An error about one named field, carrying the field and the bad value."""

    def __init__(self, field: str, value: object, message: str) -> None:
        super().__init__(f"{field}: {message} (got {value!r})")
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

    It is an :class:`InvalidInputError` too (so a ``ValueError``), since
    API.md says bad input raises an ``InvalidInputError`` subclass, and a
    ``TypeError``, as wrong types should be: either ``except`` catches it.

    For example a ``str`` where an enum is due, a ``bool`` where an ``int`` is
    due, or a ``datetime`` where a ``date`` is due.

    Attributes are those of :class:`InvalidInputError`.
    """


class UnknownMarketError(InvalidInputError, LookupError):
    """A market code is not listed in a policy that has no default market."""
