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
	$(BIN)/skrnn demo

test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2

.PHONY: install demo test
