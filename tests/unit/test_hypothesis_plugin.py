"""The ``hypothesis`` entry point registers every public model type."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renewal_rules import (
    Account,
    Actor,
    BatchPlan,
    DateWindow,
    Decision,
    Market,
    PaymentMethod,
    Promotion,
    Quote,
    QuoteLine,
    Reason,
    Recipient,
    RenewalPolicy,
    RenewalRequirement,
    StageDates,
    Subscription,
    TimelineEvent,
    serde,
)
from renewal_rules._hypothesis_plugin import _hypothesis_setup_hook

ROOT = Path(__file__).resolve().parents[2]
MODEL_TYPES = [
    PaymentMethod,
    Market,
    Subscription,
    Account,
    Actor,
    RenewalPolicy,
    Recipient,
    QuoteLine,
    Quote,
    Promotion,
]
VALUE_TYPES = [
    Reason,
    Decision,
    RenewalRequirement,
    DateWindow,
    StageDates,
    TimelineEvent,
    BatchPlan,
]


def test_setup_hook_registers_every_model_type() -> None:
    _hypothesis_setup_hook()  # idempotent: the entry point already ran it

    @settings(max_examples=30)
    @given(st.tuples(*(st.from_type(cls) for cls in MODEL_TYPES)))
    def check(values: tuple[object, ...]) -> None:
        for cls, value in zip(MODEL_TYPES, values, strict=True):
            assert type(value) is cls

    check()


def test_from_type_draws_every_public_value_type() -> None:
    @settings(max_examples=20)
    @given(st.tuples(*(st.from_type(cls) for cls in VALUE_TYPES)))
    def check(values: tuple[object, ...]) -> None:
        for cls, value in zip(VALUE_TYPES, values, strict=True):
            assert type(value) is cls
            # A value the library could return: it survives its own reader.
            assert serde.from_dict(cls, serde.to_dict(value)) == value

    check()


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A non-editable install of a freshly built wheel, in its own folder."""
    tmp = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [
            *pip,
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp / "dist").glob("renewal_rules-*.whl")
    target = tmp / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    return target


@pytest.mark.slow
def test_from_type_works_from_an_installed_wheel(installed_wheel: Path) -> None:
    # A clean interpreter (-I: no PYTHONPATH, no user site, not this folder)
    # that finds the wheel's copy first; Hypothesis comes from site-packages.
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(installed_wheel)!r})
        from hypothesis import given, settings, strategies as st
        import renewal_rules
        from renewal_rules import Quote, Subscription

        where = renewal_rules.__file__
        assert where.startswith({str(installed_wheel)!r}), where

        @settings(max_examples=20, database=None)
        @given(st.from_type(Subscription), st.from_type(Quote))
        def check(sub, quote):
            assert type(sub) is Subscription and type(quote) is Quote

        check()
        print("ok")
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    result = subprocess.run(
        [sys.executable, "-I", "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=installed_wheel,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
