# The two entry points the README promises: `make demo` and `make test`.
# Both create .venv on first use, so they work on a fresh clone with only Python 3.11+.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: demo test lint bench clean

$(BIN)/escalation-charts: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/escalation-charts
	$(BIN)/escalation-charts validate examples/*.yaml

test: $(BIN)/escalation-charts
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(BIN)/escalation-charts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(BIN)/escalation-charts
	$(BIN)/python bench/validate.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache build *.egg-info
