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
