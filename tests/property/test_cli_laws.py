"""The command line answers what the library answers, under any policy."""

from __future__ import annotations

import io
import json
import tempfile
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from renewal_rules import (
    BatchAction,
    RenewalPolicy,
    Subscription,
    plan_batches,
    renewal_requirement,
)
from renewal_rules.cli import commands, engine, engine_plan, main, spill
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


@st.composite
def _with_repeats(draw: st.DrawFn) -> list[Subscription]:
    """A portfolio whose ids repeat, some of them under another customer."""
    subs = list(draw(portfolios(max_size=12)))
    if subs:
        csns = sorted({sub.csn for sub in subs} | {"7000001"})
        for _ in range(draw(st.integers(0, 6))):
            repeat = subs[draw(st.integers(0, len(subs) - 1))]
            csn = draw(st.sampled_from(csns))
            subs.insert(draw(st.integers(0, len(subs))), attrs.evolve(repeat, csn=csn))
    return subs


_COMMANDS = (
    ["plan", "--action", "renew"],
    ["plan", "--action", "quote"],
    ["plan", "--action", "enable-auto-renew"],
    ["align"],
    ["timeline", "--from", "2026-12-01", "--to", "2028-03-01"],
)


@settings(deadline=None)
@given(
    _with_repeats(),
    st.sampled_from(_COMMANDS),
    st.sampled_from(["json", "table"]),
    st.integers(1, 600),
)
def test_spilled_buckets_answer_what_one_bucket_answers(
    subs: list[Subscription], command: list[str], fmt: str, bytes_per_bucket: int
) -> None:
    # B1-B4, C1, N3: the plan of a file spilled in many buckets (repeats of an
    # id under another customer included) is the plan of the whole file.
    def answer(per_bucket: int, path: Path) -> tuple[int, str]:
        out = io.StringIO()
        argv = [*command, str(path), "--as-of", DEFAULT_AS_OF.isoformat()]
        with (
            mock.patch.object(spill, "BYTES_PER_BUCKET", per_bucket),
            mock.patch.object(engine_plan, "BYTES_PER_BUCKET", per_bucket),
        ):
            status = main([*argv, "--format", fmt], stdout=out)
        return status, out.getvalue()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "portfolio.jsonl"
        path.write_text(
            "".join(json.dumps(to_dict(sub)) + "\n" for sub in subs), encoding="utf-8"
        )
        whole = answer(1 << 40, path)
        assert answer(bytes_per_bucket, path) == whole
        if command[0] == "plan" and fmt == "json":  # the spill: on the objects
            with mock.patch.object(commands, "_has_engine", return_value=False):
                assert answer(bytes_per_bucket, path) == whole
    if command[0] == "plan" and fmt == "json":
        action = BatchAction(command[2].replace("-", "_"))
        plan = plan_batches(subs, action=action, as_of=DEFAULT_AS_OF)
        document = json.loads(whole[1])
        assert [b["subscriptions"] for b in document["batches"]] == [
            [sub.id for sub in batch.subscriptions] for batch in plan.batches
        ]
        assert [r["subscription"] for r in document["rejected"]] == [
            rejection.subscription.id for rejection in plan.rejected
        ]
        assert [[x["code"] for x in r["reasons"]] for r in document["rejected"]] == [
            [reason.code.value for reason in rejection.reasons]
            for rejection in plan.rejected
        ]


# Edits a file of records may carry: each must be answered on the engine
# exactly as the object path answers it (an invalid record in serde's words).
_EDITS: list[tuple[str, object]] = [
    ("quantity", 2.0), ("quantity", True), ("quantity", "3"), ("quantity", None),
    ("quantity", 2**63), ("quantity", 10**30), ("kind", None), ("auto_renew", None),
    ("auto_renew", 1), ("term_end", "2027-5-1"), ("term_end", "20270501"),
    ("market", "ZZ"), ("market", "fr"), ("colour", "red"), ("id", ""), ("id", 'S-"q"'),
    ("id", "S-\\\\1"), ("id", "S-é"),
    ("payment_method", {"kind": "card", "valid": None}),
    ("payment_method", {"kind": "card", "extra": 1}), ("payment_method", []),
    ("payment_method", {"kind": "paypal", "expires_on": "2027-02-30"}),
    ("anchor_day", 31), ("pending_quantity", 1), ("pending_term", "monthly"),
    ("partner_csn", 7200001),
    # At the edges of the lines Polars' reader takes (in a known shape).
    ("quantity", 10**17), ("quantity", 10**18 - 1), ("quantity", 10**18),
    ("quantity", -(10**17)), ("quantity", 0), ("id", "S-\u2028\U0001d11e"),
    ("product", "ÀCDLT\x7f"), ("id", "S-\t"), ("csn", "5100001 "),
    ("payment_method", {"valid": True, "kind": "card"}),
    ("payment_method", {}),
]  # fmt: skip


_SEPARATORS = [(", ", ": "), (",", ":"), (" , ", " :\t")]


@st.composite
def _edited_lines(draw: st.DrawFn) -> str:
    subs = draw(portfolios(max_size=10))
    lines = []
    for sub in subs:
        record = to_dict(sub)
        edits = st.lists(st.sampled_from(_EDITS), max_size=draw(st.integers(0, 2)))
        for name, value in draw(edits):
            record[name] = value
        if draw(st.integers(0, 3)) == 0 and "kind" in record:
            del record[draw(st.sampled_from(sorted(record)))]
        line = json.dumps(record, separators=draw(st.sampled_from(_SEPARATORS)))
        if draw(st.integers(0, 5)) == 0 and line.endswith("}"):
            # A key given twice: Python's reader keeps the last.
            line = line[:-1] + ', "id": "S-twice"}'
        lines.append(line)
    lines += draw(st.lists(st.sampled_from(["", "{oops", "[1]", "null"]), max_size=2))
    return "\n".join(draw(st.permutations(lines))) + "\n"


Ran = tuple[int, str, str]


def _on_engine_and_objects(
    text: str, policy: RenewalPolicy, argv: list[str], *patches: Any
) -> tuple[Ran, Ran]:
    """``argv`` (its command first) over ``text``: on the engine, then on objects.

    The engine runs under ``patches`` (small chunks, buckets and files).
    """
    with tempfile.TemporaryDirectory() as folder:
        portfolio = Path(folder) / "portfolio.jsonl"
        portfolio.write_text(text, encoding="utf-8")
        policy_file = Path(folder) / "policy.json"
        policy_file.write_text(json.dumps(to_dict(policy)), encoding="utf-8")
        full = [argv[0], str(portfolio), *argv[1:], "--policy", str(policy_file)]
        full += ["--as-of", DEFAULT_AS_OF.isoformat()]

        def run() -> Ran:
            out, err = io.StringIO(), io.StringIO()
            return main(full, stdout=out, stderr=err), out.getvalue(), err.getvalue()

        with ExitStack() as stack:
            for patch in patches:
                stack.enter_context(patch)
            on_engine = run()
        with mock.patch.object(commands, "_has_engine", return_value=False):
            on_objects = run()
    return on_engine, on_objects


@settings(deadline=None, max_examples=40)  # two runs of the command line each
@given(
    _edited_lines(),
    policies(),
    st.sampled_from(["en", "fr"]),
    st.sampled_from(["json", "jsonl"]),
    st.booleans(),
)
def test_explain_on_the_engine_is_the_object_path(
    text: str, policy: RenewalPolicy, lang: str, fmt: str, strict: bool
) -> None:
    # E1-A4 as JSON Lines and as a JSON document (its invalid records after
    # the subscriptions), with --strict or not: the same bytes and status.
    # Chunks of three: shapes learned in one chunk are read in columns in
    # the next ones.
    argv = ["explain", "--format", fmt, "--lang", lang, *(["--strict"] * strict)]
    on_engine, on_objects = _on_engine_and_objects(
        text, policy, argv, mock.patch.object(engine, "CHUNK", 3)
    )
    assert on_engine == on_objects


def _file_of(subs: list[Subscription]) -> str:
    return "".join(json.dumps(to_dict(sub)) + "\n" for sub in subs)


@settings(deadline=None, max_examples=60)  # two runs of the command line each
@given(
    st.one_of(_edited_lines(), _with_repeats().map(_file_of)),
    policies(),
    st.sampled_from(sorted(commands._ACTIONS)),
    st.sampled_from(["json", "jsonl"]),
    st.sampled_from(["en", "fr"]),
    st.booleans(),
    st.integers(1, 600),
)
def test_a_plan_on_the_engine_is_the_spill(  # noqa: PLR0917 - one per dimension
    text: str,
    policy: RenewalPolicy,
    action: str,
    fmt: str,
    lang: str,
    strict: bool,
    bytes_per_bucket: int,
) -> None:
    # B1-B4, Q1, M1: the same bytes, in chunks of three, buckets of a few
    # records and files read back two rows at a time, as the spill of
    # objects writes; repeats, invalid records and dated reasons included.
    argv = ["plan", "--action", action, "--format", fmt, "--lang", lang]
    on_engine, on_objects = _on_engine_and_objects(
        text,
        policy,
        [*argv, *(["--strict"] * strict)],
        mock.patch.object(engine, "CHUNK", 3),
        mock.patch.object(engine_plan, "BYTES_PER_BUCKET", bytes_per_bucket),
        mock.patch.object(engine_plan, "_BATCH_ROWS", 2),
    )
    assert on_engine == on_objects
