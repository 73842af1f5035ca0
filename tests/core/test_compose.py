"""docker-compose.yml refers only to things that exist in the project (no Docker engine here:
`docker compose config` cannot run, this test is what keeps the file honest)."""

from __future__ import annotations

import re
import shlex
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ["migrate", "web", "worker", "beat"]
# Variables of the images themselves (postgres), not of Parcours.
IMAGE_VARIABLES = {"POSTGRES_PASSWORD"}


def _words(service: dict[str, Any]) -> list[str]:
    command = service.get("command", [])
    if isinstance(command, str):
        return shlex.split(command)
    if command[:2] == ["sh", "-c"]:
        return shlex.split(command[2])
    return list(command)


def _documented_variables() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    return set(re.findall(r"^\| `([A-Z_]+)`", readme, flags=re.MULTILINE)) | set(
        re.findall(r"`([A-Z][A-Z0-9_]+)`", readme)
    )


def test_the_services_are_the_expected_ones() -> None:
    assert set(SERVICES) == {"postgres", "redis", "migrate", "web", "worker", "beat"}


@pytest.mark.parametrize("name", ["postgres", "redis", "web", "worker"])
def test_long_running_services_have_a_healthcheck(name: str) -> None:
    assert SERVICES[name]["healthcheck"]["test"]


def test_the_application_waits_for_a_successful_migration() -> None:
    for name in ("web", "worker", "beat"):
        depends = SERVICES[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
    assert SERVICES["migrate"]["restart"] == "no"


def test_every_dependency_is_a_service() -> None:
    for service in SERVICES.values():
        assert set(service.get("depends_on", {})) <= set(SERVICES)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_the_settings_module_exists_and_is_production(name: str) -> None:
    module = SERVICES[name]["environment"]["DJANGO_SETTINGS_MODULE"]
    assert module == "config.settings.production"
    assert find_spec(module) is not None


@pytest.mark.parametrize("name", APP_SERVICES)
def test_commands_refer_to_existing_entry_points(name: str) -> None:
    words = _words(SERVICES[name])
    assert words, f"{name} has no command"
    commands = get_commands()
    for index, word in enumerate(words):
        if word == "manage.py":
            assert words[index + 1] in commands, words[index + 1]
        if word == "-A":
            app = import_module(f"{words[index + 1]}.celery").app
            assert app.main == "parcours"
        if word.endswith(":application"):
            module = word.split(":")[0]
            assert find_spec(module) is not None
            assert "application =" in (ROOT / (module.replace(".", "/") + ".py")).read_text()
    program = words[0]
    assert program in {"python", "gunicorn", "celery", "sh"}


def test_the_migration_runs_db_setup_then_migrate_as_the_owner() -> None:
    script = SERVICES["migrate"]["command"][2]
    assert script.index("db_setup") < script.index("migrate --no-input")
    assert 'DATABASE_URL="$$DATABASE_OWNER_URL"' in script
    env = SERVICES["migrate"]["environment"]
    assert env["DATABASE_OWNER_URL"].startswith("postgres://parcours_owner:")
    assert env["DATABASE_ADMIN_URL"].startswith("postgres://postgres:")
    for name in ("web", "worker", "beat"):
        url = SERVICES[name]["environment"]["DATABASE_URL"]
        assert url.startswith("postgres://parcours_app:"), "the app must not connect as owner"


def test_the_beat_and_worker_use_the_projects_celery_app() -> None:
    assert _words(SERVICES["worker"])[:4] == ["celery", "-A", "config", "worker"]
    assert _words(SERVICES["beat"])[:4] == ["celery", "-A", "config", "beat"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_environment_variable_is_documented_in_the_readme(name: str) -> None:
    documented = _documented_variables()
    undocumented = set(SERVICES[name]["environment"]) - documented - IMAGE_VARIABLES
    assert undocumented == set()


def test_interpolated_variables_are_documented() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    used = set(re.findall(r"\$\{([A-Z_]+)", text))
    assert used - _documented_variables() - IMAGE_VARIABLES == set()


def test_the_image_is_built_from_files_that_exist() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert SERVICES["web"]["build"] == "."
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    for source in re.findall(r"^COPY (.+) \S+$", dockerfile, flags=re.MULTILINE):
        for path in source.split():
            assert path == "." or (ROOT / path).exists(), path
    assert "libharfbuzz-subset0" in dockerfile  # WeasyPrint, see ENVIRONMENT.md
    assert "uv sync --frozen --no-dev" in dockerfile
