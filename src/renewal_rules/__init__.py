"""Subscription-renewal rules as pure, typed, explainable functions.

``renewal_rules`` answers "can this subscription renew, and how?" for the
renewal rules of a software vendor's customer accounts: eligibility, automatic
versus manual renewal, the manual renewal window, term changes, authority,
batches and quotes. Every answer is a :class:`Decision` that lists every
reason it is not allowed, with a remedy and messages in English and French.

Nothing here reads a clock: ``as_of`` is always an argument.
"""

from renewal_rules.authority import check_authority
from renewal_rules.batching import (
    Batch,
    BatchAction,
    BatchPlan,
    GroupKey,
    Rejection,
    check_batch,
    group_key,
    merge_plans,
    plan_batches,
)
from renewal_rules.decisions import (
    DateWindow,
    Decision,
    Reason,
    ReasonCode,
    Remedy,
    RenewalMode,
    RenewalRequirement,
    RuleViolation,
)
from renewal_rules.eligibility import (
    change_term,
    check_enable_auto_renew,
    check_manual_renewal,
    check_renewal,
    check_term_change,
    enable_auto_renew,
    next_term_end,
    renew,
    renewal_requirement,
    renewal_window,
)
from renewal_rules.errors import (
    InvalidInputError,
    InvalidTypeError,
    RenewalRulesError,
    UnknownMarketError,
)
from renewal_rules.model import (
    Account,
    Actor,
    LineKind,
    Offering,
    PaymentKind,
    PaymentMethod,
    Promotion,
    PurchaseMethod,
    Quote,
    QuoteChange,
    QuoteChannel,
    QuoteLine,
    QuoteStatus,
    Recipient,
    Role,
    Subscription,
    SubscriptionKind,
    Term,
)
from renewal_rules.policy import DEFAULT_POLICY, Capability, Market, RenewalPolicy
from renewal_rules.quotes import (
    applicable_promotions,
    check_quote,
    check_quote_change,
)
from renewal_rules.records import to_records

__version__ = "0.1.0.dev0"

__all__ = [
    "DEFAULT_POLICY",
    "Account",
    "Actor",
    "Batch",
    "BatchAction",
    "BatchPlan",
    "Capability",
    "DateWindow",
    "Decision",
    "GroupKey",
    "InvalidInputError",
    "InvalidTypeError",
    "LineKind",
    "Market",
    "Offering",
    "PaymentKind",
    "PaymentMethod",
    "Promotion",
    "PurchaseMethod",
    "Quote",
    "QuoteChange",
    "QuoteChannel",
    "QuoteLine",
    "QuoteStatus",
    "Reason",
    "ReasonCode",
    "Recipient",
    "Rejection",
    "Remedy",
    "RenewalMode",
    "RenewalPolicy",
    "RenewalRequirement",
    "RenewalRulesError",
    "Role",
    "RuleViolation",
    "Subscription",
    "SubscriptionKind",
    "Term",
    "UnknownMarketError",
    "applicable_promotions",
    "change_term",
    "check_authority",
    "check_batch",
    "check_enable_auto_renew",
    "check_manual_renewal",
    "check_quote",
    "check_quote_change",
    "check_renewal",
    "check_term_change",
    "enable_auto_renew",
    "group_key",
    "merge_plans",
    "next_term_end",
    "plan_batches",
    "renew",
    "renewal_requirement",
    "renewal_window",
    "to_records",
]
