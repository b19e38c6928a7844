# The lab site. Quick start: `make html` builds it, `make test` tests it.
# Both set up .venv (Python packages) on first use; `make help` lists the rest.

PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PELICAN := $(BIN)/pelican
PAPERS := $(BIN)/pelican-papers

INPUTDIR ?= content
OUTPUTDIR ?= output
CONFFILE ?= pelicanconf.py
PUBLISHCONF ?= publishconf.py
PORT ?= 8000
# Both cores (pytest-xdist): one worker a core, each with its own chromium.
PYTEST_ARGS ?= -n 2
BENCH_ARGS ?=

.PHONY: help html devserver publish check import sync test test-unit lint bench screenshot clean

help:
	@echo 'make html        build the site into $(OUTPUTDIR)/ (previous output kept on errors)'
	@echo 'make devserver   serve on http://127.0.0.1:$(PORT) and rebuild on changes (PORT=8000)'
	@echo 'make publish     build with $(PUBLISHCONF) (absolute URLs) into $(OUTPUTDIR)/'
	@echo 'make check       validate the content without building'
	@echo 'make import KIND=bibtex SOURCE=papers.bib   import into $(INPUTDIR)/ (KIND: jekyll, lwt, bibtex, arxiv, doi)'
	@echo 'make sync        the works of members with an Orcid:/Openalex: line (pelican-papers sync)'
	@echo 'make test        ruff, then every test (tests/unit, tests/site, tests/browser)'
	@echo 'make test-unit   only the fast tests of each layer (tests/unit: no site, no chromium)'
	@echo 'make bench       floor, cold, warm, edit-to-page at 1,000 and 10,000 papers (BENCH_ARGS="--sizes 1000")'
	@echo 'make screenshot  take docs/neurips-2022.png (the README picture) in chromium'
	@echo 'make clean       remove the output and caches'

# The Python environment: dependencies and the plugin, installed editable once, so
# that pelican, pelican-papers and pytest all run the working tree's code.
$(VENV)/.deps: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip 'setuptools>=77'
	$(BIN)/python -m pip install -q -e '.[test]'
	rm -rf build
	touch $@

html: $(VENV)/.deps
	$(PAPERS) build $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE)

publish: $(VENV)/.deps
	$(PAPERS) build $(INPUTDIR) -o $(OUTPUTDIR) -s $(PUBLISHCONF)

devserver: $(VENV)/.deps
	$(PELICAN) -lr $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) -b 127.0.0.1 -p $(PORT)

check: $(VENV)/.deps
	$(PAPERS) check $(INPUTDIR) -s $(CONFFILE)

# `pelican-papers import KIND SOURCE... --into content` without activating .venv.
KIND ?=
SOURCE ?=
import: $(VENV)/.deps
	@test -n "$(KIND)" -a -n "$(SOURCE)" || { \
	  echo 'usage: make import KIND=jekyll|lwt|bibtex|arxiv|doi SOURCE="FILE-OR-ID ..."'; exit 2; }
	$(PAPERS) import $(KIND) $(SOURCE) --into $(INPUTDIR)

# `pelican-papers sync content`; says so when this version has no sync command yet.
sync: $(VENV)/.deps
	@if $(PAPERS) sync --help >/dev/null 2>&1; then \
	  $(PAPERS) sync $(INPUTDIR); \
	else \
	  echo "make sync needs 'pelican-papers sync', which this version of the plugin does not have yet"; \
	  exit 1; \
	fi

lint: $(VENV)/.deps
	$(BIN)/ruff check plugins tests bench pelicanconf.py publishconf.py
	$(BIN)/ruff format --check plugins tests bench pelicanconf.py publishconf.py

# The browser tests' tools, pinned in package-lock.json: axe-core and vnu-jar.
# --ignore-scripts: vnu-jar's install script would download a Java runtime; the
# tests use the system's (apt-get install default-jre-headless).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --ignore-scripts --no-audit --no-fund && touch $@; \
	else \
	  echo "npm is missing: the browser tests skip (apt-get install npm)"; \
	fi

test: $(VENV)/.deps node_modules/.installed lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The layers on their own: parsers, rules, the module graph, http against loopback
# servers. Builds no site, starts no Pelican, needs neither chromium nor Java.
test-unit: $(VENV)/.deps
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

screenshot: $(VENV)/.deps node_modules/.installed
	$(BIN)/python -m pytest -q \
	  "tests/browser/test_browser_pages.py::test_every_image_loads[desktop-neurips-2022]"
	mkdir -p docs
	cp tests/artifacts/readme-neurips-2022.png docs/neurips-2022.png

bench: $(VENV)/.deps
	$(BIN)/python -m bench $(BENCH_ARGS)

# .output.*: the staging folder of a build that was killed (kill -9, power cut);
# a build stopped with Ctrl-C or SIGTERM removes its own.
clean:
	rm -rf $(OUTPUTDIR) $(dir $(OUTPUTDIR)).$(notdir $(OUTPUTDIR)).* __pycache__ .pytest_cache cache build *.egg-info
