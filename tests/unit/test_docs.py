"""The traceability table stays true: functions, codes and tests exist."""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest

import renewal_rules
import renewal_rules.frames  # the door's functions are traced too
from renewal_rules import ReasonCode, conditions
from renewal_rules.conditions import A4_CAPABILITY, Condition

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "traceability.md"

RULE_IDS = [
    *(f"E{i}" for i in range(1, 5)),
    "T1",
    "T2",
    *(f"A{i}" for i in range(1, 5)),
    "M1",
    "M2",
    "R1",
    "R2",
    *(f"B{i}" for i in range(1, 5)),
    *(f"Q{i}" for i in range(1, 23)),
    *(f"G{i}" for i in range(1, 7)),
    "A5",
    "N1",
    "N2",
    "N3",
    "C1",
    "C2",
    "C3",
    "P1",
    "P2",
    "P3",
    "R3",
]


def rows() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"[A-Z]\d+", cells[0]):
            found[cells[0]] = cells[1:]
    return found


def names(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def test_every_rule_id_is_traced() -> None:
    assert set(RULE_IDS) <= set(rows())


@pytest.mark.parametrize("rule", RULE_IDS)
def test_row_names_real_functions_codes_and_tests(rule: str) -> None:
    definitions, functions, codes, tests = rows()[rule]
    assert names(definitions)
    for name in names(definitions):
        where, attribute = name.split(".")
        found = getattr(importlib.import_module(f"renewal_rules.{where}"), attribute)
        if isinstance(found, Condition):
            assert found.rule == rule or (rule, found.rule) == ("E3", "E2")
    assert names(functions)
    for name in names(functions):
        obj: object = renewal_rules
        for part in name.split("."):
            obj = getattr(obj, part)
    for code in names(codes):
        ReasonCode(code)
    assert names(tests)
    for test in names(tests):
        path, *parts = test.split("::")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        obj = module
        for part in parts:
            obj = getattr(obj, part)
        assert callable(obj), test


def test_every_condition_is_traced_once_on_its_rule() -> None:
    listed: dict[str, list[str]] = {}
    for rule, cells in rows().items():
        for name in names(cells[0]):
            listed.setdefault(name, []).append(rule)
    for name, value in vars(conditions).items():
        if isinstance(value, Condition):
            assert listed.get(f"conditions.{name}", [None])[0] == value.rule, name
    assert set(A4_CAPABILITY.values()) <= set(conditions.CONDITIONS)


@pytest.mark.parametrize("rule", RULE_IDS)
def test_some_test_cites_the_rule(rule: str) -> None:
    cited = re.compile(rf"#.*\b{rule}\b")
    sources = (ROOT / "tests").rglob("test_*.py")
    assert any(cited.search(path.read_text(encoding="utf-8")) for path in sources)


def _tool(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reason_code_page_is_generated_from_the_catalogs() -> None:
    page = (ROOT / "docs" / "reason-codes.md").read_text(encoding="utf-8")
    assert page == _tool("gen_reason_codes").render(), (
        "run `python tools/gen_reason_codes.py`"
    )


def test_api_reference_is_generated_from_the_modules() -> None:
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert page == _tool("gen_api_reference").render(), (
        "run `python tools/gen_api_reference.py`"
    )


@pytest.mark.parametrize(
    "name",
    [
        "renewal_rules",
        "renewal_rules.conditions",
        "renewal_rules.dask",
        "renewal_rules.frames",
        "renewal_rules.plot",
        "renewal_rules.records",
        "renewal_rules.sample",
        "renewal_rules.serde",
        "renewal_rules.strategies",
    ],
)
def test_api_reference_links_every_public_name(name: str) -> None:
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert f"\n::: {name}\n" in page
    for public in importlib.import_module(name).__all__:
        assert f"[`{public}`][{name}.{public}]" in page, public


def test_docstrings_use_links_not_sphinx_roles() -> None:
    role = re.compile(r":(class|func|meth|attr|data|mod|exc|obj):`")
    for path in (ROOT / "src").rglob("*.py"):
        assert not role.search(path.read_text(encoding="utf-8")), path


def test_every_docs_page_is_in_the_site_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in (ROOT / "docs").glob("*.md"):
        assert f" {page.name}" in nav, page.name


def test_no_test_file_imports_another() -> None:
    imports = re.compile(r"^\s*(from|import) tests\.(unit|property|spark)\b", re.M)
    for path in (ROOT / "tests").rglob("test_*.py"):
        assert not imports.search(path.read_text(encoding="utf-8")), path
