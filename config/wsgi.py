"""The WSGI entry point (gunicorn).

Once the first request is served — the application then fully loaded: URLs, templates, DRF,
the apps' registries — the objects alive are moved out of the cyclic garbage collector's reach
(`gc.freeze()`). A worker holds ~200,000 of them, which every full collection walked again:
measured at size L under gunicorn, a 100–145 ms pause in about one request in ten (it made
the pages' p95); with them frozen, full collections walk ~30,000 objects (20–75 ms) and the
collector's time per request fell from ~16 to ~6 ms. They live as long as the worker anyway;
the garbage of the first request is collected before."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django_application = get_wsgi_application()
_frozen = False


def application(environ, start_response):
    global _frozen
    try:
        return django_application(environ, start_response)
    finally:
        if not _frozen:
            _frozen = True
            gc.collect()
            gc.freeze()
