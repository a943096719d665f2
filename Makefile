# Two commands do all the set-up on a fresh machine:
#   make demo   -> installs, then runs the main job on bundled data
#   make test   -> installs, then runs the test suite
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

$(VENV)/.installed: pyproject.toml constraints-cpu.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints-cpu.txt torch
	$(BIN)/python -m pip install --quiet -c constraints-cpu.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/skrnn compare --dataset airline --fh 12 --plot leaderboard.png

test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2

.PHONY: install demo test

# The suite against the oldest skorch that pyproject.toml allows, laid over the
# environment's newer one; keeps the lower bound honest.
OLDEST_SKORCH = 1.2.0
test-oldest-skorch: $(VENV)/.installed
	rm -rf build/skorch-$(OLDEST_SKORCH)
	$(BIN)/python -m pip install --quiet --no-deps \
		--target build/skorch-$(OLDEST_SKORCH) skorch==$(OLDEST_SKORCH)
	PYTHONPATH=build/skorch-$(OLDEST_SKORCH) $(BIN)/python -c \
		"import skorch; assert skorch.__version__ == '$(OLDEST_SKORCH)', skorch.__version__"
	PYTHONPATH=build/skorch-$(OLDEST_SKORCH) $(BIN)/python -m pytest -n 2 -q

.PHONY: test-oldest-skorch

# Build the documentation (runs every gallery example; SKRNN_QUICK=1 for the
# quick mode CI uses) into docs/_build/html.
docs: $(VENV)/.installed
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

.PHONY: docs
