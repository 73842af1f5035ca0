from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter


class AutoSchema(SpectacularAutoSchema):
    def get_override_parameters(self) -> list:
        return [
            *super().get_override_parameters(),
            OpenApiParameter(
                "X-Organization",
                type=str,
                location=OpenApiParameter.HEADER,
                required=False,
                description="Identifiant court de l'organisation (si vous êtes membre de plusieurs).",
            ),
        ]


def enum_name_overrides() -> dict[str, str]:
    """Name every choice set of `<app>/enums.py` after its class in the OpenAPI schema.

    drf-spectacular names enums after the field ("kind", "status") and warns when two choice
    sets share a field name; naming them after their TextChoices class instead keeps the schema
    free of warnings as apps are added. Class names used by two apps get the app's label.
    """
    from importlib import import_module

    from django.apps import apps
    from django.db.models import Choices

    found: list[tuple[str, str, str]] = []  # (app label, class name, import path)
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.enums")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.enums":
                raise
            continue
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, Choices)
                and value.__module__ == module.__name__
            ):
                found.append((config.label, name, f"{module.__name__}.{name}"))
    counts: dict[str, int] = {}
    for _, name, _ in found:
        counts[name] = counts.get(name, 0) + 1
    return {
        (f"{label.title()}{name}Enum" if counts[name] > 1 else f"{name}Enum"): path
        for label, name, path in found
    }
