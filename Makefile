# Every target sets up .venv when it is missing, so each is one command on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test lint typecheck cypher-lint schema bench check clean web browser-deps

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

serve: $(STAMP) ## the server on the embedded ArcadeDB (PROVGRAPH_ENGINE=neo4j: a local Neo4j; PROVGRAPH_NEO4J_URI: yours)
	$(BIN)/provgraph serve $(ARGS)

test: $(STAMP) ## the whole test suite against a real engine
	$(BIN)/pytest $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

.ci/cypher-lint/node_modules: .ci/cypher-lint/package.json
	cd .ci/cypher-lint && npm install --no-audit --no-fund --loglevel=error
	touch $@

cypher-lint: $(STAMP) .ci/cypher-lint/node_modules ## Neo4j's Cypher 5 analyser over cypher/
	$(BIN)/python .ci/lint_cypher.py

schema: $(STAMP) ## re-export schema.graphql from the code
	$(BIN)/provgraph schema -o schema.graphql

bench: $(STAMP) ## benchmarks printed as ratios
	$(BIN)/python -m bench $(ARGS)

# The pages' assets are built from web/ and committed (src/provgraph/web/static), so `make serve`
# needs no npm; after changing web/, rebuild them with this and commit the result.
web:
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run typecheck && npm run build

# What tests/browser needs: playwright-core from npm and Debian's chromium.
browser-deps:
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	command -v chromium >/dev/null || bash .ci/install_chromium

check: lint typecheck cypher-lint test

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache dist build .ci/cypher-lint/node_modules \
		web/node_modules tests/browser/node_modules tests/browser/artifacts
