# Two entry points: `make chat` starts the product, `make test` runs every test.
# Both (re)install .venv/ when it is missing or older than pyproject.toml.
PY ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: chat test index eval bench

# uv resolves and installs the ~150 packages in about 20 s where pip takes about 2 min; pip only
# bootstraps uv itself into the venv, so nothing outside .venv/ is touched. --compile-bytecode, as
# pip does: else every first import in the test run compiles (and warns about) third-party code.
UV := $(VENV)/bin/uv
UV_INSTALL := $(UV) pip install -q --compile-bytecode --python $(VENV)/bin/python

$(UV):
	@test -x $(VENV)/bin/python || $(PY) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check 'uv>=0.9,<1'

$(STAMP): pyproject.toml | $(UV)
	$(UV_INSTALL) -e .
	@touch $@

$(TEST_STAMP): $(STAMP)
	$(UV_INSTALL) -e '.[test]'
	@touch $@

chat: $(STAMP)
	$(VENV)/bin/rag chat

index: $(STAMP)
	$(VENV)/bin/rag index

eval: $(STAMP)
	$(VENV)/bin/rag eval

bench: $(STAMP)
	$(VENV)/bin/rag bench

# Two workers (pytest-xdist), one per core; each has its own tmp folders, so its own RAG_HOME and
# Chroma. loadfile keeps a file's tests, and the index its module fixtures build, on one worker;
# files go out in the order tests/conftest.py sorts them (--no-loadscope-reorder).
test: $(TEST_STAMP)
	bash scripts/ensure-chromium
	$(VENV)/bin/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder
