# nanograph: the two README commands are `make run` and `make test`; both set everything up first
# (Debian's SuiteSparse and OpenBLAS, a virtual environment with the package) and are idempotent.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test test-slow docs bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/setup-system.sh
	sh scripts/setup-system.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -c "import sksparse.cholmod, nanograph; print('nanograph set up, CHOLMOD available')"
	touch $(STAMP)

run: setup
	$(BIN)/nanograph run --out out

test: setup
	$(BIN)/ruff check nanograph tests benchmarks examples
	$(BIN)/python -m pytest -q

test-slow: setup
	$(BIN)/python -m pytest -q -m slow

docs: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir out/site
	@echo "docs built in out/site (open out/site/index.html)"

bench: setup
	$(BIN)/python benchmarks/pipeline.py
	$(BIN)/python benchmarks/sweep.py

clean:
	rm -rf $(VENV) out .pytest_cache
