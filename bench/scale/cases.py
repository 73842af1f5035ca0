"""Scale data for `cases`: written once its models land (until then: reported missing)."""

from __future__ import annotations

from typing import Any

from bench.scale import Context


def generate(ctx: Context) -> Any:
    return False
