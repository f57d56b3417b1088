# Two commands for a newcomer: `make app` and `make test`. Each sets up .venv when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8866
# Kernels kept pre-heated for the app page, so arrivals open it fast (the facilitator page keeps one;
# other pages start a kernel each). Each kernel holds ~230 MB.
POOL   ?= 2
# Most kernels alive at once (one per open page): past it a page says "the room is full, retry".
MAX_KERNELS ?= 48
# Beyond loopback (HOST=0.0.0.0) the app needs an access code: CODE=... (passed in the environment,
# not on a command line), else one is generated; the facilitator page gets its own code and port (PORT+1).
CODE   ?=
STAMP  := $(VENV)/.installed
# Some machines set PYTHONDONTWRITEBYTECODE: then every run recompiles the package and pytest
# rewrites every test file's asserts again (~7 s a run, and again in each xdist worker).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup app hub hub-setup lab test test-fast lint bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the dependency list changes: a second `make` is instant.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[app,test]'
	@touch $@

setup: $(STAMP)

app: setup
	$(if $(CODE),MLOPS_WORKBOOK_CODE='$(CODE)' ,)$(BIN)/python -m mlops_workbook.serve \
		--host $(HOST) --port $(PORT) --pool $(POOL) --max-kernels $(MAX_KERNELS)

# JupyterHub's proxy (npm) in a project-local folder; JupyterHub itself comes with `setup` (pyproject test list).
HUB_PROXY := .hub/node_modules/.bin/configurable-http-proxy
$(HUB_PROXY):
	npm install --prefix .hub --no-audit --no-fund --loglevel=error configurable-http-proxy@5

hub-setup: setup $(HUB_PROXY)

# A JupyterHub on loopback for a try-out: logins, one server per user opened on the app (deploy/jupyterhub).
HUB_PASSWORD ?= workbook-try-out
hub: hub-setup
	@echo "mlops-workbook hub: http://127.0.0.1:8000  users alice, bob (respondents), fay (facilitator);"
	@echo "                    password '$(HUB_PASSWORD)'; fay's facilitator page: /user/fay/voila/render/50-workshop.ipynb"
	MLOPS_WORKBOOK_HUB_SETTINGS=deploy/jupyterhub/try-out.yaml MLOPS_WORKBOOK_HUB_PASSWORD='$(HUB_PASSWORD)' \
		$(BIN)/jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

# Jupyter refuses to run as root unless told (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

# Everything: unit tests, doctests, mypy, notebooks (nbval), kernels and headless Chromium.
test: setup hub-setup
	$(BIN)/python -m pytest

# The inner loop: no browser, no kernel, no process, nothing marked slow (48 s on a quiet 2-core machine).
# nbval is switched off (notebooks run in kernels); the test files run on both cores (pytest-xdist);
# property tests try at most 10 examples each (tests/conftest.py; `make test` keeps their full counts).
FAST_MARKS := not browser and not notebook and not slow
test-fast: setup
	MLOPS_WORKBOOK_HYPOTHESIS=fast $(BIN)/python -m pytest -p no:nbval -o addopts=-ra -n 2 --dist worksteal -m "$(FAST_MARKS)" tests

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python benchmarks/workshop.py
	$(BIN)/python benchmarks/reports.py
	$(BIN)/python benchmarks/app.py
	$(BIN)/python benchmarks/chart_update.py
	$(BIN)/python benchmarks/redraw.py
	$(BIN)/python benchmarks/portfolio.py
	$(BIN)/python benchmarks/room.py --participants 40 --ramp 60
	$(BIN)/python benchmarks/room.py --participants 30 --ramp 0

screenshots: setup
	$(BIN)/python scripts/make_figures.py
	$(BIN)/python scripts/make_screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
