# The two commands a newcomer needs: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Development settings (DEBUG on, a random secret key) live in .env.dev, written on first use;
# manage.py reads it by itself.
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint format createsuperuser shell clean bench stress mutate

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

.env.dev:
	printf 'DJANGO_DEBUG=1\nDJANGO_SECRET_KEY=%s\n' \
		"$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote .env.dev with development settings (DEBUG on, a random secret key)."

run: $(STAMP) .env.dev
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	@echo
	@echo "  The site: http://127.0.0.1:8000/   The admin: http://127.0.0.1:8000/admin/"
	@echo "  Create an admin account with:  make createsuperuser"
	@echo
	$(MANAGE) runserver 127.0.0.1:8000

createsuperuser: $(STAMP) .env.dev
	$(MANAGE) createsuperuser

shell: $(STAMP) .env.dev
	$(MANAGE) shell

# pytest exits 5 when it collected no tests; here that is a failure, not a pass.
test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; \
	exit $$rc

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache

# The read-scale benchmark (nginx and wrk from Debian's packages; it says if they are missing).
bench: $(STAMP)
	$(BIN)/python -m bench.site

# Concurrent writes against gunicorn and nginx (needs DATABASE_URL, REDIS_URL and nginx).
stress: $(STAMP)
	$(BIN)/python -m bench.stress

# Mutation testing of the comment text pipeline and the Persian folding (configured in
# pyproject.toml's [tool.mutmut]); prints the score per module. Takes minutes, so it is not part
# of `make test`. MUTATE_JOBS sets the parallel workers (default: one per core).
mutate: $(STAMP)
	rm -rf mutants
	$(BIN)/mutmut run $(if $(MUTATE_JOBS),--max-children $(MUTATE_JOBS))
	$(BIN)/python -m bench.mutation
