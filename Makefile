# Gratitude Press. Quick start: `make html`, then `make test`.
# Each target bootstraps .venv/ from requirements.txt the first time.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
SITE := PYTHONPATH=plugins $(BIN)/python -m gratitude_press
PELICAN_ARGS := content -o output -s pelicanconf.py
# Tells the kit which file to name in messages about settings (``pelican`` does not).
DEV_ARGS := -e 'GRATITUDE_SETTINGS_FILE="pelicanconf.py"'

.PHONY: html publish serve devserver regenerate clean test digest bench

$(READY): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Gratitude Press needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get install -y -q python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); \
	  else echo "python3 -m venv failed: install python3-venv (sudo apt-get install python3-venv)"; exit 1; fi; }
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt
	@touch $@

html: $(READY)
	$(SITE) build

publish: $(READY)
	$(SITE) build -s publishconf.py --strict

serve: $(READY)
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory output

devserver: $(READY)
	$(BIN)/pelican -lr $(PELICAN_ARGS) $(DEV_ARGS) -b 127.0.0.1 -p $(PORT)

regenerate: $(READY)
	$(BIN)/pelican -r $(PELICAN_ARGS) $(DEV_ARGS)

digest: $(READY)
	$(SITE) digest

bench: $(READY)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

test: $(READY)
	@bash tests/setup-system.sh
	$(BIN)/python -m pytest

clean:
	rm -rf output .output.* cache __pycache__ .pytest_cache test-results
