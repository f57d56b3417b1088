# Two commands for a newcomer: `make app` and `make test`. Each sets up .venv when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8866
# Voila pre-starts this many kernels so the first page opens fast (each ~250-300 MB).
POOL   ?= 2
STAMP  := $(VENV)/.installed

.PHONY: setup app lab test lint bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the dependency list changes: a second `make` is instant.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[app,test]'
	@touch $@

setup: $(STAMP)

app: setup
	$(BIN)/python -m mlops_workbook.serve --host $(HOST) --port $(PORT) --pool $(POOL)

# Jupyter refuses to run as root unless told (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python benchmarks/workshop.py
	$(BIN)/python benchmarks/reports.py
	$(BIN)/python benchmarks/app.py

screenshots: setup
	$(BIN)/python scripts/make_figures.py
	$(BIN)/python scripts/make_screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
