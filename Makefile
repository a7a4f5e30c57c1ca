# Two entry points: `make chat` starts the product, `make test` runs every test.
# Both (re)install .venv/ when it is missing or older than pyproject.toml.
PY ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: chat test index eval bench

$(STAMP): pyproject.toml
	@test -x $(VENV)/bin/python || $(PY) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -e .
	@touch $@

$(TEST_STAMP): $(STAMP)
	$(VENV)/bin/python -m pip install -q -e '.[test]'
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
