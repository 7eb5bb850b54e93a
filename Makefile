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

.PHONY: html publish deploy serve devserver regenerate clean test digest send bench

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

# Builds like `publish`, then uploads output/ to DEPLOY (publishconf.py).
# DEPLOY_ARGS=--dry-run lists the changes; --no-build uploads the last `make publish`.
deploy: $(READY)
	$(SITE) deploy -s publishconf.py $(DEPLOY_ARGS)

serve: $(READY)
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory output

devserver: $(READY)
	$(BIN)/pelican -lr $(PELICAN_ARGS) $(DEV_ARGS) -b 127.0.0.1 -p $(PORT)

regenerate: $(READY)
	$(BIN)/pelican -r $(PELICAN_ARGS) $(DEV_ARGS)

digest: $(READY)
	$(SITE) digest

# Sends the newest issue the way DIGEST_SEND_PATH says (README, "Newsletter digest").
# smtp path: RECIPIENTS=subscribers.csv; SEND_ARGS=--dry-run shows who would get what.
send: $(READY)
	$(SITE) send $(if $(RECIPIENTS),--recipients $(RECIPIENTS)) $(SEND_ARGS)

bench: $(READY)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

test: $(READY)
	@bash tests/setup-system.sh
	$(BIN)/python -m pytest

clean:
	rm -rf output .output.* cache __pycache__ .pytest_cache test-results
