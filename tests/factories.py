"""Factory base for organisation-owned rows: created inside their organisation's context, so
that the application scope and PostgreSQL row-level security both admit them."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from core.context import organization_context


class OrganizationOwnedFactory(DjangoModelFactory):
    organization = factory.SubFactory("tests.organizations.factories.OrganizationFactory")

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        with organization_context(kwargs["organization"]):
            return super()._create(model_class, *args, **kwargs)


def all_factories() -> dict[type, type[DjangoModelFactory]]:
    """Every factory declared in tests/<app>/factories.py, by model."""
    import importlib
    import pkgutil

    import tests

    found: dict[type, type[DjangoModelFactory]] = {}
    for module_info in pkgutil.iter_modules(tests.__path__):
        if not module_info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{module_info.name}.factories")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, DjangoModelFactory)
                and not value._meta.abstract
            ):
                model = value._meta.model
                # The first factory declared for a model is its canonical one.
                found.setdefault(model, value)
    return found
