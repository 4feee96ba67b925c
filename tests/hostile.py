"""Hostile values, and a call with one of them: shared by the fuzz tests.

Each public callable is fed arbitrary values one argument at a time
(tests/unit/test_hostile_input.py, and each extra's own test file); only a
valid result or an ``InvalidInputError`` / ``InvalidTypeError`` with a short
message naming the argument may come out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from hypothesis import strategies as st

from renewal_rules import (
    InvalidInputError,
    InvalidTypeError,
    PurchaseMethod,
    Reason,
    ReasonCode,
    Role,
    RuleViolation,
    Term,
)
from tests.factories import AS_OF, make_quote, make_sub

SUB = make_sub()


QUOTE = make_quote()


REASON = Reason(code=ReasonCode.AUTO_RENEW_OFF, subject="S-1")


class BadRepr:
    """A value whose repr raises."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr")


class Shouty(str):
    """A str subclass that lies about being blank."""

    __slots__ = ()

    def strip(self, chars: str | None = None) -> str:
        return "x"


class Colour(StrEnum):
    RED = "S-1"


BIG = 10**5000


HUGE_TEXT = "x" * 1_000_000


class FailsOnIter:
    """An iterable whose ``iter()`` raises."""

    def __iter__(self) -> Any:
        raise RuntimeError("no iterator")

    def __repr__(self) -> str:
        return "FailsOnIter()"


hostile = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.just(BIG),
    st.floats(allow_nan=True),
    st.sampled_from(
        [Decimal("NaN"), Decimal("-1"), Decimal("Infinity"), Decimal("1e999999")]
    ),
    st.text(max_size=8),
    st.sampled_from(["", " ", "\u200b", "\x00", "FR", "EUR", "51", "S-1", HUGE_TEXT]),
    st.builds(Shouty, st.text(max_size=3)),
    st.sampled_from([date.min, date.max, date(1899, 12, 31), date(9900, 1, 1), AS_OF]),
    st.datetimes(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.sets(st.integers(), max_size=2),
    st.just([[1]]),
    st.just(BadRepr()),
    st.sampled_from([*Term, *Role, *PurchaseMethod, *ReasonCode, Colour.RED]),
    st.just(SUB),
    st.just(QUOTE),
    st.just(REASON),
    st.just(object()),
    # Amounts and ints near and past the bounds.
    st.sampled_from([10**12 - 1, 10**12, 2**63 - 1, 2**63, -(2**63) - 1, 10**5000]),
    st.sampled_from(
        [
            Decimal("999999999999.999999"),
            Decimal("1000000000000"),
            Decimal("1.0000001"),
            Decimal("1.5000000"),
            Decimal("1E+100000000"),
            Decimal("1E-100000000"),
            Decimal("-0"),
        ]
    ),
    # An identifier of each refused category (Cs, Cc, Zl, Zp) and too long.
    st.sampled_from(["S-\ud800", "S-\x07", "S-\u2028", "S-\u2029", "S" * 257]),
    st.just(FailsOnIter()),
)


# Where the name in an error is not the fuzzed argument's own: the lambda's
# parameter and the function's argument differ, or the error is a path.
ALSO_NAMED = {"plan": ("plans",), "term": ("new_term",), "data": ("$",)}


def call_with_one_hostile_argument(
    call: Callable[..., object], valid: dict[str, Any], data: st.DataObject
) -> None:
    """Call with valid arguments but one hostile value: an answer or a named error."""
    argument = data.draw(st.sampled_from(sorted(valid)), label="argument")
    arguments = {**valid, argument: data.draw(hostile, label="value")}
    error: InvalidInputError | None = None
    try:
        call(**arguments)
    except InvalidInputError as caught:  # InvalidTypeError is one too
        error = caught
    except RuleViolation:  # a transition's business "no", a valid answer
        pass
    if error is not None:
        assert isinstance(error.field, str)
        assert len(str(error)) < 400
        # The refusal names the argument given the hostile value (or a part
        # of it: ``subs[0]``, ``params.size``), or a field of the object
        # being built when the argument is a constructor's field.
        root = re.split(r"[\[.]", error.field, maxsplit=1)[0]
        if root not in {argument, *ALSO_NAMED.get(argument, ())}:
            # A well-typed value at odds with another argument (a window
            # that closes before it opens): that other one may be named.
            assert root in valid, (argument, error.field)
            assert not isinstance(error, InvalidTypeError), (argument, error.field)
