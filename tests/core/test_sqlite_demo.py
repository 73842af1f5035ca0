"""`make run`'s embedded default: the whole schema migrates on SQLite, the demo data loads twice
without change, and the portable list lookups work there (the candidate assistant uses them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

CHECK = """
from core.context import organization_context
from organizations.models import Organization
from allocations.models import HousingApplication
from housing.models import Household
from housing.selectors import household_list
from privacy import partners
org = Organization.objects.get(slug="habitat-est")
with organization_context(org):
    counts = [Household.objects.count(),
          HousingApplication.objects.filter(desired_typologies__contains=["T3"]).count(),
          HousingApplication.objects.filter(desired_typologies__overlap=["T2", "T3"]).count(),
          HousingApplication.objects.exclude(desired_communes=[]).count()]
partner = Organization.objects.get(slug="habiter-ensemble")
with organization_context(partner):
    counts += [partners.granted_households().count(),
               household_list(organization=partner).count()]
print(*counts)
"""


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_demo_migrates_and_loads_on_sqlite_twice_without_change(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "TEST_WORKER_DATABASE_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    for args in (("migrate", "--no-input", "-v", "0"), ("demo_data",)):
        result = _manage(*args, env=env)
        assert result.returncode == 0, result.stderr[-3000:]
    first = _manage("shell", "-c", CHECK, env=env)
    assert first.returncode == 0, first.stderr[-3000:]
    households, with_t3, with_t2_or_t3, with_communes, granted, partner_search = map(
        int, first.stdout.strip().splitlines()[-1].split()
    )
    assert households > 0 and with_t3 > 0 and with_t2_or_t3 >= with_t3 and with_communes >= 0
    # The partner under mandate finds the granted households there too (no RLS on SQLite: the
    # application's own grant filter, privacy/partners.py).
    assert 0 < granted == partner_search < households
    again = _manage("demo_data", env=env)
    assert again.returncode == 0, again.stderr[-3000:]
    assert (
        _manage("shell", "-c", CHECK, env=env).stdout.strip().splitlines()[-1]
        == first.stdout.strip().splitlines()[-1]
    )
