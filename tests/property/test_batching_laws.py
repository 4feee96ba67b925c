"""Laws of plan_batches and check_batch over generated portfolios (B1-B4)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from random import Random

from hypothesis import given
from hypothesis import strategies as st

from renewal_rules import (
    BatchAction,
    BatchPlan,
    ReasonCode,
    RenewalPolicy,
    Subscription,
    check_batch,
    check_enable_auto_renew,
    check_manual_renewal,
    group_key,
    plan_batches,
)
from renewal_rules.strategies import policies, portfolios

AS_OF = date(2027, 3, 1)
actions = st.sampled_from(BatchAction)
# Small limits so that splitting happens on small portfolios.
small_policies = policies(batch_limit=st.integers(1, 7))
portfolio = portfolios(as_of=AS_OF, max_size=20)


def planned(plan: BatchPlan) -> list[Subscription]:
    return [sub for batch in plan.batches for sub in batch.subscriptions]


class TestPartition:
    """Every input subscription is accounted for exactly once."""

    @given(portfolio, actions, small_policies, st.data())
    def test_every_input_exactly_once(
        self,
        subs: tuple[Subscription, ...],
        action: BatchAction,
        policy: RenewalPolicy,
        data: st.DataObject,
    ) -> None:
        # Repeat some subscriptions: the repeats must be rejected, not lost.
        repeats = data.draw(st.lists(st.sampled_from(subs), max_size=3)) if subs else []
        inputs = [*subs, *repeats]
        plan = plan_batches(inputs, action=action, as_of=AS_OF, policy=policy)
        outputs = planned(plan) + [r.subscription for r in plan.rejected]
        assert Counter(map(id, outputs)) == Counter(map(id, inputs))
        for rejection in plan.rejected[len(plan.rejected) - len(repeats) :]:
            assert rejection.reasons[0].code is ReasonCode.DUPLICATE_SUBSCRIPTION


class TestBatchShape:
    """No batch is empty or over the limit; one key per batch; input order kept."""

    @given(portfolio, actions, small_policies)
    def test_shape(
        self, subs: tuple[Subscription, ...], action: BatchAction, policy: RenewalPolicy
    ) -> None:
        plan = plan_batches(subs, action=action, as_of=AS_OF, policy=policy)
        position = {sub.id: index for index, sub in enumerate(subs)}
        for batch in plan.batches:
            assert 1 <= len(batch.subscriptions) <= policy.batch_limit
            assert {group_key(sub) for sub in batch.subscriptions} == {batch.key}
        keys = [batch.key for batch in plan.batches]
        assert keys == sorted(keys)
        for key in set(keys):
            members = [s for b in plan.batches if b.key == key for s in b.subscriptions]
            assert [position[s.id] for s in members] == sorted(
                position[s.id] for s in members
            )
            # Only the last batch of a group may be short.
            sizes = [len(b.subscriptions) for b in plan.batches if b.key == key]
            assert all(size == policy.batch_limit for size in sizes[:-1])


class TestAgreement:
    """The plan agrees with the checks: batches pass, rejections say why."""

    @given(portfolio, actions, small_policies)
    def test_check_batch_allows_every_planned_batch(
        self, subs: tuple[Subscription, ...], action: BatchAction, policy: RenewalPolicy
    ) -> None:
        plan = plan_batches(subs, action=action, as_of=AS_OF, policy=policy)
        for batch in plan.batches:
            decision = check_batch(
                batch.subscriptions, action=action, as_of=AS_OF, policy=policy
            )
            assert decision.allowed, decision.explain()
        for rejection in plan.rejected:
            assert rejection.reasons
            alone = check_batch(
                [rejection.subscription], action=action, as_of=AS_OF, policy=policy
            )
            assert alone.reasons == rejection.reasons

    @given(portfolio, small_policies)
    def test_members_pass_their_single_checks(
        self, subs: tuple[Subscription, ...], policy: RenewalPolicy
    ) -> None:
        renew = plan_batches(subs, action=BatchAction.RENEW, as_of=AS_OF, policy=policy)
        for sub in planned(renew):
            assert check_manual_renewal(sub, as_of=AS_OF, policy=policy)
        enable = plan_batches(
            subs, action=BatchAction.ENABLE_AUTO_RENEW, as_of=AS_OF, policy=policy
        )
        for sub in planned(enable):
            assert check_enable_auto_renew(sub, as_of=AS_OF, policy=policy)


class TestOrderIndependence:
    """Shuffling the input gives the same plan, as sets per key."""

    @given(portfolio, actions, small_policies, st.randoms(use_true_random=False))
    def test_shuffle(
        self,
        subs: tuple[Subscription, ...],
        action: BatchAction,
        policy: RenewalPolicy,
        random: Random,
    ) -> None:
        shuffled = list(subs)
        random.shuffle(shuffled)
        first = plan_batches(subs, action=action, as_of=AS_OF, policy=policy)
        second = plan_batches(shuffled, action=action, as_of=AS_OF, policy=policy)

        def by_key(plan: BatchPlan) -> dict[object, frozenset[str]]:
            groups: dict[object, set[str]] = {}
            for batch in plan.batches:
                groups.setdefault(batch.key, set()).update(
                    s.id for s in batch.subscriptions
                )
            return {key: frozenset(ids) for key, ids in groups.items()}

        assert by_key(first) == by_key(second)
        assert [b.key for b in first.batches] == [b.key for b in second.batches]
        assert {r.subscription.id: r.reasons for r in first.rejected} == {
            r.subscription.id: r.reasons for r in second.rejected
        }

    @given(portfolio, actions)
    def test_determinism(
        self, subs: tuple[Subscription, ...], action: BatchAction
    ) -> None:
        assert plan_batches(subs, action=action, as_of=AS_OF) == plan_batches(
            list(subs), action=action, as_of=AS_OF
        )
