# The portal's commands. `make demo` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# The demo always runs embedded (SQLite, eager Celery, console e-mail), whatever the shell exports.
EMBEDDED := env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL -u EMAIL_URL DEBUG=1

.PHONY: demo test lint fmt messages worker beat bench check-deploy clean

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

test: $(VENV)/.installed-dev
	mkdir -p var
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

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

bench: $(VENV)/.installed-dev
	$(BIN)/pytest -q tests/bench -o python_files="bench_*.py" $(PYTEST_ARGS)

check-deploy: $(VENV)/.installed
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-but-long-enough-0123456789 \
	ALLOWED_HOSTS=missions.example.org SECURE_HSTS_PRELOAD=1 $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var/static var/screenshots .pytest_cache
