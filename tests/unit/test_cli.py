"""The command line: ``python -m renewal_rules``."""

from __future__ import annotations

import io
import itertools
import json
import os
import subprocess
import sys
import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewal_rules import BatchAction, RenewalPolicy, frames
from renewal_rules._sample import SAMPLE_POLICY, SAMPLE_PORTFOLIO
from renewal_rules.cli import commands, engine, engine_plan, main, spill
from renewal_rules.cli import read as cli
from renewal_rules.serde import to_dict
from tests.factories import make_sub


def run(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), stdout=out) == 0
    return out.getvalue()


def test_default_output_is_reproducible_and_covers_the_sample() -> None:
    text = run()
    assert text == run("--as-of", "2027-03-01")
    assert text.startswith("Sample portfolio, as of 2027-03-01\n")
    for sub in SAMPLE_PORTFOLIO:
        assert sub.id in text
    for code in (
        "trial_not_renewable",
        "subscription_expired",
        "payment_method_not_recurring",
        "payment_method_expires_before_renewal",
        "capability_unavailable",
        "auto_renew_off",
        "no_payment_method",
        "payment_method_invalid",
    ):
        assert code in text
    assert "automatic" in text
    assert "2027-03-02 to 2027-05-30" in text  # M1: the last day is shown


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "This market does not offer automatic renewal. Remedy: Renew manually."),
        (
            "fr",
            (
                "Ce marché ne propose pas le renouvellement automatique. "
                "Solution : Renouvelez manuellement."
            ),
        ),
    ],
)
def test_a_manual_reason_without_a_remedy_says_renew_manually(
    lang: str, expected: str
) -> None:  # A4
    # capability_unavailable has no remedy of its own; a manual requirement
    # is met by a manual renewal, which the table says.
    (line,) = [
        line
        for line in run("--lang", lang).splitlines()
        if "capability_unavail" in line
    ]
    assert line.endswith(expected)
    assert line.count(" Remedy: ") + line.count(" Solution : ") == 1


def test_sample_shows_each_mode() -> None:
    text = run()
    line = next(line for line in text.splitlines() if line.startswith("S-HEALTHY"))
    assert "automatic" in line
    line = next(line for line in text.splitlines() if line.startswith("S-TRIAL"))
    assert "not renewable" in line
    assert line.endswith("  -")  # no window where no renewal can happen
    line = next(line for line in text.splitlines() if line.startswith("S-ALIPAY"))
    assert "manual" in line


def test_the_demo_says_its_policy_and_whose_timeline_it_shows() -> None:
    text = run()
    assert "Policy: the sample's: every market offers every renewal path" in text
    assert "S-AUTO-OFF, automatic renewal off, for a year" in text
    french = run("--lang", "fr")
    assert "Politique : celle de l'exemple" in french
    assert "non renouvelable" in french


def test_french() -> None:
    text = run("--lang", "fr")
    assert text.startswith("Portefeuille d'exemple, au 2027-03-01\n")
    assert "Solution : Convertissez la version d'évaluation en abonnement." in text
    assert "automatique" in text


def test_as_of_changes_the_answer() -> None:
    text = run("--as-of", "2027-05-01")
    line = next(line for line in text.splitlines() if line.startswith("S-ALIPAY"))
    assert "not renewable" in line


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--as-of", "2027-02-30"], "invalid date '2027-02-30'"),
        (["--as-of", "tomorrow"], "invalid date 'tomorrow'"),
        (["--lang", "de"], "invalid choice: 'de'"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_errors_are_one_line_with_status_2(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert fragment in err


@pytest.mark.slow
def test_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "renewal_rules", "--as-of", "2027-03-01"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout == run()
    bad = subprocess.run(
        [sys.executable, "-m", "renewal_rules", "--as-of", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert len(bad.stderr.splitlines()) == 1


# --- Files: explain and plan -------------------------------------------------


def sample_lines() -> list[str]:
    return [json.dumps(to_dict(sub)) for sub in SAMPLE_PORTFOLIO]


FILE_COMMANDS = ("explain", "plan", "align")


def run_status(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    """Run the command line; a FILE command gets ``--as-of 2027-03-01`` unless given."""
    args = list(argv)
    if args and args[0] in FILE_COMMANDS and not any("--as-of" in a for a in args):
        args += ["--as-of", "2027-03-01"]
    out, err = io.StringIO(), io.StringIO()
    status = main(args, stdout=out, stdin=io.StringIO(stdin), stderr=err)
    return status, out.getvalue(), err.getvalue()


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


class TestPlanCommand:
    def test_jsonl_file_plans_like_the_library(self, tmp_path: Path) -> None:
        path = write(tmp_path, "p.jsonl", "\n".join(sample_lines()) + "\n")
        status, out, _ = run_status(
            "plan", path, "--action", "renew", "--format", "json"
        )
        assert status == 0
        document = json.loads(out)
        assert document["action"] == "renew"
        assert [b["subscriptions"] for b in document["batches"]] == [
            ["S-ALIPAY", "S-NO-AUTO-MARKET"],
            ["S-AUTO-OFF", "S-NO-PAYMENT"],
        ]
        planned = {s for b in document["batches"] for s in b["subscriptions"]}
        rejected = {r["subscription"] for r in document["rejected"]}
        assert planned | rejected == {sub.id for sub in SAMPLE_PORTFOLIO}
        assert document["invalid"] == []

    def test_json_array_and_table(self, tmp_path: Path) -> None:
        array = "[\n" + ",\n".join(sample_lines()) + "\n]\n"
        path = write(tmp_path, "p.json", array)
        policy = write(tmp_path, "policy.json", json.dumps(to_dict(SAMPLE_POLICY)))
        status, out, _ = run_status(
            "plan", path, "--action", "enable-auto-renew", "--policy", policy
        )
        assert status == 0
        assert out.startswith("Plan for 'enable-auto-renew', as of 2027-03-01\n")
        assert "Batch 1: CSN 5100001, EUR, online (2)\n  S-HEALTHY, S-AUTO-OFF\n" in out
        assert "Rejected (7)" in out

    def test_stdin_and_french(self) -> None:
        status, out, _ = run_status(
            "plan",
            "-",
            "--action",
            "quote",
            "--lang",
            "fr",
            stdin="\n".join(sample_lines()),
        )
        assert status == 0
        assert "Lot 1 : CSN 5100001, CNY, online (2)" in out
        assert "refusés" in out

    def test_sample_is_the_default(self) -> None:
        status, out, _ = run_status("plan", "--action", "renew")
        assert status == 0
        assert "S-ALIPAY, S-NO-AUTO-MARKET" in out

    def test_action_is_required(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as caught:
            main(["plan", "-"])
        assert caught.value.code == 2
        assert "--action" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--as-of", "2027-05-01", "--lang", "fr", "explain"],
        ["explain", "--as-of", "2027-05-01", "--lang", "fr"],
        ["--as-of", "2026-01-01", "--lang", "en", "explain", "--as-of", "2027-05-01",
         "--lang", "fr"],
    ],
)  # fmt: skip
def test_as_of_and_lang_go_before_or_after_the_command(argv: list[str]) -> None:
    status, out, _ = run_status(*argv)
    assert status == 0
    assert out.startswith("Modes de renouvellement, au 2027-05-01\n")
    assert out == run_status("explain", "--as-of", "2027-05-01", "--lang", "fr")[1]
    assert out != run_status("explain", "--lang", "fr")[1]  # the date matters


def test_commands_default_to_the_sample_date_and_english() -> None:
    status, out, _ = run_status("explain", "--format", "json")
    assert status == 0
    assert json.loads(out)["as_of"] == "2027-03-01"
    assert "Automatic renewal is turned off." in out


class TestPolicy:
    """A FILE is evaluated under DEFAULT_POLICY unless --policy names one."""

    CN_WITHOUT_AUTO = (
        '{"markets": [{"code": "CN", "capabilities": ["manual_renewal"]}]}'
    )

    def requirement_of(self, out: str, sub_id: str) -> dict[str, object]:
        items = json.loads(out)["subscriptions"]
        found: dict[str, object] = next(i for i in items if i["subscription"] == sub_id)
        return found

    def test_a_file_gets_the_default_policy_and_the_sample_its_own(
        self, tmp_path: Path
    ) -> None:
        path = write(tmp_path, "p.jsonl", "\n".join(sample_lines()))
        _, out, _ = run_status("explain", path, "--format", "json")
        assert self.requirement_of(out, "S-NO-AUTO-MARKET")["mode"] == "automatic"
        _, out, _ = run_status("explain", "--format", "json")
        assert self.requirement_of(out, "S-NO-AUTO-MARKET")["mode"] == "manual"

    def test_policy_file_applies_to_a_file(self, tmp_path: Path) -> None:
        path = write(tmp_path, "p.jsonl", "\n".join(sample_lines()))
        policy = write(tmp_path, "policy.json", self.CN_WITHOUT_AUTO)
        status, out, _ = run_status(
            "explain", path, "--format", "json", "--policy", policy
        )
        assert status == 0
        requirement = self.requirement_of(out, "S-NO-AUTO-MARKET")
        assert requirement["mode"] == "manual"
        assert requirement["reasons"] == [
            {
                "code": "capability_unavailable",
                "subject": "S-NO-AUTO-MARKET",
                "params": {"capability": "auto_renewal"},
                "message": "This market does not offer automatic renewal.",
            }
        ]

    def test_policy_file_applies_to_the_sample(self, tmp_path: Path) -> None:
        policy = write(tmp_path, "policy.json", "{}")  # DEFAULT_POLICY's shape
        status, out, _ = run_status("plan", "--action", "renew", "--policy", policy)
        assert status == 0
        assert "capability_unavailable" not in out

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("{not json", "policy.json: invalid JSON: Expecting property name"),
            ('{"markets": [{"code": "fr"}], "batch_limit": "100"}',
             ("policy.json: not a valid policy: $.batch_limit: expected a JSON "
              'integer, got "100"; $.markets[0].code: must be two uppercase')),
            ("[]", "policy.json: not a valid policy: $: expected a JSON object"),
        ],
    )  # fmt: skip
    def test_a_bad_policy_is_a_usage_error_naming_the_field(
        self, tmp_path: Path, text: str, expected: str
    ) -> None:
        policy = write(tmp_path, "policy.json", text)
        path = write(tmp_path, "p.jsonl", "\n".join(sample_lines()))
        status, out, err = run_status("explain", path, "--policy", policy)
        assert status == 2
        assert out == ""
        assert err.startswith("python -m renewal_rules: error: ")
        assert expected in err
        assert len(err.splitlines()) == 1

    def test_an_unreadable_policy_is_a_usage_error(self, tmp_path: Path) -> None:
        status, _, err = run_status("explain", "--policy", str(tmp_path / "none"))
        assert status == 2
        assert "cannot read " in err
        binary = tmp_path / "binary.json"
        binary.write_bytes(b"\xff\xfe\x00")
        status, _, err = run_status("explain", "--policy", str(binary))
        assert status == 2
        assert "not UTF-8" in err


class TestBadRecords:
    def bad_file(self, tmp_path: Path) -> str:
        good = sample_lines()
        bad_date = json.dumps(
            {**to_dict(SAMPLE_PORTFOLIO[0]), "id": "S-X", "term_end": "2027-02-30"}
        )
        missing = json.dumps(
            {k: v for k, v in to_dict(SAMPLE_PORTFOLIO[0]).items() if k != "csn"}
        )
        unknown_enum = json.dumps(
            {**to_dict(SAMPLE_PORTFOLIO[0]), "id": "S-Y", "term": "weekly"}
        )
        text = "\n".join(
            [good[0], "{not json", bad_date, "", missing, unknown_enum, good[1]]
        )
        return write(tmp_path, "bad.jsonl", text + "\n")

    def test_listed_with_line_numbers_and_status_1(self, tmp_path: Path) -> None:
        status, out, _ = run_status("explain", self.bad_file(tmp_path))
        assert status == 1
        assert "S-HEALTHY" in out
        assert "S-TRIAL" in out
        invalid = out[out.index("Invalid records (4)") :]
        assert "line 2: $: invalid JSON:" in invalid
        assert (
            'line 3: $.term_end: "2027-02-30" is not an ISO date (YYYY-MM-DD)'
            in invalid
        )
        assert "line 5: $.csn: is required" in invalid
        assert 'line 6: $.term: "weekly" is not a Term value' in invalid

    def test_json_report(self, tmp_path: Path) -> None:
        status, out, _ = run_status(
            "explain", self.bad_file(tmp_path), "--format", "json"
        )
        assert status == 1
        document = json.loads(out)
        assert [item["subscription"] for item in document["subscriptions"]] == [
            "S-HEALTHY",
            "S-TRIAL",
        ]
        assert [entry["line"] for entry in document["invalid"]] == [2, 3, 5, 6]

    def test_strict_refuses_the_whole_run(self, tmp_path: Path) -> None:
        status, out, _ = run_status(
            "plan", self.bad_file(tmp_path), "--action", "renew", "--strict"
        )
        assert status == 3
        assert out.startswith("Invalid records (4)")
        assert "Batch" not in out
        status, out, _ = run_status(
            "explain", self.bad_file(tmp_path), "--strict", "--format", "json"
        )
        assert status == 3
        assert json.loads(out)["refused"] is True

    def test_strict_passes_a_clean_file(self, tmp_path: Path) -> None:
        path = write(tmp_path, "ok.jsonl", "\n".join(sample_lines()))
        assert run_status("plan", path, "--action", "renew", "--strict")[0] == 0

    def test_a_10_mb_line_is_reported_and_skipped(self, tmp_path: Path) -> None:
        huge = json.dumps(
            {**to_dict(SAMPLE_PORTFOLIO[0]), "id": "S-" + "x" * 10_000_000}
        )
        text = "\n".join([huge, sample_lines()[1]]) + "\n"
        status, out, _ = run_status("explain", write(tmp_path, "huge.jsonl", text))
        assert status == 1
        assert "line 1: $: line is longer than 1,048,576 characters" in out
        assert "S-TRIAL" in out

    def test_broken_json_array(self) -> None:
        status, out, _ = run_status("explain", "-", stdin='[\n{"id": 1},\n5,\n{')
        assert status == 1
        assert "line 2: $[0].id: expected a JSON string, got 1" in out
        assert "line 3: $[1]: expected a JSON object, got integer" in out
        assert "invalid JSON" in out
        status, out, _ = run_status("explain", "-", stdin="[\n")
        assert "missing ']'" in out

    def test_empty_input(self) -> None:
        status, out, _ = run_status("plan", "-", "--action", "renew", stdin="  \n")
        assert status == 0
        assert "0 batches, 0 planned, 0 rejected" in out

    def test_unreadable_files_are_usage_errors(self, tmp_path: Path) -> None:
        status, _, err = run_status("explain", str(tmp_path / "missing.jsonl"))
        assert status == 2
        assert err.startswith("python -m renewal_rules: error: cannot read ")
        binary = tmp_path / "binary.jsonl"
        binary.write_bytes(b"\xff\xfe\x00")
        status, _, err = run_status("explain", str(binary))
        assert status == 2
        assert "not UTF-8" in err

    def test_bytes_not_utf8_mid_file_stop_both_paths_alike(
        self, tmp_path: Path
    ) -> None:
        # JSON Lines: the records read before the bad bytes are written by
        # the engine as by the record-by-record path, then the usage error.
        lines = sample_lines()
        text = "".join(lines[n % len(lines)] + "\n" for n in range(400))
        path = tmp_path / "half.jsonl"
        path.write_bytes(text.encode() + b"\xff\n")

        def run() -> tuple[int, str, str]:
            out, err = io.StringIO(), io.StringIO()
            argv = ["explain", str(path), "--format", "jsonl", "--as-of", "2027-03-01"]
            return main(argv, stdout=out, stderr=err), out.getvalue(), err.getvalue()

        on_engine = run()
        with mock.patch.object(commands, "_has_engine", return_value=False):
            on_objects = run()
        assert on_engine == on_objects
        status, out, err = on_engine
        assert status == 2
        assert "not UTF-8" in err
        assert out.count('"subscription": "S-') >= 100


class TestStreaming:
    def test_jsonl_is_read_one_line_at_a_time(self, tmp_path: Path) -> None:
        # 20,000 records (about 8 MB): iterating keeps well under 1 MB live.
        line = sample_lines()[0]
        path = tmp_path / "big.jsonl"
        with path.open("w", encoding="utf-8") as stream:
            for _ in range(20_000):
                stream.write(line + "\n")
        tracemalloc.start()
        with path.open(encoding="utf-8") as stream:
            count = sum(1 for _ in cli.records(stream))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count == 20_000
        assert peak < 1_000_000

    def test_progress_on_a_terminal(self, monkeypatch: pytest.MonkeyPatch) -> None:
        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        # A clock that moves a second at every look: progress every 3 records.
        ticks = itertools.count()
        monkeypatch.setattr(cli, "PROGRESS_CHECK", 3)
        monkeypatch.setattr("time.monotonic", lambda: float(next(ticks)))
        err = Terminal()
        status = main(
            ["explain", "-", "--as-of", "2027-03-01"],
            stdout=io.StringIO(),
            stdin=io.StringIO("\n".join(sample_lines())),
            stderr=err,
        )
        assert status == 0
        assert (
            err.getvalue()
            == "\rread 3 records\rread 6 records\rread 9 records\rread 9 records\n"
        )
        # A plan also says which bucket of customers it is answering.
        err = Terminal()
        with mock.patch.object(spill, "STDIN_BUCKETS", 2):
            status = main(
                ["plan", "-", "--action", "renew", "--as-of", "2027-03-01"],
                stdout=io.StringIO(),
                stdin=io.StringIO("\n".join(sample_lines())),
                stderr=err,
            )
        assert status == 0
        assert err.getvalue().endswith(
            "\ranswering bucket 1 of 2\ranswering bucket 2 of 2\n"
        )

    def test_explain_jsonl_writes_each_record_in_input_order(
        self, tmp_path: Path
    ) -> None:
        lines = sample_lines()[:2]
        text = "\n".join([lines[0], '{"id": 1}', lines[1]]) + "\n"
        status, out, _ = run_status(
            "explain", write(tmp_path, "p.jsonl", text), "--format", "jsonl"
        )
        assert status == 1
        rows = [json.loads(line) for line in out.splitlines()]
        assert [(r["record"], r.get("subscription"), r.get("line")) for r in rows] == [
            ("subscription", "S-HEALTHY", None),
            ("invalid", None, 2),
            ("subscription", "S-TRIAL", None),
        ]

    @pytest.mark.parametrize("records", [3_000, 12_000])
    def test_explain_streams_a_file_in_bounded_memory(
        self, tmp_path: Path, records: int
    ) -> None:
        # Records answered a chunk at a time: nothing grows with the file
        # but the output, which the test's StringIO holds.
        line = sample_lines()[0]
        path = write(tmp_path, "big.jsonl", (line + "\n") * records)
        run_status("explain", path, "--format", "jsonl")  # imports, caches
        with mock.patch.object(engine, "CHUNK", 500):
            tracemalloc.start()
            status, out, _ = run_status("explain", path, "--format", "jsonl")
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        assert status == 0
        assert out.count("\n") == records
        assert peak < len(out) * 2 + 2_000_000

    def test_a_plan_holds_one_bucket(self, tmp_path: Path) -> None:
        # B1-B4 over a spill: memory holds one bucket of customers, not the
        # file (the same run in one bucket is the yardstick; align and
        # timeline share the spill, and the benchmark measures all three).
        command = ["plan", "--action", "renew"]
        records = []
        for n in range(4_000):
            record = json.loads(sample_lines()[n % len(SAMPLE_PORTFOLIO)])
            record["id"], record["csn"] = f"S-{n}", str(6_000_000 + n % 200)
            records.append(json.dumps(record) + "\n")
        path = write(tmp_path, "big.jsonl", "".join(records))
        size = Path(path).stat().st_size

        class Sink(io.StringIO):
            lines = 0

            def write(self, text: str) -> int:
                self.lines += text.count("\n")
                return len(text)

        def peak(per_bucket: int, *, on_engine: bool) -> tuple[int, int]:
            sink = Sink()
            argv = [*command, path, "--as-of", "2027-03-01", "--format", "jsonl"]
            tracemalloc.start()
            # Small write buffers and chunks, so that a small file shows the
            # bound.
            with (
                mock.patch.object(spill, "BYTES_PER_BUCKET", per_bucket),
                mock.patch.object(spill, "_FLUSH", 2_048),
                mock.patch.object(engine_plan, "BYTES_PER_BUCKET", per_bucket),
                mock.patch.object(engine, "CHUNK", 100),
                mock.patch.object(commands, "_has_engine", return_value=on_engine),
            ):
                assert main(argv, stdout=sink) == 0
            _, most = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            return most, sink.lines

        held, lines = peak(size + 1, on_engine=False)
        spilled, spilled_lines = peak(size // 8, on_engine=False)
        assert spilled_lines == lines > 0
        assert spilled * 4 < held, (spilled, held)
        # On the engine, a bucket's rows are Polars' (not traced): the plan
        # of each bucket is made of its rows alone, the same lines come out.
        planned_rows: list[int] = []
        plan_table = frames.plan_table

        def spy(data: object, **kwargs: Any) -> Any:
            planned_rows.append(len(data))  # type: ignore[arg-type]
            return plan_table(data, **kwargs)

        # The merge of the buckets' batches holds a few rows of each.
        merged_rows: list[int] = []
        read = engine_plan._Files.read

        def reading(files: Any, name: str) -> Any:
            for frame in read(files, name):
                if name.startswith("batches-"):
                    merged_rows.append(frame.height)
                yield frame

        with (
            mock.patch.object(frames, "plan_table", spy),
            mock.patch.object(engine_plan._Files, "read", reading),
            mock.patch.object(engine_plan, "_BATCH_ROWS", 16),
        ):
            _, engine_lines = peak(size // 8, on_engine=True)
        assert engine_lines == lines
        assert len(planned_rows) >= 6
        assert max(planned_rows) * 4 < sum(planned_rows)
        assert max(merged_rows) <= 16 < sum(merged_rows)

    def test_an_explain_table_keeps_its_rows_on_disk(self, tmp_path: Path) -> None:
        # The widths need every row: the rows wait on disk, so twice the
        # records do not take twice the memory.
        line = sample_lines()[0]

        class Sink(io.StringIO):
            rows = 0

            def write(self, text: str) -> int:
                self.rows += text.startswith("S-HEALTHY")
                return len(text)

        def peak(count: int) -> int:
            path = write(tmp_path, f"{count}.jsonl", (line + "\n") * count)
            sink = Sink()
            tracemalloc.start()
            # A file of more than one bucket's bytes: its rows go to disk.
            with (
                mock.patch.object(spill, "BYTES_PER_BUCKET", 1_000),
                mock.patch.object(spill, "_FLUSH", 2_048),
            ):
                status = main(["explain", path, "--as-of", "2027-03-01"], stdout=sink)
            _, most = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert status == 0
            assert sink.rows == count
            return most

        assert peak(1_500) * 1.3 > peak(3_000)

    def test_the_spill_counts_buckets_and_cleans_up(self, tmp_path: Path) -> None:
        assert spill.bucket_count(None) == 1  # the built-in sample
        assert spill.bucket_count("-") == spill.STDIN_BUCKETS
        path = tmp_path / "sparse.jsonl"
        path.write_bytes(b"")
        assert spill.bucket_count(str(path)) == 1
        with path.open("wb") as stream:
            stream.truncate(spill.BYTES_PER_BUCKET * 3)
        assert spill.bucket_count(str(path)) == 4
        with path.open("wb") as stream:
            stream.truncate(spill.BYTES_PER_BUCKET * 1_000)
        assert spill.bucket_count(str(path)) == spill.MAX_BUCKETS
        assert spill.bucket_count(str(tmp_path / "missing")) == 1
        assert not spill.small(str(path))
        assert spill.small(None)
        assert not spill.small("-")
        seen: list[Path] = []

        def fail_inside() -> None:
            with spill.Spill(3) as spilled:
                assert spilled._directory is not None  # on disk
                seen.append(Path(spilled._directory))
                spilled.read([(None, (1, [("$", "bad")]))])
                assert spilled.invalid_count == 1
                assert seen[0].is_dir()
                raise RuntimeError

        with pytest.raises(RuntimeError):
            fail_inside()
        assert not seen[0].exists()

    def test_explain_json_keeps_invalid_records_on_disk(self, tmp_path: Path) -> None:
        # The invalid records come after the subscriptions in a JSON
        # document: they wait on disk, and come out in input order.
        lines = [sample_lines()[0], '{"id": 1}', sample_lines()[1], "[}"]
        path = write(tmp_path, "mixed.jsonl", "\n".join(lines) + "\n")
        with mock.patch.object(spill, "BYTES_PER_BUCKET", 10):
            status, out, _ = run_status("explain", path, "--format", "json")
        assert status == 1
        document = json.loads(out)
        assert [row["line"] for row in document["invalid"]] == [2, 4]
        assert len(document["subscriptions"]) == 2

    def test_strict_explain_reads_a_file_twice_and_stdin_once(
        self, tmp_path: Path
    ) -> None:
        good = "\n".join(sample_lines()) + "\n"
        path = write(tmp_path, "ok.jsonl", good)
        for source, stdin in ((path, ""), ("-", good)):
            status, out, _ = run_status(
                "explain", source, "--strict", "--format", "jsonl", stdin=stdin
            )
            assert status == 0
            assert out.count('"record": "subscription"') == len(SAMPLE_PORTFOLIO)
        bad = good + '{"id": 1}\n'
        status, out, _ = run_status(
            "explain", "-", "--strict", "--format", "json", stdin=bad
        )
        assert status == 3
        assert json.loads(out)["refused"] is True

    def test_no_progress_when_not_a_terminal(self) -> None:
        _, _, err = run_status("explain", "-", stdin="\n".join(sample_lines()))
        assert err == ""


class TestTimelineCommand:
    """N3 on a file: table, JSON and JSON Lines, same conventions as plan."""

    def test_jsonl_output_is_the_library(self, tmp_path: Path) -> None:  # N3
        from datetime import date

        from renewal_rules import portfolio_timeline

        path = write(tmp_path, "p.jsonl", "\n".join(sample_lines()) + "\n")
        status, out, _ = run_status(
            "timeline", path, "--from", "2027-01-01", "--to", "2028-01-01",
            "--format", "jsonl",
        )  # fmt: skip
        assert status == 0
        rows = [json.loads(line) for line in out.splitlines()]
        expected = portfolio_timeline(
            SAMPLE_PORTFOLIO, start=date(2027, 1, 1), end=date(2028, 1, 1)
        )
        assert [(r["on"], r["kind"], r["subject"]) for r in rows] == [
            (e.on.isoformat(), e.kind.value, e.subject) for e in expected
        ]
        assert {r["record"] for r in rows} == {"event"}

    def test_table_json_and_bad_span(self, tmp_path: Path) -> None:  # N3
        path = write(tmp_path, "p.jsonl", "\n".join(sample_lines()) + "\nnot json\n")
        status, out, _ = run_status(
            "timeline", path, "--from", "2027-01-01", "--to", "2027-06-01"
        )
        assert status == 1
        assert out.startswith("Timeline from 2027-01-01 to 2027-06-01")
        assert "canceled" in out
        status, out, _ = run_status(
            "timeline", path, "--from", "2027-01-01", "--to", "2027-06-01",
            "--format", "json",
        )  # fmt: skip
        document = json.loads(out)
        assert (status, document["from"], len(document["invalid"])) == (
            1,
            "2027-01-01",
            1,
        )
        status, _, err = run_status(
            "timeline", path, "--from", "2028-01-01", "--to", "2027-01-01"
        )
        assert status == 2
        assert "--to" in err
        status, out, _ = run_status(
            "timeline",
            path,
            "--from",
            "2027-01-01",
            "--to",
            "2027-01-02",
            "--lang",
            "fr",
        )
        assert "(aucun événement)" in out

    def test_explain_and_plan_in_json_lines(self, tmp_path: Path) -> None:
        path = write(tmp_path, "p.jsonl", "\n".join(sample_lines()) + "\n")
        status, out, _ = run_status("explain", path, "--format", "jsonl")
        rows = [json.loads(line) for line in out.splitlines()]
        assert status == 0
        assert [r["subscription"] for r in rows] == [s.id for s in SAMPLE_PORTFOLIO]
        status, out, _ = run_status(
            "plan", path, "--action", "renew", "--format", "jsonl"
        )
        kinds = {json.loads(line)["record"] for line in out.splitlines()}
        assert kinds == {"batch", "rejected"}

    def test_demo_shows_a_timeline(self) -> None:  # N3
        assert "Timeline from 2027-03-01 to 2028-02-29" in run()
        status, _, err = run_status("--as-of", "9999-12-31")
        assert status == 2
        assert "--as-of" in err


class TestAlignCommand:
    """C1, C2 on a file: the alignment plan, as plan does for batches."""

    def test_table_and_json_lines(self, tmp_path: Path) -> None:  # C1
        path = write(tmp_path, "p.jsonl", "\n".join(sample_lines()) + "\nnot json\n")
        status, out, _ = run_status("align", path, "--as-of", "2027-03-01")
        assert status == 1
        assert out.startswith("Alignment plan, as of 2027-03-01")
        assert "Group 1: CSN" in out
        status, out, _ = run_status("align", path, "--format", "jsonl", "--lang", "fr")
        records = {json.loads(line)["record"] for line in out.splitlines()}
        assert records == {"group", "rejected", "invalid"}
        status, out, _ = run_status("align", path, "--format", "json")
        assert set(json.loads(out)) == {"as_of", "groups", "rejected", "invalid"}


class TestHostileFiles:
    """No record lost, no traceback: each record processed or listed invalid."""

    def test_hostile_records(self, tmp_path: Path) -> None:
        good = sample_lines()[0]
        record = json.loads(good)
        surrogate = json.dumps({**record, "id": "S-\ud800"})
        early = json.dumps({**record, "id": "S-OLD", "term_start": "0001-05-01"})
        with_cr = good.replace(", ", ",\r ", 1)
        lines = [
            "\ufeff" + good,
            surrogate,
            '{"id": 1' + "0" * 5000 + "}",
            "[" * 100_000,
            early,
            json.dumps({**record, "id": "S-CR"}).replace(", ", ",\r ", 1),
            '{"x": 1, ' + ", ".join(f'"f{n}": {n}' for n in range(30)) + "}",
        ]
        assert with_cr.count("\r") == 1
        path = tmp_path / "h.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
        status, out, err = run_status("explain", str(path), "--format", "jsonl")
        assert status == 1, err
        rows = [json.loads(line) for line in out.splitlines()]
        ids = [r["subscription"] for r in rows if r["record"] == "subscription"]
        assert ids == [record["id"], "S-CR"]
        invalid = {r["line"]: r["errors"] for r in rows if r["record"] == "invalid"}
        assert sorted(invalid) == [2, 3, 4, 5, 7]
        assert invalid[2] == [  # a lone surrogate is no supported identifier
            {
                "path": "$.id",
                "message": "must not hold a control character, a line or "
                "paragraph separator or a lone surrogate",
            }
        ]
        assert invalid[5] == [
            {
                "path": "$.term_start",
                "message": "must be from 1900-01-01 through 9899-12-31",
            }
        ]
        assert len(invalid[7]) == 21  # 20 errors and a count of the rest

    def test_out_of_range_as_of_is_a_usage_error(self, tmp_path: Path) -> None:
        path = write(tmp_path, "p.jsonl", "\n".join(sample_lines()) + "\n")
        status, out, err = run_status("explain", path, "--as-of", "9999-12-31")
        assert (status, out) == (2, "")
        assert "--as-of" in err


def _shape(*parts: str) -> str:
    return "".join(parts)


R = [json.dumps(to_dict(sub)) for sub in SAMPLE_PORTFOLIO[:3]]
IDS = [sub.id for sub in SAMPLE_PORTFOLIO[:3]]


@pytest.mark.parametrize(
    ("text", "valid", "invalid_lines", "status"),
    [
        pytest.param(
            _shape("[", R[0], "]\n", R[1], "\n", R[2], "\n"),
            IDS,
            [],
            0,
            id="array-then-json-lines",
        ),
        pytest.param(
            _shape("[", R[0], "][", R[1], ",", R[2], "]"), IDS, [], 0, id="two-arrays"
        ),
        pytest.param(
            _shape("[", R[0], ", {oops, ", R[1], ",\n", R[2], "]"),
            [IDS[0], IDS[1], IDS[2]],
            [1],
            1,
            id="syntax-error-in-an-element",
        ),
        pytest.param(
            _shape("[", R[0], ', {"id": "S-2", oops}, ', R[1], ", ", R[2], "]"),
            IDS,
            [1],
            1,
            id="one-bad-object-one-invalid-entry",
        ),
        pytest.param(
            _shape("[", R[0], ", ", "[" * 100_000, "]" * 100_000, ", ", R[1], "]"),
            IDS[:2],
            [1],
            1,
            id="an-element-nested-too-deep",
        ),
        pytest.param(
            _shape("[", R[0], " ", R[1], "]"), IDS[:2], [1], 1, id="missing-comma"
        ),
        pytest.param(
            _shape("[,,", R[0], ",,]"), IDS[:1], [1, 1, 1, 1], 1, id="extra-commas"
        ),
        pytest.param(
            _shape("\ufeff[", R[0], "]"), IDS[:1], [], 0, id="bom-before-array"
        ),
        pytest.param(
            _shape(R[0], "\n[", R[1], "]\n"),
            IDS[:1],
            [2],
            1,
            id="json-lines-then-an-array-line",
        ),
    ],
)
def test_no_record_is_lost(
    tmp_path: Path, text: str, valid: list[str], invalid_lines: list[int], status: int
) -> None:
    path = tmp_path / "shape.json"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_status("explain", str(path), "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == status, err
    assert [r["subscription"] for r in rows if r["record"] == "subscription"] == valid
    assert [r["line"] for r in rows if r["record"] == "invalid"] == invalid_lines


def test_paths_after_a_bad_element_name_their_own_index(tmp_path: Path) -> None:
    bad = json.dumps({**to_dict(make_sub(id="S-3")), "currency": "euro"})
    text = _shape("[", R[0], ', {"id": "S-2", oops}, ', bad, "]")
    path = write(tmp_path, "shape.json", text)
    _, out, _ = run_status("explain", path, "--format", "jsonl")
    paths = [e["path"] for r in map(json.loads, out.splitlines())
             if r["record"] == "invalid" for e in r["errors"]]  # fmt: skip
    assert paths == ["$", "$[2].currency"]


class TestAsOf:
    """A FILE command needs --as-of: a date, or 'today' (said on stderr)."""

    def test_required_with_a_file(self, tmp_path: Path) -> None:
        path = write(tmp_path, "p.jsonl", "\n".join(sample_lines()) + "\n")
        out, err = io.StringIO(), io.StringIO()
        status = main(["explain", path], stdout=out, stderr=err)
        assert (status, out.getvalue()) == (2, "")
        assert "--as-of is required with a FILE" in err.getvalue()
        status, _, _ = run_status("explain", path, "--as-of", "2027-03-01")
        assert status == 0

    def test_today(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        import datetime as dt

        class Clock:
            fromisoformat = dt.date.fromisoformat

            @staticmethod
            def today() -> dt.date:
                return dt.date(2027, 3, 1)

        monkeypatch.setattr("renewal_rules.cli.commands.date", Clock)
        path = write(tmp_path, "p.jsonl", "\n".join(sample_lines()) + "\n")
        out, err = io.StringIO(), io.StringIO()
        status = main(["explain", path, "--as-of", "today"], stdout=out, stderr=err)
        assert err.getvalue() == "python -m renewal_rules: as of 2027-03-01 (today)\n"
        assert status == 0
        assert out.getvalue().startswith("Renewal modes, as of 2027-03-01")


class TestDefects:
    """No traceback, no lost record, the right exit status."""

    @pytest.mark.parametrize(
        "argv",
        [
            ["plan", "FILE", "--action", "renew", "--as-of", "2027-03-01"],
            ["explain", "FILE", "--as-of", "2027-03-01"],
            ["explain", "FILE", "--as-of", "2027-03-01", "--format", "jsonl"],
            ["timeline", "FILE", "--from", "2027-01-01", "--to", "2030-01-01"],
            [],
        ],
    )
    def test_a_closed_pipe_ends_quietly_with_141(
        self, tmp_path: Path, argv: list[str]
    ) -> None:
        path = write(tmp_path, "p.jsonl", "\n".join(sample_lines() * 200))
        command = [sys.executable, "-m", "renewal_rules"] + [
            path if arg == "FILE" else arg for arg in argv
        ]
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, "TMPDIR": str(tmp_path)},
        ) as child:  # fmt: skip
            assert child.stdout is not None
            assert child.stderr is not None
            # Closed before the child (still importing) writes a byte: every
            # write meets a closed pipe, as after `| head -1` has its line.
            child.stdout.close()
            err = child.stderr.read().decode()
            status = child.wait(timeout=60)
        assert status == 141, err
        assert "Traceback" not in err
        assert "cannot read" not in err
        assert not list(tmp_path.glob("rr-*"))  # the spill is gone

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                '{"batch_limit": ' + "9" * 5000 + "}",
                "a number of more than 4300 digits",
            ),
            ("[" * 3000 + "]" * 3000, "invalid JSON: nested too deep"),
        ],
    )
    def test_an_unreadable_policy_is_one_line(
        self, tmp_path: Path, text: str, expected: str
    ) -> None:
        policy = write(tmp_path, "policy.json", text)
        path = write(tmp_path, "p.jsonl", "\n".join(sample_lines()))
        status, out, err = run_status("explain", path, "--policy", policy)
        assert (status, out) == (2, "")
        assert err.count("\n") == 1
        assert expected in err

    @pytest.mark.parametrize(
        "argv",
        [
            ["explain", "--format", "jsonl"],
            ["timeline", "--from", "2027-01-01", "--to", "2028-01-01", "--format", "jsonl"],
            ["align", "--format", "jsonl"],
            ["plan", "--action", "quote", "--format", "jsonl"],
            ["plan", "--action", "enable-auto-renew", "--format", "jsonl"],
        ],
    )  # fmt: skip
    def test_a_record_in_an_unlisted_market_is_invalid(  # A4
        self, tmp_path: Path, argv: list[str]
    ) -> None:
        policy = write(
            tmp_path,
            "policy.json",
            '{"default_market": null, "markets": [{"code": "DE"}]}',
        )
        lines = [json.dumps({**to_dict(make_sub(id=f"S-{n}")), "market": m})
                 for n, m in enumerate(["DE", "FR", "DE"])]  # fmt: skip
        path = write(tmp_path, "p.jsonl", "\n".join(lines))
        status, out, err = run_status(argv[0], path, *argv[1:], "--policy", policy)
        assert status == 1, err
        invalid = [json.loads(line) for line in out.splitlines()]
        invalid = [r for r in invalid if r["record"] == "invalid"]
        assert [(r["line"], r["errors"][0]["path"]) for r in invalid] == [
            (2, "$.market")
        ]

    @pytest.mark.parametrize(
        "argv",
        [
            ["--as-of", "20270301"],
            ["timeline", "FILE", "--from", "20270101", "--to", "2028-01-01"],
            ["timeline", "FILE", "--from", "2027-W01-1", "--to", "2028-01-01"],
            ["explain", "FILE", "--as-of", "2027-3-1"],
        ],
    )
    def test_dates_are_exactly_yyyy_mm_dd(
        self, tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = write(tmp_path, "p.jsonl", "\n".join(sample_lines()))
        with pytest.raises(SystemExit) as caught:
            main([path if arg == "FILE" else arg for arg in argv])
        assert caught.value.code == 2
        assert "expected YYYY-MM-DD" in capsys.readouterr().err

    def test_a_reversed_span_is_refused_before_the_input_is_read(
        self, tmp_path: Path
    ) -> None:
        path = write(tmp_path, "p.jsonl", "\n".join([*sample_lines(), "{oops"]))
        status, out, err = run_status(
            "timeline", path, "--from", "2028-01-01", "--to", "2027-01-01", "--strict"
        )
        assert (status, out) == (2, "")
        assert err.startswith("python -m renewal_rules: error: --to: ")

    def test_blank_lines_are_counted(self, tmp_path: Path) -> None:
        lines = sample_lines()
        path = write(tmp_path, "p.jsonl", "\n\n".join(lines[:3]) + "\n   \n")
        status, out, err = run_status("explain", path, "--format", "jsonl")
        assert status == 0
        assert len(out.splitlines()) == 3
        assert "python -m renewal_rules: 3 blank lines skipped\n" in err
        one = write(tmp_path, "one.jsonl", lines[0] + "\n\n" + lines[1])
        assert "1 blank line skipped" in run_status("explain", one)[2]
        assert (
            "blank"
            not in run_status("explain", write(tmp_path, "n.jsonl", lines[0]))[2]
        )

    def test_batches_carry_their_ordinal_within_their_key(  # B2
        self, tmp_path: Path
    ) -> None:
        # Limit 2: three batches of one key, one of another.
        subs = [make_sub(id=f"S-{n}", csn="5100001" if n < 5 else "5100002")
                for n in range(7)]  # fmt: skip
        lines = "\n".join(json.dumps(to_dict(sub)) for sub in subs)
        path = write(tmp_path, "p.jsonl", lines)
        policy = write(tmp_path, "policy.json", '{"batch_limit": 2}')
        args = ("plan", path, "--action", "renew", "--policy", policy)
        status, out, _ = run_status(*args, "--format", "jsonl")
        assert status == 0
        records = [json.loads(line) for line in out.splitlines()]
        batches = [
            (r["key"]["csn"], r["batch"]) for r in records if r["record"] == "batch"
        ]
        expected = [("5100001", 1), ("5100001", 2), ("5100001", 3), ("5100002", 1)]
        assert batches == expected
        table = frames.plan_table(
            frames.subscriptions_table(subs),
            action=BatchAction.RENEW,
            as_of=date(2027, 3, 1),
            policy=RenewalPolicy(batch_limit=2),
        ).to_pylist()
        assert sorted({(r["csn"], r["batch"]) for r in table}) == expected
        _, text, _ = run_status(*args)
        named = [
            line.split(":")[0] for line in text.splitlines() if line.startswith("Batch")
        ]
        assert named == ["Batch 1", "Batch 2", "Batch 3", "Batch 1"]

    def test_table_cells_never_break(self) -> None:
        from renewal_rules.cli.render import cell

        assert cell("S-1") == "S-1"
        assert cell("a\u2028b\u2029c\x07d\ud800") == "a\\u2028b\\u2029c\\u0007d\\ud800"
        assert cell("café 客") == "café 客"

    def test_help_names_every_command_the_statuses_and_examples(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit) as caught:
            main(["--help"])
        assert caught.value.code == 0
        text = capsys.readouterr().out
        for command in ("explain", "plan", "align", "timeline"):
            assert f"python -m renewal_rules {command} subs.jsonl" in text
        for status in ("0 ", "1 ", "2 ", "3 ", "141"):
            assert f"\n  {status}" in text
        with pytest.raises(SystemExit):
            main(["plan", "--help"])
        assert "what the batches do" in capsys.readouterr().out


def _lines_by_readline(text: str, limit: int) -> list[str]:
    # What a line at a time read: each line whole, or the over-long marker.
    out, stream = [], io.StringIO(text)
    while line := stream.readline(limit + 1):
        if len(line) > limit and not line.endswith("\n"):
            while (rest := stream.readline(limit)) and not rest.endswith("\n"):
                pass
            out.append("TOO LONG")
            continue
        out.append(line)
    return out


@given(
    st.lists(
        st.text(st.sampled_from("ab\n"), max_size=12).map(
            lambda t: t.replace("\n", "")
        ),
        max_size=8,
    ),
    st.booleans(),
    st.integers(1, 7),
)
def test_blocks_of_lines_are_the_lines_read_one_at_a_time(
    lines: list[str], last_newline: bool, block: int
) -> None:
    text = "\n".join(lines) + ("\n" if last_newline and lines else "")
    with mock.patch.object(cli, "BLOCK", block), mock.patch.object(cli, "MAX_LINE", 5):
        found = [
            "TOO LONG" if type(line) is cli.BadJSON else line
            for lines_read in cli.line_blocks(io.StringIO(text[1:]), text[:1])
            for line in lines_read
        ]
    assert found == _lines_by_readline(text, 5)
