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

# Validate the shipped examples, then write every output of each into $(OUT)/.
demo: $(BIN)/escalation-charts
	$(BIN)/escalation-charts validate examples/
	$(BIN)/escalation-charts render examples/ -f svg,png,pdf,dot -o $(OUT)/charts
	$(BIN)/escalation-charts matrix examples/ -o $(OUT)/matrix
	$(BIN)/escalation-charts audit examples/ -o $(OUT)/audit
	$(BIN)/escalation-charts slides examples/ -o $(OUT)/decks
	$(BIN)/escalation-charts export examples/ -o $(OUT)/exports
	@echo "demo: open $(OUT)/charts/*.png, $(OUT)/audit/*-audit.html and $(OUT)/decks/*.pptx"

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
