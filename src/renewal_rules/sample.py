"""The sample portfolio ``python -m renewal_rules`` shows, for examples and notebooks.

Nine subscriptions, one per situation the single-subscription rules name,
around [`SAMPLE_AS_OF`][renewal_rules.sample.SAMPLE_AS_OF], under
[`SAMPLE_POLICY`][renewal_rules.sample.SAMPLE_POLICY] (where ``CN`` offers no automatic
renewal).

>>> from renewal_rules import renewal_requirement
>>> from renewal_rules.sample import SAMPLE_AS_OF, SAMPLE_POLICY, SAMPLE_PORTFOLIO
>>> sub = SAMPLE_PORTFOLIO[0]
>>> renewal_requirement(sub, as_of=SAMPLE_AS_OF, policy=SAMPLE_POLICY).mode.value
'automatic'
"""

from __future__ import annotations

from renewal_rules._sample import SAMPLE_AS_OF, SAMPLE_POLICY, SAMPLE_PORTFOLIO

__all__ = ["SAMPLE_AS_OF", "SAMPLE_POLICY", "SAMPLE_PORTFOLIO"]
