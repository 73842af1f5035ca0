"""Browsers only accept ISO dates (YYYY-MM-DD) in `<input type="date">`; the French locale
would render 22/11/2026 there and the field would open empty."""

from __future__ import annotations

from importlib import import_module

from django import forms
from django.apps import apps
from django.conf import settings


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for config in apps.get_app_configs():
        if not config.path.startswith(str(settings.BASE_DIR)):
            continue
        try:
            module = import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        found += [
            v
            for v in vars(module).values()
            if isinstance(v, type) and issubclass(v, forms.BaseForm)
        ]
    return found


def test_every_date_input_renders_an_iso_value() -> None:
    offenders = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _form_classes()
        for name, field in getattr(form, "base_fields", {}).items()
        if getattr(field.widget, "input_type", "") == "date" and field.widget.format != "%Y-%m-%d"
    ]
    assert len(_form_classes()) > 10
    assert offenders == []
