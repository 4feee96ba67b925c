"""Scale-out: plans decompose by CSN, and every object pickles."""

from __future__ import annotations

import pickle
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewal_rules import (
    BatchAction,
    InvalidTypeError,
    Subscription,
    check_quote,
    merge_plans,
    plan_batches,
    renewal_requirement,
)
from renewal_rules.strategies import (
    models,
    portfolios,
    quotes,
)

AS_OF = date(2027, 3, 1)


class TestDecomposableByCsn:
    """Merging the plans of CSN-disjoint partitions equals the plan of the whole."""

    @given(portfolios(max_size=30), st.sampled_from(BatchAction), st.integers(1, 4))
    def test_merge(
        self, subs: tuple[Subscription, ...], action: BatchAction, parts: int
    ) -> None:
        whole = plan_batches(subs, action=action, as_of=AS_OF)
        csns = sorted({sub.csn for sub in subs})
        owner = {csn: index % parts for index, csn in enumerate(csns)}
        partitions = [
            [s for s in subs if owner[s.csn] == part] for part in range(parts)
        ]
        merged = merge_plans(
            *(plan_batches(p, action=action, as_of=AS_OF) for p in partitions)
        )
        assert merged.batches == whole.batches
        assert sorted(merged.rejected, key=lambda r: r.subscription.id) == sorted(
            whole.rejected, key=lambda r: r.subscription.id
        )

    def test_merge_refuses_other_objects(self) -> None:
        with pytest.raises(InvalidTypeError, match=r"plans\[0\]"):
            merge_plans("plan")  # type: ignore[arg-type]


class TestPickle:
    """Every model and result object pickles to an equal object."""

    @given(models())
    def test_models(self, obj: object) -> None:
        assert pickle.loads(pickle.dumps(obj)) == obj

    @given(portfolios(max_size=10), st.sampled_from(BatchAction), quotes())
    def test_results(
        self, subs: tuple[Subscription, ...], action: BatchAction, quote: object
    ) -> None:
        results: list[object] = [
            plan_batches(subs, action=action, as_of=AS_OF),
            check_quote(quote, as_of=AS_OF),  # type: ignore[arg-type]
            *(renewal_requirement(sub, as_of=AS_OF) for sub in subs),
        ]
        for result in results:
            assert pickle.loads(pickle.dumps(result)) == result
