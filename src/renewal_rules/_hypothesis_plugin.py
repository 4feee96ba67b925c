"""Hypothesis plugin: ``st.from_type`` for every public model type (private).

Registered under the ``hypothesis`` entry-point group in ``pyproject.toml``,
so Hypothesis calls :func:`_hypothesis_setup_hook` when it is imported in any
environment where ``renewal_rules`` is installed.
"""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    """Register the strategies of :mod:`renewal_rules.strategies` by type."""
    from hypothesis import strategies as st

    from renewal_rules import model, policy
    from renewal_rules import strategies as s

    registrations: list[tuple[type[object], st.SearchStrategy[object]]] = [
        (model.PaymentMethod, s.payment_methods()),
        (policy.Market, s.markets()),
        (model.Subscription, s.subscriptions()),
        (model.Account, s.accounts()),
        (model.Actor, s.actors()),
        (policy.RenewalPolicy, s.policies()),
        (model.Recipient, s.recipients()),
        (model.QuoteLine, s.quote_lines()),
        (model.Quote, s.quotes()),
        (model.Promotion, s.promotions()),
    ]
    for cls, strategy in registrations:
        st.register_type_strategy(cls, strategy)
