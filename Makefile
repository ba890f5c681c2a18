# The two commands a newcomer needs: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Development settings (DEBUG on, a random secret key) live in .env.dev, written on first use;
# manage.py reads it by itself.
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint format createsuperuser shell clean bench stress spike archive mutate fonts messages

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

.env.dev:
	printf 'DJANGO_DEBUG=1\nDJANGO_SECRET_KEY=%s\n' \
		"$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote .env.dev with development settings (DEBUG on, a random secret key)."

# Where `make run` listens: `make run PORT=8001`, `make run ADDRESS=0.0.0.0 PORT=8001` (every
# address of this machine; other machines also need DJANGO_ALLOWED_HOSTS to name it).
ADDRESS ?= 127.0.0.1
PORT ?= 8000
# runserver wants an IPv6 address in brackets; a browser on this machine reaches an address
# that means "all of them" (0.0.0.0, ::) through the loopback address.
LISTEN := $(if $(findstring :,$(ADDRESS)),[$(ADDRESS)],$(ADDRESS)):$(PORT)
BROWSE := http://$(if $(filter 0.0.0.0,$(ADDRESS)),127.0.0.1,$(if $(filter ::,$(ADDRESS)),[::1],$(if $(findstring :,$(ADDRESS)),[$(ADDRESS)],$(ADDRESS)))):$(PORT)

run: $(STAMP) .env.dev
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	@echo
	@echo "  The site: $(BROWSE)/   The admin: $(BROWSE)/admin/"
	$(if $(filter 0.0.0.0 ::,$(ADDRESS)),@echo "  Listening on every address of this machine: other machines reach it by a name listed in DJANGO_ALLOWED_HOSTS.")
	@echo "  Create an admin account with:  make createsuperuser"
	@echo
	$(MANAGE) runserver $(LISTEN)

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

# The per-reader paths of a traffic spike: the comment form, CAPTCHA images and submissions at
# the origin, then 2,000 readers in a minute through nginx (needs DATABASE_URL on PostgreSQL,
# REDIS_URL, nginx and wrk; bench/spike.py). Prints each figure against its target.
spike: $(STAMP)
	$(BIN)/python -m bench.spike

# Search and the public pages with 10,000 statements (needs DATABASE_URL on PostgreSQL; seeds
# <name>_archive once, ARCHIVE_RESEED=1 seeds it again); prints each against its target.
archive: $(STAMP)
	$(BIN)/python -m bench.archive

# Concurrent writes against gunicorn and nginx (needs DATABASE_URL, REDIS_URL and nginx).
stress: $(STAMP)
	$(BIN)/python -m bench.stress

# Mutation testing of the comment text pipeline and the Persian folding (configured in
# pyproject.toml's [tool.mutmut]); prints the score per module; then the hand-made mutants of
# the module-level patterns that mutmut leaves alone (bench/pattern_mutants.py). Takes minutes,
# so it is not part of `make test`. MUTATE_JOBS sets the parallel workers (default: one per core).
mutate: $(STAMP)
	rm -rf mutants
	$(BIN)/mutmut run $(if $(MUTATE_JOBS),--max-children $(MUTATE_JOBS))
	$(BIN)/python -m bench.mutation; a=$$?; $(BIN)/python -m bench.pattern_mutants; b=$$?; \
	exit $$((a || b))

# The site's one typeface, Vazirmatn, for Persian and for Latin (static/fonts/, committed: a
# fresh clone needs no npm). Its weight axis is cut to 400-700, the weights site.css uses, and
# it is split in two files by script, so that a page fetches only the scripts it shows.
# Rebuild after changing the version or the ranges; the README says how big they are.
VAZIRMATN := 33.0.3
FONT_RANGES := U+0600-06FF,U+200C-200F,U+FB50-FB9F,U+FBFC-FBFF,U+FE70-FEFF,U+00AB,U+00BB
LATIN_RANGES := U+0020-007E,U+00A0-00AA,U+00AC-00BA,U+00BC-00FF,U+2013-2014,U+2018-201D,U+2022,U+2026,U+20AC
fonts: $(STAMP)
	mkdir -p .cache/fonts static/fonts
	cd .cache/fonts && npm pack --silent vazirmatn@$(VAZIRMATN) && tar xzf vazirmatn-$(VAZIRMATN).tgz
	$(BIN)/fonttools varLib.instancer ".cache/fonts/package/fonts/variable/Vazirmatn[wght].ttf" \
		wght=400:700 --quiet --output=.cache/fonts/vazirmatn-400-700.ttf
	$(BIN)/pyftsubset .cache/fonts/vazirmatn-400-700.ttf \
		--unicodes="$(FONT_RANGES)" --layout-features='*' --flavor=woff2 \
		--output-file=static/fonts/vazirmatn-arabic.woff2
	$(BIN)/pyftsubset .cache/fonts/vazirmatn-400-700.ttf \
		--unicodes="$(LATIN_RANGES)" --layout-features='kern,liga,mark,mkmk' --flavor=woff2 \
		--output-file=static/fonts/vazirmatn-latin.woff2
	cp .cache/fonts/package/OFL.txt static/fonts/Vazirmatn-OFL.txt
	# The OpenGraph images' one font (pages/opengraph.py): Latin and Arabic script together.
	$(BIN)/pyftsubset .cache/fonts/package/fonts/ttf/Vazirmatn-Bold.ttf \
		--unicodes="U+0020-007E,U+00A0-00FF,U+0600-06FF,U+200C-200F,U+2010-2027,U+202A-202E,U+2066-2069,U+FB50-FDFF,U+FE70-FEFF" \
		--layout-features='*' --flavor=woff2 --output-file=pages/fonts/vazirmatn-bold-opengraph.woff2
	cp .cache/fonts/package/OFL.txt pages/fonts/Vazirmatn-OFL.txt
	@ls -l static/fonts/vazirmatn-*.woff2

# The Persian catalog: collect new strings, translate them in locale/fa/LC_MESSAGES/django.po,
# then compile (the compiled .mo is committed, so that a fresh clone shows Persian at once).
messages: $(STAMP) .env.dev
	$(MANAGE) makemessages -l fa --no-obsolete --extension=html,txt,py,xsl --ignore=.venv --ignore=tests --ignore=bench \
		--ignore=staticfiles --ignore=test-artifacts --ignore=.cache
	$(MANAGE) compilemessages -l fa --ignore=.venv --ignore=.cache
