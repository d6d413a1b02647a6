# wenminghao: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export WMH_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test lint venv migrate demo static serve worker clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@# src/ on the environment's path: `lint-imports`, scripts and `python -c` find the wenminghao package
	$(BIN)/python -c "import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()['purelib'], 'wenminghao-src.pth').write_text(str(pathlib.Path('src').resolve()) + '\n')"
	touch $@

venv: $(VENV)/.installed

migrate: export WMH_DEMO ?= 1
migrate: venv
	$(BIN)/python manage.py migrate --noinput

static: export WMH_DEMO ?= 1
static: venv
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

demo: export WMH_DEMO ?= 1
demo: export WMH_SITE_URL ?= http://127.0.0.1:$(PORT)
demo: migrate
	$(BIN)/python manage.py load_demo_data

## make run: set up everything and serve http://127.0.0.1:$(PORT) with SQLite under var/
run: export WMH_DEMO ?= 1
run: export WMH_SITE_URL ?= http://127.0.0.1:$(PORT)
run: demo static
	PORT=$(PORT) bash scripts/serve.sh

## make test: set up and run the whole suite (SQLite, or PostgreSQL when DATABASE_URL is set)
test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/lint-imports

worker: export WMH_DEMO ?= 1
worker: venv
	$(BIN)/python manage.py db_worker

clean:
	rm -rf $(VENV) .pytest_cache
