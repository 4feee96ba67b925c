"""The command line: ``python -m renewal_rules``."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from renewal_rules.__main__ import main
from renewal_rules._sample import SAMPLE_PORTFOLIO


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
    assert "[2027-03-02, 2027-05-31)" in text


def test_sample_shows_each_mode() -> None:
    text = run()
    line = next(line for line in text.splitlines() if line.startswith("S-HEALTHY"))
    assert "automatic" in line
    line = next(line for line in text.splitlines() if line.startswith("S-TRIAL"))
    assert "none" in line
    line = next(line for line in text.splitlines() if line.startswith("S-ALIPAY"))
    assert "manual" in line


def test_french() -> None:
    text = run("--lang", "fr")
    assert text.startswith("Portefeuille d'exemple, au 2027-03-01\n")
    assert "Solution : Convertissez la version d'évaluation en abonnement." in text
    assert "automatique" in text


def test_as_of_changes_the_answer() -> None:
    text = run("--as-of", "2027-05-01")
    line = next(line for line in text.splitlines() if line.startswith("S-ALIPAY"))
    assert "none" in line


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
