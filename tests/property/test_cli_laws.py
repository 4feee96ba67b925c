"""The command line answers what the library answers, under any policy."""

from __future__ import annotations

import io
import json
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import given

from renewal_rules import RenewalPolicy, Subscription, renewal_requirement
from renewal_rules.cli import main
from renewal_rules.serde import to_dict
from renewal_rules.strategies import DEFAULT_AS_OF, policies, portfolios


@given(portfolios(max_size=8), policies())
def test_explain_under_a_policy_file_is_the_library(
    subs: tuple[Subscription, ...], policy: RenewalPolicy
) -> None:
    # Ids may repeat in a generated portfolio: compare in order.
    with tempfile.TemporaryDirectory() as folder:
        portfolio = Path(folder) / "portfolio.jsonl"
        portfolio.write_text(
            "".join(json.dumps(to_dict(sub)) + "\n" for sub in subs), encoding="utf-8"
        )
        policy_file = Path(folder) / "policy.json"
        policy_file.write_text(json.dumps(to_dict(policy)), encoding="utf-8")
        out = io.StringIO()
        argv = ["explain", str(portfolio), "--format", "json"]
        argv += ["--policy", str(policy_file), "--as-of", DEFAULT_AS_OF.isoformat()]
        status = main(argv, stdout=out)
    assert status == 0
    items = json.loads(out.getvalue())["subscriptions"]
    expected = [
        renewal_requirement(sub, as_of=DEFAULT_AS_OF, policy=policy) for sub in subs
    ]
    assert [item["subscription"] for item in items] == [sub.id for sub in subs]
    assert [item["mode"] for item in items] == [r.mode.value for r in expected]
    assert [[reason["code"] for reason in item["reasons"]] for item in items] == [
        [code.value for code in r.codes] for r in expected
    ]
    assert [date.fromisoformat(item["window"]["opens_on"]) for item in items] == [
        r.window.opens_on for r in expected
    ]
