"""Locust workload for bench/load.py — runs in locust's own tool environment (uv tool run),
never in the project's venv: it imports nothing from the project.

BENCH_LOCUST_CONFIG names a JSON file: {"users": [{"name", "weight", "cookie", "headers",
"paths": [[key, path], ...]}, ...]}; one user class per entry, no think time (throughput).
"""

import json
import os
import random

from locust import HttpUser, constant, task

with open(os.environ["BENCH_LOCUST_CONFIG"]) as handle:
    CONFIG = json.load(handle)


def _user_class(spec):
    class Visitor(HttpUser):
        weight = spec["weight"]
        wait_time = constant(0)

        def on_start(self):
            self.client.headers.update({"Cookie": spec["cookie"], **spec.get("headers", {})})

        @task
        def visit(self):
            key, path = random.choice(spec["paths"])
            self.client.get(path, name=key)

    Visitor.__name__ = Visitor.__qualname__ = f"{spec['name'].title().replace('_', '')}User"
    return Visitor


for _spec in CONFIG["users"]:
    _cls = _user_class(_spec)
    globals()[_cls.__name__] = _cls
# Locust collects every User class of the module's namespace: no second name for the last one.
del _cls, _spec
