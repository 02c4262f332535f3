# nanograph: the two README commands are `make run` and `make test`; both set everything up first
# (Debian's SuiteSparse and OpenBLAS, a virtual environment with the package) and are idempotent.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test test-slow docs docs-check bench clean

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

# The docs serve MathJax and the offline-search shim themselves (nothing from a CDN): scripts/docs_assets.py
# fetches pinned, checksummed packages from the npm registry into out/docs-assets once (Debian's npm is
# installed first when there is no npm).
DOCS_ASSETS := out/docs-assets/.complete

$(DOCS_ASSETS): scripts/docs_assets.py | $(STAMP)
	sh scripts/setup-docs-system.sh npm
	$(BIN)/python scripts/docs_assets.py out/docs-assets

docs: setup $(DOCS_ASSETS)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir out/site
	@echo "docs built in out/site (open out/site/index.html, from disk or served)"

# The built site in a headless browser (Debian's chromium, installed here when missing): no external URL is
# loaded, the Foster teaching page's formulas are typeset, search answers from file:// and over http.
docs-check: docs
	sh scripts/setup-docs-system.sh chromium
	$(BIN)/python scripts/check_site.py out/site --all --screenshot out/docs-check

bench: setup
	$(BIN)/python benchmarks/pipeline.py
	$(BIN)/python benchmarks/sweep.py

clean:
	rm -rf $(VENV) out .pytest_cache
