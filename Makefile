# Quick start on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit clean

# Reinstall when the project's metadata changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,hypothesis,serde,frames,dask,plot]'
	touch $(STAMP)

# The demo needs the core alone (attrs, python-dateutil): its own small venv.
DEMO_VENV := .venv-demo
DEMO_STAMP := $(DEMO_VENV)/.installed
$(DEMO_STAMP): pyproject.toml
	$(PYTHON) -m venv $(DEMO_VENV)
	$(DEMO_VENV)/bin/python -m pip install --quiet -e .
	touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	$(DEMO_VENV)/bin/python -m renewal_rules

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy --strict src tests benchmarks tools

# Branch coverage of src/ (less the command line, cli/ and __main__.py,
# run end to end by tests/unit/test_cli.py) must stay at 100%. Two pytest
# workers: the suite (with a two-worker Dask LocalCluster test) in about two
# minutes on a 2-core machine.
unit: $(STAMP)
	$(BIN)/pytest -n 2 --cov --cov-report=term

test: lint typecheck unit

clean:
	rm -rf $(VENV) .venv-spark .venv-demo .pytest_cache .mypy_cache .ruff_cache .hypothesis

.PHONY: bench
# Not part of `make test`: a million subscriptions take about a minute.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --size 1000000 --quotes 10000 --timeline 100000 --repeat 3

.PHONY: test-spark
# The Spark recipe of docs/scale-out.md, read from the page and run on a
# local Spark session (needs a Java runtime); .ci/run runs it after `make
# test`. Its own venv: Spark 4.1 or later has applyInArrow on batches, and
# PySpark does not yet support pandas 3.
SPARK_VENV := .venv-spark
SPARK_STAMP := $(SPARK_VENV)/.installed
$(SPARK_STAMP): pyproject.toml
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SPARK_VENV)/bin/python -m pip install --quiet -e '.[frames,hypothesis]' \
		pytest 'pyspark>=4.1,<5' 'pandas<3'
	touch $(SPARK_STAMP)

test-spark: $(SPARK_STAMP)
	$(SPARK_VENV)/bin/pytest -m spark tests/spark

.PHONY: bench-scale
# Not part of `make test`: 10,000,000 rows planned in one process, on a
# Dask LocalCluster(2) and on Spark local[2] (docs/scale-out.md), then
# explained by the command line from JSON Lines (about five minutes here).
bench-scale: $(STAMP) $(SPARK_STAMP)
	$(BIN)/python benchmarks/scale_run.py --size 10000000 \
		--spark-python $(SPARK_VENV)/bin/python

.PHONY: mutation
# Not part of `make test`: runs the suite once per mutant (see docs/testing.md).
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet 'mutmut==3.8.1'
	rm -rf mutants
	HYPOTHESIS_PROFILE=mutation $(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results > mutation-results.txt || true
	$(BIN)/python tools/mutation_score.py

.PHONY: docs
# The documentation site, warnings as errors; the reason-code page
# and the reference are regenerated from the code first (tests/unit/test_docs.py
# fails when the committed pages differ).
docs: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[docs,plot]'
	$(BIN)/python tools/gen_reason_codes.py
	$(BIN)/python tools/gen_api_reference.py
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict
