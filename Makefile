# The two entry points the README promises: `make demo` and `make test`.
# Both create .venv on first use, so they work on a fresh clone with only Python 3.11+.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: demo test lint bench bench-render charts clean

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

# render -f svg,png as a whole command next to bare Graphviz (issue 4's targets)
bench-render: $(BIN)/escalation-charts
	$(BIN)/python bench/render.py

# the example charts under docs/charts (tests/test_render_docs.py checks they are current)
charts: $(BIN)/escalation-charts
	$(BIN)/python docs/charts/regenerate.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache build *.egg-info
