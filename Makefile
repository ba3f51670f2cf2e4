# Fundwatch — the two commands a newcomer runs are `make run` and `make test`.
# Each creates what it needs: the virtual environment from requirements.lock,
# and (for the browser tests) Debian's chromium when the machine lacks it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed
DATA := var/demo
export FUNDWATCH_HOME ?= $(CURDIR)/var

.PHONY: run test lint typecheck pytest pytest-pg bench bench-screen env lock system-deps serve clean

env: $(STAMP)

# Bytecode is compiled at install: a machine that sets PYTHONDONTWRITEBYTECODE would otherwise compile
# Polars, numpy and Django from source in every process (about 0.4 s of each command's start).
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install -q --python $(BIN)/python --compile-bytecode --require-hashes -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m compileall -q fundwatch
	touch $(STAMP)

# Debian packages the browser tests need; installed only when missing and only as root.
system-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null; \
	  else echo "请以 root 运行一次: apt-get install chromium chromium-driver fonts-noto-cjk (浏览器测试需要)"; fi; \
	fi

run: env
	$(BIN)/fundwatch demo-setup
	$(BIN)/fundwatch serve

serve: env
	$(BIN)/fundwatch serve

lint: env
	$(BIN)/ruff check fundwatch tests bench

typecheck: env
	$(BIN)/mypy

pytest: env system-deps
	$(BIN)/pytest -q

# The platform's tests again, against the production database. A missing server
# is a failure with a message, never a silent pass.
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
pytest-pg: env
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m "not browser" tests/web tests/reports/platform

test: lint typecheck pytest pytest-pg

bench: env
	$(BIN)/uv pip install -q --python $(BIN)/python --compile-bytecode --require-hashes -r requirements-bench.lock
	$(BIN)/python bench/run.py

bench-screen: env
	$(BIN)/python bench/run.py screen

# Re-pin after editing pyproject.toml.
lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -q -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra bench --generate-hashes --python-version 3.11 -q -o requirements-bench.lock

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache
