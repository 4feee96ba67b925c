"""Decisions, reasons, remedies and their messages."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest

from renewal_rules import (
    Capability,
    DateWindow,
    Decision,
    InvalidInputError,
    InvalidTypeError,
    PurchaseMethod,
    Reason,
    ReasonCode,
    Remedy,
    RenewalMode,
    RenewalRequirement,
    RuleViolation,
    StageDates,
)
from renewal_rules.catalog import CAPABILITY_WORDS, LOCALES
from tests.factories import make_sub

# Golden list: a renamed or removed code fails here. Add codes only with a
# CHANGELOG entry.
GOLDEN_CODES = [
    "trial_not_renewable",
    "subscription_expired",
    "auto_renew_off",
    "no_payment_method",
    "payment_method_not_recurring",
    "payment_method_invalid",
    "payment_method_expires_before_renewal",
    "capability_unavailable",
    "outside_renewal_window",
    "term_unchanged",
    "actor_not_in_account",
    "role_not_permitted",
    "batch_empty",
    "batch_too_large",
    "batch_mixed_groups",
    "duplicate_subscription",
    "quote_empty",
    "quote_mixes_renewal_with_new",
    "quote_mixed_customers",
    "quote_mixed_currencies",
    "quote_mixed_partners",
    "quote_mixed_purchase_methods",
    "line_subscription_missing",
    "currency_change_not_supported",
    "adding_seats_not_supported",
    "offering_not_supported",
    "credit_line_not_supported",
    "future_start_date_not_supported",
    "too_many_recipients",
    "invalid_recipient",
    "duplicate_recipient",
    "quote_expired",
    "address_locked_after_sending",
    "cancellation_not_self_service",
    "subscription_canceled",
    "renewal_date_passed",
    "late_renewal_term_elapsed",
    "quote_window_closed",
    "auto_renew_conflicts_with_quote",
    "amount_exceeds_card_limit",
    "pay_by_invoice_not_established",
    "alignment_not_online",
    "alignment_mixed_customers",
    "alignment_term_mismatch",
    "alignment_payment_mismatch",
    "alignment_paypal",
    "alignment_term_pending",
    "alignment_target_not_later",
    "seat_change_not_online",
    "seat_add_requires_auto_renew",
]

GOLDEN_REMEDIES = [
    "convert_trial",
    "purchase_new",
    "enable_auto_renew",
    "add_payment_method",
    "update_payment_method",
    "renew_manually",
    "wait_for_window",
    "split_batch",
    "create_new_quote",
    "contact_partner",
    "contact_admin",
    "disable_auto_renew",
    "use_another_payment_method",
]

# The mapping of API.md; every other code has no remedy.
EXPECTED_REMEDY = {
    "trial_not_renewable": "convert_trial",
    "subscription_expired": "purchase_new",
    "auto_renew_off": "enable_auto_renew",
    "no_payment_method": "add_payment_method",
    "payment_method_not_recurring": "renew_manually",
    "payment_method_invalid": "update_payment_method",
    "payment_method_expires_before_renewal": "update_payment_method",
    "outside_renewal_window": "wait_for_window",
    "actor_not_in_account": "contact_admin",
    "role_not_permitted": "contact_admin",
    "batch_too_large": "split_batch",
    "batch_mixed_groups": "split_batch",
    "quote_expired": "create_new_quote",
    "address_locked_after_sending": "create_new_quote",
    "cancellation_not_self_service": "contact_partner",
    "currency_change_not_supported": "contact_partner",
    "adding_seats_not_supported": "contact_partner",
    "offering_not_supported": "contact_partner",
    "credit_line_not_supported": "contact_partner",
    "future_start_date_not_supported": "contact_partner",
    # Part 2 (API.md): codes without an arrow have no remedy.
    "subscription_canceled": "purchase_new",
    "renewal_date_passed": "renew_manually",
    "late_renewal_term_elapsed": "purchase_new",
    "quote_window_closed": "purchase_new",
    "auto_renew_conflicts_with_quote": "disable_auto_renew",
    "amount_exceeds_card_limit": "use_another_payment_method",
    "pay_by_invoice_not_established": "contact_partner",
    "alignment_not_online": "contact_partner",
    "alignment_term_mismatch": "contact_partner",
    "alignment_payment_mismatch": "contact_partner",
    "alignment_paypal": "update_payment_method",
    "seat_change_not_online": "contact_partner",
    "seat_add_requires_auto_renew": "enable_auto_renew",
}

# The params each code's message needs.
PARAMS: dict[str, dict[str, object]] = {
    "capability_unavailable": {"capability": Capability.AUTO_RENEWAL},
    "outside_renewal_window": {"opens_on": date(2027, 2, 1)},
    "batch_too_large": {"size": 101, "limit": 100},
    "too_many_recipients": {"count": 5, "limit": 4},
    "invalid_recipient": {"email": "not-an-address"},
    "duplicate_recipient": {"email": "a@example.com"},
    "renewal_date_passed": {"canceled_on": date(2027, 6, 15)},
    "quote_window_closed": {"closes_on": date(2027, 6, 15)},
    "amount_exceeds_card_limit": {
        "amount": Decimal("25000.01"),
        "limit": Decimal(25000),
    },
}


def test_reason_codes_are_the_golden_list() -> None:
    assert [code.value for code in ReasonCode] == GOLDEN_CODES


def test_remedies_are_the_golden_list() -> None:
    assert [remedy.value for remedy in Remedy] == GOLDEN_REMEDIES


@pytest.mark.parametrize("code", list(ReasonCode), ids=str)
def test_each_code_maps_to_its_remedy(code: ReasonCode) -> None:
    expected = EXPECTED_REMEDY.get(code.value)
    reason = Reason(code=code, params=PARAMS.get(code.value, {}))
    assert reason.remedy == (None if expected is None else Remedy(expected))
    assert code.remedy == reason.remedy


@pytest.mark.parametrize("locale", ["en", "fr"])
@pytest.mark.parametrize("code", list(ReasonCode), ids=str)
def test_every_code_has_a_message_that_renders_its_params(
    code: ReasonCode, locale: str
) -> None:
    params = PARAMS.get(code.value, {})
    message = Reason(code=code, params=params).message(locale)
    assert message.strip()
    assert "{" not in message
    for value in params.values():
        if isinstance(value, Capability):  # named in words, not by its value
            shown = CAPABILITY_WORDS[value][LOCALES.index(locale)]
        else:
            shown = value.isoformat() if isinstance(value, date) else str(value)
        assert shown in message


@pytest.mark.parametrize("locale", ["en", "fr"])
@pytest.mark.parametrize("capability", list(Capability), ids=str)
def test_a_capability_is_named_in_words(capability: Capability, locale: str) -> None:
    # A4: a market without the path says which path, as a reader says it.
    reason = Reason(
        code=ReasonCode.CAPABILITY_UNAVAILABLE, params={"capability": capability}
    )
    words = CAPABILITY_WORDS[capability][LOCALES.index(locale)]
    assert reason.message(locale).endswith(f" {words}.")
    assert capability.value not in reason.message(locale)
    assert reason.remedy is None  # the catalogue gives the code no remedy


def test_a_window_says_its_last_day() -> None:  # M1
    window = DateWindow(opens_on=date(2027, 1, 31), closes_on=date(2027, 5, 1))
    assert window.last_day == date(2027, 4, 30)
    assert window.describe() == "2027-01-31 to 2027-04-30"
    assert window.describe("fr") == "du 2027-01-31 au 2027-04-30"
    empty = DateWindow(opens_on=date(2027, 1, 31), closes_on=date(2027, 1, 31))
    assert empty.last_day is None
    assert (empty.describe(), empty.describe("fr")) == ("no day", "aucun jour")
    with pytest.raises(InvalidInputError):
        window.describe("de")


def test_english_and_french_messages_differ() -> None:
    for code in ReasonCode:
        reason = Reason(code=code, params=PARAMS.get(code.value, {}))
        assert reason.message("en") != reason.message("fr"), code


@pytest.mark.parametrize("locale", ["en", "fr"])
@pytest.mark.parametrize("remedy", list(Remedy), ids=str)
def test_every_remedy_has_a_message(remedy: Remedy, locale: str) -> None:
    assert remedy.message(locale).strip()


@pytest.mark.parametrize("locale", ["de", "EN", "", "en_US"])
def test_unknown_locale_is_a_value_error(locale: str) -> None:
    with pytest.raises(ValueError, match="locale"):
        Reason(code=ReasonCode.AUTO_RENEW_OFF).message(locale)
    with pytest.raises(ValueError, match="locale"):
        Decision.from_reasons([]).explain(locale)
    with pytest.raises(ValueError, match="locale"):
        Remedy.SPLIT_BATCH.message(locale)


class TestReason:
    def test_params_are_sorted_pairs(self) -> None:
        reason = Reason(
            code=ReasonCode.BATCH_TOO_LARGE, params=[("size", 3), ("limit", 2)]
        )
        assert reason.params == (("limit", 2), ("size", 3))
        assert reason == Reason(
            code=ReasonCode.BATCH_TOO_LARGE, params={"limit": 2, "size": 3}
        )

    def test_code_must_be_a_member(self) -> None:
        with pytest.raises(InvalidTypeError, match="code"):
            Reason(code="auto_renew_off")  # type: ignore[arg-type]

    def test_duplicate_param_names_are_refused(self) -> None:
        with pytest.raises(InvalidInputError, match="params"):
            Reason(code=ReasonCode.BATCH_TOO_LARGE, params=(("size", 1), ("size", 2)))

    def test_unhashable_param_is_refused(self) -> None:
        with pytest.raises(InvalidTypeError, match="params"):
            Reason(code=ReasonCode.BATCH_TOO_LARGE, params={"size": [1], "limit": 1})

    def test_malformed_params_are_refused(self) -> None:
        with pytest.raises(InvalidTypeError, match="params"):
            Reason(code=ReasonCode.BATCH_TOO_LARGE, params="size")
        with pytest.raises(InvalidTypeError, match="params"):
            Reason(code=ReasonCode.BATCH_TOO_LARGE, params=((1, 2),))

    def test_subject_must_be_a_string(self) -> None:
        with pytest.raises(InvalidTypeError, match="subject"):
            Reason(code=ReasonCode.AUTO_RENEW_OFF, subject=7)  # type: ignore[arg-type]

    def test_explain_shows_subject_message_and_remedy(self) -> None:
        reason = Reason(code=ReasonCode.AUTO_RENEW_OFF, subject="S-1")
        assert reason.explain() == (
            "[S-1] Automatic renewal is turned off. Remedy: Turn on automatic renewal."
        )
        assert reason.explain("fr").startswith("[S-1] Le renouvellement automatique")


class TestDecision:
    """The invariant: allowed exactly when there are no reasons."""

    def test_allowed_with_reasons_is_refused(self) -> None:
        with pytest.raises(InvalidInputError, match="allowed"):
            Decision(allowed=True, reasons=(Reason(code=ReasonCode.BATCH_EMPTY),))

    def test_refused_without_reasons_is_refused(self) -> None:
        with pytest.raises(InvalidInputError, match="allowed"):
            Decision(allowed=False)

    def test_reasons_must_be_reasons(self) -> None:
        with pytest.raises(InvalidTypeError, match=r"reasons: expected a Reason"):
            Decision(allowed=False, reasons=("batch_empty",))

    def test_bool_and_codes(self) -> None:
        refused = Decision.from_reasons([Reason(code=ReasonCode.BATCH_EMPTY)])
        assert not refused
        assert refused.codes == (ReasonCode.BATCH_EMPTY,)
        assert Decision.from_reasons(()) == Decision(allowed=True)
        assert Decision.from_reasons(())

    def test_explain(self) -> None:
        refused = Decision.from_reasons(
            [
                Reason(
                    code=ReasonCode.BATCH_TOO_LARGE, params={"size": 101, "limit": 100}
                )
            ]
        )
        assert refused.explain() == (
            "Refused:\n- The batch holds 101 subscriptions; at most 100 are allowed."
            " Remedy: Split the batch into smaller batches of one group each."
        )
        assert Decision.from_reasons([]).explain("fr") == "Autorisé."

    def test_pickles(self) -> None:
        decision = Decision.from_reasons(
            [
                Reason(
                    code=ReasonCode.OUTSIDE_RENEWAL_WINDOW,
                    subject="S",
                    params={"opens_on": date(2027, 1, 1)},
                )
            ]
        )
        assert pickle.loads(pickle.dumps(decision)) == decision


class TestDateWindow:
    def test_half_open(self) -> None:
        window = DateWindow(opens_on=date(2027, 1, 1), closes_on=date(2027, 1, 3))
        assert date(2026, 12, 31) not in window
        assert date(2027, 1, 1) in window
        assert date(2027, 1, 2) in window
        assert date(2027, 1, 3) not in window

    def test_closing_before_opening_is_refused(self) -> None:
        with pytest.raises(InvalidInputError, match="closes_on"):
            DateWindow(opens_on=date(2027, 1, 2), closes_on=date(2027, 1, 1))

    def test_membership_refuses_datetimes(self) -> None:
        from datetime import datetime

        window = DateWindow(opens_on=date(2027, 1, 1), closes_on=date(2027, 1, 3))
        with pytest.raises(InvalidTypeError):
            _ = datetime(2027, 1, 2) in window


class TestRenewalRequirement:
    WINDOW = DateWindow(opens_on=date(2027, 1, 1), closes_on=date(2027, 4, 1))

    def test_automatic_with_reasons_is_refused(self) -> None:
        with pytest.raises(InvalidInputError, match="mode"):
            RenewalRequirement(
                mode=RenewalMode.AUTOMATIC,
                reasons=(Reason(code=ReasonCode.AUTO_RENEW_OFF),),
                window=self.WINDOW,
            )

    @pytest.mark.parametrize("mode", [RenewalMode.MANUAL, RenewalMode.NONE])
    def test_other_modes_need_reasons(self, mode: RenewalMode) -> None:
        with pytest.raises(InvalidInputError, match="mode"):
            RenewalRequirement(mode=mode, reasons=(), window=self.WINDOW)

    def test_explain_names_the_mode(self) -> None:
        manual = RenewalRequirement(
            mode=RenewalMode.MANUAL,
            reasons=(Reason(code=ReasonCode.AUTO_RENEW_OFF),),
            window=self.WINDOW,
        )
        assert manual.explain().startswith("Needs a manual renewal:\n- ")
        automatic = RenewalRequirement(
            mode=RenewalMode.AUTOMATIC, reasons=(), window=self.WINDOW
        )
        assert automatic.explain("fr") == "Renouvellement automatique."

    def test_codes_follow_the_reasons(self) -> None:
        reasons = (
            Reason(code=ReasonCode.AUTO_RENEW_OFF, subject="S-1"),
            Reason(code=ReasonCode.NO_PAYMENT_METHOD, subject="S-1"),
        )
        manual = RenewalRequirement(
            mode=RenewalMode.MANUAL, reasons=reasons, window=self.WINDOW
        )
        assert manual.codes == (
            ReasonCode.AUTO_RENEW_OFF,
            ReasonCode.NO_PAYMENT_METHOD,
        )


class TestNoHiddenMachinery:
    """RenewalRequirement is a plain attrs class: fields are its slots."""

    WINDOW = DateWindow(opens_on=date(2027, 1, 1), closes_on=date(2027, 4, 1))

    def test_the_reasons_slot_is_attrs_own(self) -> None:
        slot_type: object = type(RenewalRequirement.reasons)
        assert slot_type is type(RenewalRequirement.mode)
        assert vars(RenewalRequirement)["__slots__"] == (
            "mode",
            "reasons",
            "window",
            "__weakref__",
        )

    @pytest.mark.parametrize(
        "build",
        [
            pytest.param(
                lambda w: RenewalRequirement(
                    mode=RenewalMode.MANUAL,
                    reasons=None,
                    window=w,
                ),
                id="constructor",
            ),
            pytest.param(
                lambda w: attrs.evolve(
                    RenewalRequirement(
                        mode=RenewalMode.AUTOMATIC, reasons=(), window=w
                    ),
                    reasons=None,
                ),
                id="evolve",
            ),
        ],
    )
    def test_none_as_reasons_is_refused_by_name(
        self, build: Callable[[DateWindow], object]
    ) -> None:
        with pytest.raises(InvalidTypeError) as info:
            build(self.WINDOW)
        assert info.value.field == "reasons"


def test_rule_violation_carries_and_pickles_its_decision() -> None:
    decision = Decision.from_reasons(
        [Reason(code=ReasonCode.TRIAL_NOT_RENEWABLE, subject="S-1")]
    )
    error = RuleViolation(decision)
    assert error.decision is decision
    assert "trial" in str(error)
    copy = pickle.loads(pickle.dumps(error))
    assert copy.decision == decision


def test_params_with_unorderable_names_are_refused() -> None:
    with pytest.raises(InvalidTypeError, match="params"):
        Reason(code=ReasonCode.BATCH_TOO_LARGE, params=((1, 2), ("size", 1)))


def test_params_given_as_unsorted_pairs_or_lists_are_stored_sorted() -> None:
    unsorted = Reason(
        code=ReasonCode.BATCH_TOO_LARGE, params=(("size", 3), ("limit", 2))
    )
    lists: Any = [["size", 3], ["limit", 2]]  # as JSON would give them
    as_lists = Reason(code=ReasonCode.BATCH_TOO_LARGE, params=lists)
    assert unsorted.params == as_lists.params == (("limit", 2), ("size", 3))


def test_the_default_locale_is_english() -> None:
    reason = Reason(code=ReasonCode.AUTO_RENEW_OFF)
    assert (
        reason.message() == reason.message("en") == "Automatic renewal is turned off."
    )
    assert Remedy.SPLIT_BATCH.message() == Remedy.SPLIT_BATCH.message("en")


def test_result_types_also_take_positional_arguments() -> None:
    # API.md lists them as Reason(code, subject=None, params=()), ...;
    # keywords remain the documented style.
    from renewal_rules import (
        Batch,
        BatchPlan,
        GroupKey,
        Rejection,
    )

    reason = Reason(ReasonCode.BATCH_TOO_LARGE, "S-1", {"size": 0, "limit": 1})
    assert reason == Reason(
        code=ReasonCode.BATCH_TOO_LARGE, subject="S-1", params={"size": 0, "limit": 1}
    )
    assert Decision(False, (reason,)) == Decision.from_reasons([reason])
    window = DateWindow(date(2027, 1, 1), date(2027, 2, 1))
    requirement = RenewalRequirement(RenewalMode.MANUAL, (reason,), window)
    assert requirement.window is window
    key = GroupKey("5100001", "EUR", PurchaseMethod.ONLINE)
    batch = Batch(key, (make_sub(),))
    rejection = Rejection(make_sub(id="S-2"), (reason,))
    assert BatchPlan((batch,), (rejection,)).batches == (batch,)


def test_params_take_equal_values_as_given() -> None:
    # An enum's value as a plain str, or an int amount, is the same value:
    # kept as given (not converted), equal and hashed alike.
    as_text = Reason(
        ReasonCode.CAPABILITY_UNAVAILABLE, "S-1", {"capability": "auto_renewal"}
    )
    as_member = Reason(
        ReasonCode.CAPABILITY_UNAVAILABLE,
        "S-1",
        {"capability": Capability.AUTO_RENEWAL},
    )
    assert as_text == as_member
    assert hash(as_text) == hash(as_member)
    with pytest.raises(InvalidTypeError):
        Reason(ReasonCode.CAPABILITY_UNAVAILABLE, "S-1", {"capability": "nope"})
    amount = Reason(
        ReasonCode.AMOUNT_EXCEEDS_CARD_LIMIT, "Q-1", {"amount": 2, "limit": 1}
    )
    assert (
        amount.message()
        == "An amount of 2 USD is above the limit of 1 USD for cards and PayPal."
    )
    with pytest.raises(InvalidTypeError):
        Reason(ReasonCode.AMOUNT_EXCEEDS_CARD_LIMIT, "Q-1", {"amount": 2.5, "limit": 1})


def test_a_name_given_twice_is_refused_whatever_its_values() -> None:
    with pytest.raises(InvalidInputError) as caught:
        Reason(ReasonCode.BATCH_TOO_LARGE, None, (("size", 1), ("size", "x")))
    assert caught.value.field == "params"


def test_a_date_param_given_as_text_is_a_type_error() -> None:
    with pytest.raises(InvalidTypeError) as caught:
        Reason(ReasonCode.QUOTE_WINDOW_CLOSED, "Q-1", {"closes_on": "2027-01-01"})
    assert caught.value.field == "params.closes_on"


def test_stage_dates_out_of_order() -> None:  # G1
    with pytest.raises(InvalidInputError) as caught:
        StageDates(
            expired_on=date(2027, 1, 2),
            suspended_on=date(2027, 1, 1),
            canceled_on=date(2027, 1, 3),
        )
    assert (caught.value.field, caught.value.value, caught.value.message) == (
        "suspended_on",
        date(2027, 1, 1),
        "must lie from expired_on through canceled_on",
    )


def test_a_decision_from_what_is_not_reasons() -> None:
    with pytest.raises(InvalidTypeError) as caught:
        Decision.from_reasons(42)  # type: ignore[arg-type]
    assert caught.value.field == "reasons"


def test_an_enum_param_given_an_unhashable_value() -> None:
    with pytest.raises(InvalidTypeError) as caught:
        Reason(ReasonCode.CAPABILITY_UNAVAILABLE, "S-1", {"capability": []})
    assert caught.value.field == "params.capability"


def test_stage_dates_are_ordered() -> None:  # G1
    with pytest.raises(InvalidInputError):
        StageDates(
            expired_on=date(2027, 5, 1),
            suspended_on=date(2027, 4, 1),
            canceled_on=date(2027, 5, 1),
        )
