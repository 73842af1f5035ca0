"""The housing CSV imports (format in docs/imports.md), on the generic machinery of
core/imports.py: "stock" (residences and dwellings, one row per dwelling) and "households"
(households, members, incomes and leases, one row per member). Re-importing a file updates the
rows found by their references instead of duplicating them."""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import imports as csvimport
from core.imports import Column, ImportSpec, RowError
from core.tasks import enqueue_on_commit
from housing import search, services
from housing.enums import (
    DwellingStatus,
    EmploymentStatus,
    Financing,
    HousingBenefitKind,
    ImportKind,
    ImportStatus,
    IncomeKind,
    LeaseEndReason,
    LeaseKind,
    Relationship,
    Typology,
)
from housing.models import Dwelling, Household, ImportJob, Income, Lease, Partner, Residence
from organizations.models import Territory

logger = logging.getLogger(__name__)

KIND_CHOICES = ImportKind.choices

STOCK_COLUMNS = [
    Column("residence_ref", csvimport.text(60), help="Référence ERP de la résidence"),
    Column("residence_name", csvimport.text(200), help="Nom de la résidence"),
    Column("address", csvimport.text(250), help="Adresse"),
    Column("postal_code", csvimport.text(5), required=False),
    Column("commune", csvimport.text(120), help="Commune"),
    Column("commune_insee", csvimport.text(5), help="Code INSEE de la commune"),
    Column("epci_code", csvimport.text(9), required=False),
    Column("epci_name", csvimport.text(150), required=False),
    Column("qpv", csvimport.boolean, required=False, default=False),
    Column("territory", csvimport.text(100), help="Nom du territoire Parcours"),
    Column("dwelling_ref", csvimport.text(60), help="Référence du logement"),
    Column("typology", csvimport.choice(Typology.choices)),
    Column("surface", csvimport.decimal),
    Column("floor", csvimport.integer, required=False, default=0),
    Column("lift", csvimport.boolean, required=False, default=False),
    Column("pmr", csvimport.boolean, required=False, default=False),
    Column("financing", csvimport.choice(Financing.choices)),
    Column("rent", csvimport.amount),
    Column("annex_rent", csvimport.amount, required=False, default=None),
    Column("charges", csvimport.amount),
    Column("energy_contribution", csvimport.amount, required=False, default=None),
    Column("individual_heating", csvimport.boolean, required=False, default=False),
    Column("individual_water", csvimport.boolean, required=False, default=False),
    Column("status", csvimport.choice(DwellingStatus.choices), required=False, default=None),
]

HOUSEHOLD_COLUMNS = [
    Column("household_ref", csvimport.text(60), help="Référence ERP du ménage"),
    Column("household_name", csvimport.text(200)),
    Column("phone", csvimport.text(30), required=False),
    Column("email", csvimport.text(254), required=False),
    Column(
        "housing_benefit_kind",
        csvimport.choice(HousingBenefitKind.choices),
        required=False,
        default="",
    ),
    Column("housing_benefit", csvimport.amount, required=False, default=None),
    Column("benefit_paid_to_landlord", csvimport.boolean, required=False, default=None),
    Column("last_name", csvimport.text(100)),
    Column("first_name", csvimport.text(100)),
    Column("birth_name", csvimport.text(100), required=False),
    Column("birth_date", csvimport.date, required=False, default=None),
    Column("relationship", csvimport.choice(Relationship.choices)),
    Column(
        "employment_status",
        csvimport.choice(EmploymentStatus.choices),
        required=False,
        default=None,
    ),
    Column("income_kind", csvimport.choice(IncomeKind.choices), required=False, default=None),
    Column("income_amount", csvimport.amount, required=False, default=None),
    Column("dwelling_ref", csvimport.text(60), required=False),
    Column("lease_ref", csvimport.text(60), required=False),
    Column("lease_kind", csvimport.choice(LeaseKind.choices), required=False, default=None),
    Column("lease_start", csvimport.date, required=False, default=None),
    Column("lease_signed_on", csvimport.date, required=False, default=None),
    Column("lessee_partner", csvimport.text(200), required=False),
    Column("lease_end", csvimport.date, required=False, default=None),
    Column(
        "lease_end_reason", csvimport.choice(LeaseEndReason.choices), required=False, default=None
    ),
]


def _changed(instance: Any, fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if getattr(instance, k) != v}


def _keyed(error: ValidationError, mapping: dict[str, str]) -> ValidationError:
    """Re-key a service's errors (model field names) by the file's column names."""
    if hasattr(error, "error_dict"):
        return ValidationError(
            {mapping.get(field, field): errors for field, errors in error.error_dict.items()}
        )
    return error


# --- Stock ---------------------------------------------------------------------------------------


def stock_spec(*, organization: Any, acting_user: Any) -> ImportSpec:
    territories = {
        search.normalize(t.name): t for t in Territory.objects.for_organization(organization)
    }

    def apply_row(values: dict[str, Any], line: int) -> str:
        territory = territories.get(search.normalize(values["territory"]))
        if territory is None:
            raise ValidationError({"territory": f"Territoire « {values['territory']} » inconnu."})
        residence = (
            Residence.objects.for_organization(organization)
            .filter(external_ref=values["residence_ref"])
            .first()
        )
        residence_fields = {
            "external_ref": values["residence_ref"],
            "name": values["residence_name"],
            "address": values["address"],
            "postal_code": values["postal_code"],
            "commune_name": values["commune"],
            "commune_insee": values["commune_insee"],
            "epci_code": values["epci_code"],
            "epci_name": values["epci_name"],
            "is_qpv": values["qpv"],
            "territory": territory,
        }
        mapping = {
            "external_ref": "residence_ref",
            "name": "residence_name",
            "commune_name": "commune",
            "is_qpv": "qpv",
        }
        try:
            if residence is None or _changed(residence, residence_fields):
                residence = services.residence_save(
                    organization=organization,
                    acting_user=acting_user,
                    residence=residence,
                    **(
                        residence_fields
                        if residence is None
                        else _changed(residence, residence_fields)
                    ),
                )
        except ValidationError as error:
            raise _keyed(error, mapping) from error
        dwelling = (
            Dwelling.objects.for_organization(organization)
            .filter(reference=values["dwelling_ref"])
            .first()
        )
        dwelling_fields = {
            "residence": residence,
            "reference": values["dwelling_ref"],
            "typology": values["typology"],
            "surface": values["surface"],
            "floor": values["floor"],
            "has_lift": values["lift"],
            "is_pmr_accessible": values["pmr"],
            "financing": values["financing"],
            "rent": values["rent"],
            "charges": values["charges"],
            "individual_heating": values["individual_heating"],
            "individual_water": values["individual_water"],
        }
        for column, name in (
            ("annex_rent", "annex_rent"),
            ("energy_contribution", "energy_contribution"),
            ("status", "status"),
        ):
            if values[column] is not None:
                dwelling_fields[name] = values[column]
        mapping = {
            "reference": "dwelling_ref",
            "has_lift": "lift",
            "is_pmr_accessible": "pmr",
        }
        try:
            if dwelling is None:
                services.dwelling_save(
                    organization=organization, acting_user=acting_user, **dwelling_fields
                )
                return "created"
            changes = _changed(dwelling, dwelling_fields)
            if changes:
                services.dwelling_save(
                    organization=organization,
                    acting_user=acting_user,
                    dwelling=dwelling,
                    **changes,
                )
                return "updated"
        except ValidationError as error:
            raise _keyed(error, mapping) from error
        return "unchanged"

    def check_rows(rows: list[tuple[int, dict[str, Any]]]) -> list[RowError]:
        seen: dict[str, int] = {}
        errors = []
        for line, values in rows:
            ref = values.get("dwelling_ref")
            if ref in seen:
                errors.append(
                    RowError(line, "dwelling_ref", f"Logement déjà présent ligne {seen[ref]}.")
                )
            elif ref:
                seen[ref] = line
        return errors

    return ImportSpec(columns=STOCK_COLUMNS, apply_row=apply_row, check_rows=check_rows)


# --- Households ----------------------------------------------------------------------------------


def households_spec(*, organization: Any, acting_user: Any) -> ImportSpec:
    partners = {search.normalize(p.name): p for p in Partner.objects.for_organization(organization)}

    def apply_row(values: dict[str, Any], line: int) -> str:
        outcome = "unchanged"
        household = (
            Household.objects.for_organization(organization)
            .filter(external_ref=values["household_ref"])
            .first()
        )
        household_fields: dict[str, Any] = {
            "external_ref": values["household_ref"],
            "name": values["household_name"],
        }
        for column, name in (("phone", "phone"), ("email", "email")):
            if values[column]:
                household_fields[name] = values[column]
        if values["housing_benefit_kind"]:
            household_fields["housing_benefit_kind"] = values["housing_benefit_kind"]
        if values["housing_benefit"] is not None:
            household_fields["housing_benefit"] = values["housing_benefit"]
        if values["benefit_paid_to_landlord"] is not None:
            household_fields["housing_benefit_paid_to_landlord"] = values[
                "benefit_paid_to_landlord"
            ]
        mapping = {
            "external_ref": "household_ref",
            "name": "household_name",
            "housing_benefit_paid_to_landlord": "benefit_paid_to_landlord",
        }
        try:
            if household is None:
                household = services.household_save(
                    organization=organization, acting_user=acting_user, **household_fields
                )
                outcome = "created"
            elif changes := _changed(household, household_fields):
                services.household_save(
                    organization=organization,
                    acting_user=acting_user,
                    household=household,
                    **changes,
                )
                outcome = "updated"
        except ValidationError as error:
            raise _keyed(error, mapping) from error

        # The member: same names (accents and case ignored) and birth date in the household.
        key = (search.normalize(values["first_name"]), search.normalize(values["last_name"]))
        person = next(
            (
                p
                for p in household.members.all()
                if (search.normalize(p.first_name), search.normalize(p.last_name)) == key
                and p.birth_date == values["birth_date"]
            ),
            None,
        )
        person_fields: dict[str, Any] = {
            "first_name": values["first_name"],
            "last_name": values["last_name"],
            "birth_name": values["birth_name"],
            "birth_date": values["birth_date"],
            "relationship": values["relationship"],
        }
        if values["employment_status"]:
            person_fields["employment_status"] = values["employment_status"]
        if person is None or _changed(person, person_fields):
            person = services.person_save(
                household=household,
                person=person,
                acting_user=acting_user,
                **(person_fields if person is None else _changed(person, person_fields)),
            )
            outcome = "updated" if outcome == "unchanged" else outcome

        if values["income_kind"] and values["income_amount"] is not None:
            income = Income.objects.filter(person=person, kind=values["income_kind"]).first()
            if income is None or income.declared_monthly_amount != values["income_amount"]:
                services.income_save(
                    person=person,
                    income=income,
                    acting_user=acting_user,
                    kind=values["income_kind"],
                    declared_monthly_amount=values["income_amount"],
                )
                outcome = "updated" if outcome == "unchanged" else outcome
        elif values["income_kind"] or values["income_amount"] is not None:
            raise ValidationError(
                {"income_amount": "Indiquez le type et le montant de la ressource, ou aucun."}
            )

        if values["dwelling_ref"] and _apply_lease(
            values, household, organization, acting_user, partners
        ):
            outcome = "updated" if outcome == "unchanged" else outcome
        return outcome

    return ImportSpec(columns=HOUSEHOLD_COLUMNS, apply_row=apply_row)


def _apply_lease(
    values: dict[str, Any],
    household: Household,
    organization: Any,
    acting_user: Any,
    partners: dict,
) -> bool:
    dwelling = (
        Dwelling.objects.for_organization(organization)
        .filter(reference=values["dwelling_ref"])
        .first()
    )
    if dwelling is None:
        raise ValidationError(
            {
                "dwelling_ref": f"Logement « {values['dwelling_ref']} » inconnu (importez le patrimoine d'abord)."
            }
        )
    if values["lease_start"] is None:
        raise ValidationError({"lease_start": "Date d'effet du bail obligatoire avec un logement."})
    leases = Lease.objects.for_organization(organization)
    if values["lease_ref"]:
        lease = leases.filter(external_ref=values["lease_ref"]).first()
    else:
        lease = leases.filter(
            household=household, dwelling=dwelling, start_date=values["lease_start"]
        ).first()
    changed = False
    if lease is None:
        partner = None
        if values["lessee_partner"]:
            partner = partners.get(search.normalize(values["lessee_partner"]))
            if partner is None:
                raise ValidationError(
                    {"lessee_partner": f"Partenaire « {values['lessee_partner']} » inconnu."}
                )
        try:
            lease = services.lease_create(
                household=household,
                dwelling=dwelling,
                acting_user=acting_user,
                start_date=values["lease_start"],
                signed_on=values["lease_signed_on"],
                kind=values["lease_kind"] or LeaseKind.ORDINARY,
                lessee_partner=partner,
                external_ref=values["lease_ref"],
            )
        except ValidationError as error:
            raise _keyed(
                error, {"dwelling": "dwelling_ref", "external_ref": "lease_ref"}
            ) from error
        changed = True
    elif lease.household_id != household.pk:
        raise ValidationError({"lease_ref": "Ce bail appartient à un autre ménage."})
    if values["lease_end"] and lease.end_date is None:
        try:
            services.lease_end(
                lease=lease,
                end_date=values["lease_end"],
                reason=values["lease_end_reason"] or LeaseEndReason.OTHER,
                acting_user=acting_user,
            )
        except ValidationError as error:
            raise _keyed(
                error, {"end_date": "lease_end", "end_reason": "lease_end_reason"}
            ) from error
        changed = True
    return changed


SPECS = {ImportKind.STOCK: stock_spec, ImportKind.HOUSEHOLDS: households_spec}


# --- Jobs ----------------------------------------------------------------------------------------


def progress_key(job: ImportJob | int) -> str:
    return f"housing:import-progress:{getattr(job, 'pk', job)}"


def job_progress(job: ImportJob) -> int:
    """Percentage done: the live value the task writes to the cache while it runs (its
    database writes are not visible before it commits)."""
    if job.is_finished:
        return job.progress_percent
    live = cache.get(progress_key(job))
    return int(live) if live is not None else 0


@transaction.atomic
def import_job_create(
    *, organization: Any, kind: str, file_name: str, content: bytes, acting_user: Any
) -> ImportJob:
    """Record the uploaded file and run it in the background (on commit)."""
    from housing.tasks import import_run

    if kind not in SPECS:
        raise ValidationError({"kind": "Type d'import inconnu."})
    job = ImportJob.objects.create(
        organization_id=getattr(organization, "pk", organization),
        kind=kind,
        file_name=file_name[:200],
        content=content,
        created_by=acting_user,
        updated_by=acting_user,
    )
    enqueue_on_commit(
        import_run,
        organization_id=job.organization_id,
        job_id=job.pk,
        acting_user_id=getattr(acting_user, "pk", None),
    )
    return job


def import_job_run(*, job: ImportJob, acting_user: Any) -> ImportJob:
    """Run a queued job now (the task and the management command call it). Safe to run twice:
    a finished job is left as it is."""
    if job.is_finished:
        return job
    job.status = ImportStatus.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at", "updated_at"])
    spec = SPECS[job.kind](organization=job.organization_id, acting_user=acting_user)
    key = progress_key(job)

    def progress(done: int, total: int) -> None:
        cache.set(key, int(done * 100 / total) if total else 100, 3600)

    try:
        result = csvimport.run_import(bytes(job.content), spec, progress=progress)
    except csvimport.ImportFailed as failure:
        job.status = ImportStatus.FAILED
        job.errors = [error.as_dict() for error in failure.errors[:500]]
        job.summary = {"error_count": len(failure.errors)}
    except Exception:
        logger.exception("Import %s failed", job.pk)
        job.status = ImportStatus.FAILED
        job.errors = [
            {"line": 0, "column": "", "message": "Erreur inattendue : rien n'a été importé."}
        ]
    else:
        job.status = ImportStatus.SUCCEEDED
        job.total_rows = job.processed_rows = result.total
        job.summary = result.counts
        job.errors = []
    job.finished_at = timezone.now()
    job.save()
    cache.delete(key)
    return job
