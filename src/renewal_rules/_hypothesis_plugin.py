"""Hypothesis plugin: ``st.from_type`` for every public model type (private).

Registered under the ``hypothesis`` entry-point group in ``pyproject.toml``,
so Hypothesis calls `_hypothesis_setup_hook` when it is imported in any
environment where ``renewal_rules`` is installed.
"""

from __future__ import annotations

from typing import Any

# Model type name -> name of its strategy in renewal_rules.strategies.
_STRATEGIES = {
    "PaymentMethod": "payment_methods",
    "Market": "markets",
    "Subscription": "subscriptions",
    "Account": "accounts",
    "Actor": "actors",
    "RenewalPolicy": "policies",
    "Recipient": "recipients",
    "QuoteLine": "quote_lines",
    "Quote": "quotes",
    "Promotion": "promotions",
    # Result values, made by the library's functions on DEFAULT_AS_OF.
    "Reason": "reasons",
    "Decision": "decisions",
    "RenewalRequirement": "requirements",
    "DateWindow": "date_windows",
    "StageDates": "stage_dates",
    "TimelineEvent": "timeline_events",
    "BatchPlan": "batch_plans",
}


def _resolve(cls: type[Any]) -> Any:
    # Imported when a strategy is first needed, not when Hypothesis loads the
    # plugin: renewal_rules.strategies itself imports Hypothesis.
    from renewal_rules import strategies

    return getattr(strategies, _STRATEGIES[cls.__name__])()


def _hypothesis_setup_hook() -> None:
    """Register the strategies of `renewal_rules.strategies` by type."""
    from hypothesis import strategies as st

    import renewal_rules

    for name in _STRATEGIES:
        st.register_type_strategy(getattr(renewal_rules, name), _resolve)
