# Gratitude Press. Quick start: `make html`, then `make test`.
# Each target bootstraps .venv/ from requirements.txt the first time, then installs
# the kit itself there: every site target runs its one command, `gratitude-press`.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
GP := $(BIN)/gratitude-press

.PHONY: html publish deploy serve devserver regenerate clean test digest send check \
	bench

$(READY): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Gratitude Press needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get install -y -q python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); \
	  else echo "python3 -m venv failed: install python3-venv (sudo apt-get install python3-venv)"; exit 1; fi; }
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-build-isolation \
	  --no-deps -e .
	@touch $@

# Builds output/; the checks of `make check` only warn here.
html: $(READY)
	$(GP) build --check=warn

# Strict build for the real domain: any warning or check problem fails it, and
# output/ stays as it was.
publish: $(READY)
	$(GP) build -s publishconf.py --strict --check

# Builds like `publish`, then uploads output/ to DEPLOY (publishconf.py).
# DEPLOY_ARGS=--dry-run lists the changes; --no-build uploads the last `make publish`.
deploy: $(READY)
	$(GP) check -s publishconf.py --no-build
	$(GP) deploy -s publishconf.py $(DEPLOY_ARGS)

# Is the site ready to publish as yours? One line per problem (README, Adopting).
check: $(READY)
	$(GP) check

serve: $(READY)
	$(GP) serve -p $(PORT)

# Serves, rebuilds after every save and reloads the browser; drafts under /preview/.
devserver: $(READY)
	$(GP) dev -p $(PORT)

regenerate: $(READY)
	$(GP) dev --no-serve

digest: $(READY)
	$(GP) digest

# Sends the newest issue the way DIGEST_SEND_PATH says (README, "Newsletter digest").
# smtp path: RECIPIENTS=subscribers.csv; SEND_ARGS=--dry-run shows who would get what.
send: $(READY)
	$(GP) send $(if $(RECIPIENTS),--recipients $(RECIPIENTS)) $(SEND_ARGS)

bench: $(READY)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

test: $(READY)
	@bash tests/setup-system.sh
	$(BIN)/python -m pytest

clean:
	rm -rf output .output.* cache __pycache__ .pytest_cache test-results
