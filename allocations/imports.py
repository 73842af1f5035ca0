"""CSV import of demands from the shared register extract (SNE), on core/imports.py: all or
nothing, every bad cell reported with its line; re-importing updates the demands found by their
registration number (score, wishes, resources, renewal) instead of duplicating them.

Columns: numero_unique; ref_menage (the household's ERP reference); date_depot;
date_renouvellement; type (new / transfer); motif_mutation; communes (INSEE codes separated by
`|`); typologies (`T2|T3`); loyer_max; adultes; enfants; ressources_mensuelles;
revenu_fiscal; epci; cotation; priorites (criterion keys separated by `|`); source_priorite;
guichet (landlord / received)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from allocations import services
from allocations.enums import ApplicationKind, LabellingSource, RegistrationDesk, TransferReason
from allocations.models import HousingApplication
from core import imports as csvimport
from core.imports import Column, ImportResult, ImportSpec
from housing.enums import Typology
from housing.models import Household


def _pipe_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split("|") if item.strip()]


def _typologies(raw: str) -> list[str]:
    values = [v.upper() for v in _pipe_list(raw)]
    unknown = [v for v in values if v not in Typology.values]
    if unknown:
        raise ValueError(f"Typologie inconnue : {', '.join(unknown)}.")
    return values


COLUMNS = [
    Column("numero_unique", csvimport.text(40)),
    Column("ref_menage", csvimport.text(60)),
    Column("date_depot", csvimport.date),
    Column("date_renouvellement", csvimport.date, required=False, default=None),
    Column("type", csvimport.choice(ApplicationKind.choices), required=False, default="new"),
    Column("motif_mutation", csvimport.choice(TransferReason.choices), required=False, default=""),
    Column("communes", _pipe_list, required=False, default=[]),
    Column("typologies", _typologies),
    Column("loyer_max", csvimport.amount, required=False, default=None),
    Column("adultes", csvimport.integer, required=False, default=1),
    Column("enfants", csvimport.integer, required=False, default=0),
    Column("ressources_mensuelles", csvimport.amount, required=False, default=None),
    Column("revenu_fiscal", csvimport.amount, required=False, default=None),
    Column("epci", csvimport.text(9), required=False, default=""),
    Column("cotation", csvimport.decimal, required=False, default=None),
    Column("priorites", _pipe_list, required=False, default=[]),
    Column(
        "source_priorite",
        csvimport.choice(LabellingSource.choices),
        required=False,
        default="landlord",
    ),
    Column(
        "guichet", csvimport.choice(RegistrationDesk.choices), required=False, default="received"
    ),
]


def applications_import(*, organization: Any, content: bytes, imported_by: Any) -> ImportResult:
    """Import the register extract (raises core.imports.ImportFailed, nothing applied)."""
    households = {
        h.external_ref: h
        for h in Household.objects.for_organization(organization).exclude(external_ref="")
    }
    existing = {
        a.registration_number: a for a in HousingApplication.objects.for_organization(organization)
    }

    def apply_row(values: dict[str, Any], line: int) -> str:
        household = households.get(values["ref_menage"])
        if household is None:
            raise ValidationError({"ref_menage": "Ménage inconnu (référence ERP)."})
        fields = {
            "kind": values["type"],
            "transfer_reason": values["motif_mutation"],
            "desired_communes": values["communes"],
            "desired_typologies": values["typologies"],
            "max_rent": values["loyer_max"],
            "adults": values["adultes"],
            "children": values["enfants"],
            "declared_annual_income": values["revenu_fiscal"],
            "epci_code": values["epci"],
            "score": values["cotation"],
            "score_source": "imported" if values["cotation"] is not None else "",
            "registration_desk": values["guichet"],
        }
        if values["ressources_mensuelles"] is not None:
            fields["declared_monthly_resources"] = values["ressources_mensuelles"]
        priorities = [
            {
                "criterion": c,
                "proof_type": "Extrait du registre",
                "labelling_source": values["source_priorite"],
            }
            for c in values["priorites"]
        ]
        application = existing.get(values["numero_unique"])
        if application is None:
            existing[values["numero_unique"]] = services.application_create(
                organization=organization,
                household=household,
                registration_number=values["numero_unique"],
                filed_on=values["date_depot"],
                renewed_on=values["date_renouvellement"],
                created_by=imported_by,
                priorities=priorities,
                **fields,
            )
            return "created"
        fields.pop("registration_desk")
        services.application_update(application=application, updated_by=imported_by, **fields)
        services.application_set_priorities(
            application=application, priorities=priorities, updated_by=imported_by
        )
        renewed = values["date_renouvellement"]
        if renewed and renewed != application.renewed_on:
            services.application_renew(
                application=application, renewed_on=renewed, renewed_by=imported_by
            )
        return "updated"

    return csvimport.run_import(content, ImportSpec(columns=COLUMNS, apply_row=apply_row))
