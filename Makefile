# Parcours — the two commands: `make run` (demo) and `make test` (the whole suite).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export PATH := $(HOME)/.local/bin:$(PATH)
UV := bin/uv
RUN := $(UV) run --frozen

.PHONY: help install run test quality lint format worker demo-reset migrate bench services

help:
	@echo "make run         installe, migre, charge la démo et sert http://127.0.0.1:$(PORT)"
	@echo "make test        installe et lance toute la suite (PostgreSQL + Redis + Celery réels)"
	@echo "make quality     ruff, mypy, makemigrations --check"
	@echo "make worker      un worker Celery et beat (REDIS_URL requis)"
	@echo "make demo-reset  efface et recharge les données de démonstration"
	@echo "make bench       benchmarks (bench/)"

install:
	@$(UV) sync --frozen

migrate: install
	@bin/migrate

run: install
	@bin/migrate
	@$(RUN) python manage.py demo_data
	@bin/serve $(PORT)

services:
	@bin/ensure-services
	@bin/fetch-axe

test: install services
	@$(RUN) ruff check .
	@$(RUN) ruff format --check .
	@DJANGO_SETTINGS_MODULE=config.settings.test $(RUN) python manage.py makemigrations --check --dry-run
	@$(RUN) pytest $(PYTEST_ARGS)

quality: install
	@$(RUN) ruff format --check .
	@$(RUN) ruff check .
	@$(RUN) mypy core $$(ls */services.py */selectors.py 2>/dev/null | grep -v '^core/')
	@DJANGO_SETTINGS_MODULE=config.settings.test $(RUN) python manage.py makemigrations --check --dry-run

format: install
	@$(RUN) ruff format .
	@$(RUN) ruff check --fix .

worker: install
	@test -n "$$REDIS_URL" || (echo "REDIS_URL doit être défini (ex. redis://127.0.0.1:6379/0)"; exit 1)
	@$(RUN) celery -A config worker --beat --loglevel INFO --concurrency $${CELERY_CONCURRENCY:-2}

demo-reset: install
	@bin/demo-reset
	@$(RUN) python manage.py demo_data

bench: install services
	@bin/bench
