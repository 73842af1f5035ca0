from typing import Any

from django.apps import apps
from django.core.checks import Error, register

from core.models import OrganizationOwnedModel


@register()
def organization_models_are_scoped(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Every organisation-owned model keeps a scoped default manager, and no plain
    ManyToManyField (its hidden through table would carry no organisation)."""
    errors = []
    for model in apps.get_models():
        if not issubclass(model, OrganizationOwnedModel):
            continue
        from core.models import OrganizationScopedManager

        if not isinstance(model._default_manager, OrganizationScopedManager):
            errors.append(
                Error(
                    f"{model._meta.label}: default manager must be OrganizationScopedManager",
                    id="core.E001",
                )
            )
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through is not None and through._meta.auto_created:
                errors.append(
                    Error(
                        f"{model._meta.label}.{field.name}: use an explicit through model that carries its organisation",
                        id="core.E002",
                    )
                )
    return errors
