# The portal's commands. `make demo` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# pytest-xdist processes, each with its own test database: "auto" is one per CPU core.
TEST_WORKERS ?= auto
# pytest keeps the test modules (and plugins) it rewrites for assertions as bytecode; where the
# environment turns bytecode off, every run and every worker would compile them all again.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n $(TEST_WORKERS)
# The demo always runs embedded (SQLite, eager Celery, console e-mail), whatever the shell exports.
EMBEDDED := env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL -u EMAIL_URL DEBUG=1

.PHONY: demo test test-fast lint fmt messages worker beat bench check-deploy clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	mkdir -p var
	$(EMBEDDED) $(BIN)/python manage.py migrate --noinput
	$(EMBEDDED) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(EMBEDDED) $(BIN)/python manage.py load_demo
	$(EMBEDDED) $(BIN)/python manage.py runserver $(HOST)

# Everything, in parallel; the integration and browser tests run one after another in one worker.
test: $(VENV)/.installed-dev
	mkdir -p var
	$(PYTEST) $(PYTEST_ARGS)

# The unit tests alone (no services, no browser), in parallel: the run before every commit.
test-fast: $(VENV)/.installed-dev
	mkdir -p var
	$(PYTEST) -m "not integration and not e2e" $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

fmt: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(VENV)/.installed-dev
	DEBUG=1 $(BIN)/python manage.py makemessages --locale ru --no-obsolete --ignore ".venv/*" --ignore "var/*"
	DEBUG=1 $(BIN)/python manage.py compilemessages --locale ru --ignore ".venv/*"

worker: $(VENV)/.installed
	$(BIN)/celery -A config worker --loglevel INFO

beat: $(VENV)/.installed
	$(BIN)/celery -A config beat --loglevel INFO --schedule var/celerybeat-schedule

# The pytest-benchmark micro benchmarks (not distributed: pytest-benchmark measures nothing under
# pytest-xdist's --dist, which pyproject's addopts sets), then the pages against the floor over HTTP (PostgreSQL at
# BENCH_DATABASE_URL, data generated into it at BENCH_SCALE when it holds none; docs/performance.md).
BENCH_SCALE ?= 0.05
bench: $(VENV)/.installed-dev
	$(BIN)/pytest -q tests/bench -o python_files="bench_*.py" --dist no $(PYTEST_ARGS)
	$(BIN)/python tests/bench/run_bench.py --scale $(BENCH_SCALE) $(BENCH_ARGS)

check-deploy: $(VENV)/.installed
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-but-long-enough-0123456789 \
	ALLOWED_HOSTS=missions.example.org SECURE_HSTS_PRELOAD=1 $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var/static var/screenshots .pytest_cache
