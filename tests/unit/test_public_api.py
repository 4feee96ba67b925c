"""The public surface changes only on purpose."""

from __future__ import annotations

import importlib

import pytest

import renewal_rules

# The names of API.md that the top-level package must export.
API_NAMES = {
    "Term", "SubscriptionKind", "PurchaseMethod", "PaymentKind", "Capability", "Role",
    "RenewalMode", "PaymentMethod", "Market", "Subscription", "Account", "Actor",
    "RenewalPolicy", "DEFAULT_POLICY", "InvalidInputError", "UnknownMarketError",
    "ReasonCode", "Remedy", "Reason", "Decision", "RenewalRequirement", "DateWindow",
    "RuleViolation", "check_renewal", "renewal_requirement", "renewal_window",
    "check_manual_renewal", "check_enable_auto_renew", "check_term_change",
    "next_term_end", "renew", "change_term", "enable_auto_renew", "check_authority",
    "LineKind", "Offering", "QuoteChannel", "QuoteStatus", "QuoteChange", "BatchAction",
    "Recipient", "QuoteLine", "Quote", "Promotion", "GroupKey", "group_key",
    "check_batch", "plan_batches", "Batch", "BatchPlan", "Rejection", "check_quote",
    "check_quote_change", "applicable_promotions",
}  # fmt: skip


def test_api_names_are_exported() -> None:
    assert set(renewal_rules.__all__) >= API_NAMES
    for name in API_NAMES:
        assert getattr(renewal_rules, name) is not None


def test_all_is_sorted_and_matches_the_public_names() -> None:
    # Names the package defines (tools such as mutmut may inject their own).
    public = {
        name
        for name, value in vars(renewal_rules).items()
        if not name.startswith("_")
        and not isinstance(value, type(renewal_rules))
        and getattr(value, "__module__", "renewal_rules").startswith("renewal_rules")
    }
    assert set(renewal_rules.__all__) == public
    # The order itself is ruff's (RUF022); here: no name twice.
    assert len(set(renewal_rules.__all__)) == len(renewal_rules.__all__)


@pytest.mark.parametrize(
    "module",
    [
        "model",
        "policy",
        "decisions",
        "eligibility",
        "authority",
        "errors",
        "strategies",
    ],
)
def test_public_modules_declare_all_with_docstrings(module: str) -> None:
    mod = importlib.import_module(f"renewal_rules.{module}")
    assert len(set(mod.__all__)) == len(mod.__all__)
    for name in mod.__all__:
        obj = getattr(mod, name)
        if callable(obj):
            assert obj.__doc__, name


@pytest.mark.slow
def test_strategies_are_not_imported_by_the_package() -> None:
    import subprocess
    import sys

    code = "import renewal_rules, sys; print('renewal_rules.strategies' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
