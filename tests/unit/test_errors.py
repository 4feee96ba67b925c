# mypy: disable-error-code="arg-type, operator, list-item, dict-item"
"""The error contract: every refused argument names its field and keeps its value.

Errors are part of the public surface (services log them, users read them),
so their field, value and message are pinned here like the reason codes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from renewal_rules import (
    Account,
    Actor,
    Batch,
    BatchAction,
    BatchPlan,
    DateWindow,
    Decision,
    GroupKey,
    InvalidInputError,
    InvalidTypeError,
    Promotion,
    PurchaseMethod,
    QuoteChange,
    Reason,
    ReasonCode,
    Recipient,
    Rejection,
    RenewalMode,
    RenewalPolicy,
    RenewalRequirement,
    RenewalRulesError,
    Role,
    Term,
    applicable_promotions,
    change_term,
    check_authority,
    check_batch,
    check_enable_auto_renew,
    check_manual_renewal,
    check_quote,
    check_quote_change,
    check_renewal,
    check_term_change,
    enable_auto_renew,
    group_key,
    next_term_end,
    plan_batches,
    renew,
    renewal_requirement,
    renewal_window,
    to_records,
)
from renewal_rules.errors import PREVIEW_CHARS, preview
from renewal_rules.serde import from_dict, to_dict
from tests.factories import AS_OF, make_quote, make_sub

BAD = object()  # a value no rule accepts, identified by its identity
SUB = make_sub()
QUOTE = make_quote()
ACCOUNT = Account(csn="51")
ACTOR = Actor(csn="51", roles={Role.BUYER})
A = BatchAction.RENEW

Call = Callable[[], object]
ARGUMENT_ERRORS: list[tuple[str, Call, str, str]] = [
    # (id, call, field, message)
    ("check_renewal-sub", lambda: check_renewal(BAD, as_of=AS_OF), "sub", "expected a Subscription"),
    ("check_renewal-as_of", lambda: check_renewal(SUB, as_of=BAD), "as_of", "expected a datetime.date (not a datetime)"),
    ("check_renewal-policy", lambda: check_renewal(SUB, as_of=AS_OF, policy=BAD), "policy", "expected a RenewalPolicy"),
    ("requirement-sub", lambda: renewal_requirement(BAD, as_of=AS_OF), "sub", "expected a Subscription"),
    ("requirement-as_of", lambda: renewal_requirement(SUB, as_of=BAD), "as_of", "expected a datetime.date (not a datetime)"),
    ("requirement-policy", lambda: renewal_requirement(SUB, as_of=AS_OF, policy=BAD), "policy", "expected a RenewalPolicy"),
    ("manual-sub", lambda: check_manual_renewal(BAD, as_of=AS_OF), "sub", "expected a Subscription"),
    ("enable-check-sub", lambda: check_enable_auto_renew(BAD, as_of=AS_OF), "sub", "expected a Subscription"),
    ("enable-sub", lambda: enable_auto_renew(BAD, as_of=AS_OF), "sub", "expected a Subscription"),
    ("renew-sub", lambda: renew(BAD, as_of=AS_OF), "sub", "expected a Subscription"),
    ("renew-as_of", lambda: renew(SUB, as_of=BAD), "as_of", "expected a datetime.date (not a datetime)"),
    ("window-sub", lambda: renewal_window(BAD), "sub", "expected a Subscription"),
    ("window-policy", lambda: renewal_window(SUB, policy=BAD), "policy", "expected a RenewalPolicy"),
    ("next-sub", lambda: next_term_end(BAD), "sub", "expected a Subscription"),
    ("term-change-term", lambda: check_term_change(SUB, BAD, as_of=AS_OF), "new_term", "expected a Term"),
    ("change-term-term", lambda: change_term(SUB, BAD, as_of=AS_OF), "new_term", "expected a Term"),
    ("term-change-sub", lambda: check_term_change(BAD, Term.MONTHLY, as_of=AS_OF), "sub", "expected a Subscription"),
    ("authority-actor", lambda: check_authority(BAD, ACCOUNT), "actor", "expected an Actor"),
    ("authority-account", lambda: check_authority(ACTOR, BAD), "account", "expected an Account"),
    ("group-key-sub", lambda: group_key(BAD), "sub", "expected a Subscription"),
    ("batch-action", lambda: check_batch([SUB], action=BAD, as_of=AS_OF), "action", "expected a BatchAction"),
    ("batch-member", lambda: check_batch([SUB, BAD], action=A, as_of=AS_OF), "subs[1]", "expected a Subscription"),
    ("batch-as_of", lambda: check_batch([SUB], action=A, as_of=BAD), "as_of", "expected a datetime.date (not a datetime)"),
    ("plan-member", lambda: plan_batches([SUB, SUB, BAD], action=A, as_of=AS_OF), "subs[2]", "expected a Subscription"),
    ("plan-policy", lambda: plan_batches([SUB], action=A, as_of=AS_OF, policy=BAD), "policy", "expected a RenewalPolicy"),
    ("quote-quote", lambda: check_quote(BAD, as_of=AS_OF), "quote", "expected a Quote"),
    ("quote-as_of", lambda: check_quote(QUOTE, as_of=BAD), "as_of", "expected a datetime.date (not a datetime)"),
    ("change-quote", lambda: check_quote_change(BAD, QuoteChange.CANCEL, as_of=AS_OF), "quote", "expected a Quote"),
    ("change-change", lambda: check_quote_change(QUOTE, BAD, as_of=AS_OF), "change", "expected a QuoteChange"),
    ("promotions-quote", lambda: applicable_promotions(BAD, [], as_of=AS_OF), "quote", "expected a Quote"),
    ("promotions-item", lambda: applicable_promotions(QUOTE, [BAD], as_of=AS_OF), "promotions[0]", "expected a Promotion"),
    ("promotions-as_of", lambda: applicable_promotions(QUOTE, [], as_of=BAD), "as_of", "expected a datetime.date (not a datetime)"),
    ("window-contains", lambda: BAD in DateWindow(opens_on=AS_OF, closes_on=AS_OF), "day", "expected a datetime.date"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "field", "message"),
    [
        pytest.param(call, field, message, id=name)
        for name, call, field, message in ARGUMENT_ERRORS
    ],
)
def test_argument_errors(call: Call, field: str, message: str) -> None:
    with pytest.raises(InvalidTypeError) as caught:
        call()
    error = caught.value
    assert (error.field, error.value, error.message) == (field, BAD, message)
    assert str(error) == f"{field}: {message} (got {BAD!r})"


def test_a_datetime_as_of_is_refused_with_its_value() -> None:
    moment = datetime(2027, 3, 1, 12)
    with pytest.raises(InvalidTypeError) as caught:
        check_renewal(SUB, as_of=moment)
    assert caught.value.value is moment


KEY = GroupKey(csn="5100001", currency="EUR", purchase_method=PurchaseMethod.ONLINE)
R = Reason(code=ReasonCode.BATCH_EMPTY)
W = DateWindow(opens_on=AS_OF, closes_on=AS_OF)
CONSTRUCTION_ERRORS: list[tuple[str, Call, str, object, str]] = [
    # (id, call, field, value, message)
    ("reason-code", lambda: Reason(code="batch_empty"), "code", "batch_empty", "expected a ReasonCode member"),
    ("reason-subject", lambda: Reason(code=ReasonCode.BATCH_EMPTY, subject=3), "subject", 3, "expected a str (not a subclass)"),
    ("reason-params-type", lambda: Reason(code=ReasonCode.BATCH_EMPTY, params="x"), "params", "x", "expected a mapping or (name, value) pairs"),
    ("reason-params-pair", lambda: Reason(code=ReasonCode.BATCH_EMPTY, params=(("a", 1, 2),)), "params", (("a", 1, 2),), "expected (name, value) pairs"),
    ("reason-params-name", lambda: Reason(code=ReasonCode.BATCH_EMPTY, params=((1, 2),)), "params", ((1, 2),), "expected (name, value) pairs"),
    ("reason-params-twice", lambda: Reason(code=ReasonCode.BATCH_EMPTY, params=(("a", 1), ("a", 2))), "params", (("a", 1), ("a", 2)), "names 'a' twice"),
    ("reason-params-wrong-type", lambda: Reason(code=ReasonCode.BATCH_TOO_LARGE, params={"size": [], "limit": 1}), "params.size", [], "expected an int"),
    ("reason-params-unknown", lambda: Reason(code=ReasonCode.BATCH_EMPTY, params={"colour": 1}), "params", ("colour",), "must be exactly: none (for batch_empty)"),
    ("reason-params-missing", lambda: Reason(code=ReasonCode.BATCH_TOO_LARGE), "params", (), "must be exactly: limit, size (for batch_too_large)"),
    ("decision-allowed-with-reasons", lambda: Decision(allowed=True, reasons=[R]), "allowed", True, "must be True exactly when there are no reasons"),
    ("decision-refused-without", lambda: Decision(allowed=False), "allowed", False, "must be True exactly when there are no reasons"),
    ("decision-reason-type", lambda: Decision(allowed=False, reasons=["x"]), "reasons", "x", "expected a Reason"),
    ("decision-reasons-str", lambda: Decision(allowed=False, reasons="x"), "reasons", "x", "expected a list or tuple"),
    ("window-order", lambda: DateWindow(opens_on=AS_OF, closes_on=date(2027, 2, 1)), "closes_on", date(2027, 2, 1), "must not be before opens_on"),
    ("requirement-mode", lambda: RenewalRequirement(mode=RenewalMode.MANUAL, reasons=(), window=W), "mode", RenewalMode.MANUAL, "must be AUTOMATIC exactly when there are no reasons"),
    ("locale", lambda: R.message("de"), "locale", "de", "must be one of en, fr"),
    ("batch-empty", lambda: Batch(key=KEY, subscriptions=()), "subscriptions", (), "must not be empty"),
    ("batch-foreign", lambda: Batch(key=KEY, subscriptions=[make_sub(id="S-9", currency="USD")]), "subscriptions[0]", "S-9", "does not have the batch's key"),
    ("batch-member-type", lambda: Batch(key=KEY, subscriptions=["S-1"]), "subscriptions", "S-1", "expected a Subscription"),
    ("rejection-empty", lambda: Rejection(subscription=SUB, reasons=()), "reasons", (), "must not be empty"),
    ("rejection-type", lambda: Rejection(subscription=SUB, reasons=["x"]), "reasons", "x", "expected a Reason"),
    ("plan-batches", lambda: BatchPlan(batches=[R], rejected=()), "batches", R, "expected a Batch"),
    ("quote-expiry", lambda: make_quote(expires_on=date(2027, 2, 1)), "expires_on", date(2027, 2, 1), "must not be before created_on"),
    ("promotion-order", lambda: Promotion(code="P", starts_on=AS_OF, ends_on=date(2027, 2, 1)), "ends_on", date(2027, 2, 1), "must not be before starts_on"),
    ("promotion-market", lambda: Promotion(code="P", starts_on=AS_OF, ends_on=AS_OF, markets={"fr"}), "markets", "fr", "must be two uppercase ASCII letters such as 'FR'"),
    ("recipient-email", lambda: Recipient(email=3), "email", 3, "expected a str"),
    ("market-lookup", lambda: RenewalPolicy().market("fr"), "code", "fr", "must be two uppercase ASCII letters such as 'FR'"),
    ("unknown-market", lambda: RenewalPolicy(default_market=None).market("FR"), "market", "FR", "is not listed in the policy and there is no default"),
    ("default-market", lambda: RenewalPolicy(default_market="FR"), "default_market", "FR", "expected a Market"),
    ("quote-lines-set", lambda: make_quote(lines={"x"}), "lines", {"x"}, "expected a list or tuple"),
    ("to-dict-type", lambda: to_dict(BAD), "obj", BAD, "is not a renewal_rules model or result type"),
    ("from-dict-type", lambda: from_dict(dict, {}), "cls", dict, "is not a renewal_rules model or result type"),
    ("records-item", lambda: to_records([BAD]), "results", BAD, "expected a renewal_rules result"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "field", "value", "message"),
    [pytest.param(*row[1:], id=row[0]) for row in CONSTRUCTION_ERRORS],
)
def test_construction_errors(
    call: Call, field: str, value: object, message: str
) -> None:
    with pytest.raises(RenewalRulesError) as caught:
        call()
    error = caught.value
    assert isinstance(error, InvalidInputError | InvalidTypeError)
    assert (error.field, error.value, error.message) == (field, value, message)


class TestPreview:
    """Messages quote at most PREVIEW_CHARS of a value: the exact edges."""

    def test_ints_strings_collections_and_reprs_at_their_edges(self) -> None:
        assert preview(2**256 - 1) == str(2**256 - 1)  # 256 bits: shown
        assert preview(2**256) == "int of 257 bits"
        edge = "x" * (PREVIEW_CHARS - 2)  # its repr has the two quotes
        assert preview(edge) == repr(edge)
        longer = "x" * (PREVIEW_CHARS - 1)  # its repr is one too long: cut
        assert preview(longer) == f"str: {repr(longer)[:PREVIEW_CHARS]}..."
        assert preview("x" * PREVIEW_CHARS).startswith("str: 'x")
        assert preview("x" * (PREVIEW_CHARS + 1)).startswith("str of length 81: ")
        assert preview(list(range(8))) == repr(list(range(8)))
        assert preview(list(range(9))) == "list of length 9"

        class Shown:
            def __init__(self, size: int) -> None:
                self.size = size

            def __repr__(self) -> str:
                return "r" * self.size

        assert preview(Shown(PREVIEW_CHARS)) == "r" * PREVIEW_CHARS
        assert preview(Shown(PREVIEW_CHARS + 1)) == f"Shown: {'r' * 80}..."
