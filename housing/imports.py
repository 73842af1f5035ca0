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

# Model field -> the file's column (a model's French message is reported on its column).
RESIDENCE_COLUMNS = {
    "external_ref": "residence_ref",
    "name": "residence_name",
    "address": "address",
    "postal_code": "postal_code",
    "commune_name": "commune",
    "commune_insee": "commune_insee",
    "epci_code": "epci_code",
    "epci_name": "epci_name",
    "is_qpv": "qpv",
}
DWELLING_COLUMNS = {
    "reference": "dwelling_ref",
    "typology": "typology",
    "surface": "surface",
    "floor": "floor",
    "has_lift": "lift",
    "is_pmr_accessible": "pmr",
    "financing": "financing",
    "rent": "rent",
    "charges": "charges",
    "individual_heating": "individual_heating",
    "individual_water": "individual_water",
}
# Set only when the cell is filled: an empty cell keeps the dwelling's value (the model's
# default for a new dwelling).
DWELLING_OPTIONAL_COLUMNS = {
    "annex_rent": "annex_rent",
    "energy_contribution": "energy_contribution",
    "status": "status",
}
RESIDENCE_FIELDS = [*RESIDENCE_COLUMNS, "territory_id"]
DWELLING_FIELDS = [*DWELLING_COLUMNS, *DWELLING_OPTIONAL_COLUMNS, "residence_id"]
# services.dwelling_save's rule, checked for every changed row before anything is written.
OPEN_LEASE_MESSAGE = "Ce logement a un bail en cours : mettez fin au bail avant de le libérer."


def stock_spec(*, organization: Any, acting_user: Any) -> ImportSpec:
    """Residences and dwellings, one row per dwelling, keyed by their references in the
    organisation. Set-based (100,000 dwellings a file): references loaded once, every row
    checked in Python with the models' own messages and the services' rules, then one write per
    table (core.imports.write_rows). A residence's columns are repeated on each of its rows:
    the last row wins. Counts are per dwelling (created / updated / unchanged)."""
    organization_id = getattr(organization, "pk", organization)
    acting_user_id = getattr(acting_user, "pk", acting_user)

    def apply_rows(
        rows: list[tuple[int, dict[str, Any]]], progress: csvimport.Progress | None
    ) -> dict[str, int]:
        return _StockImport(organization_id, acting_user_id).apply(rows, progress)

    return ImportSpec(
        columns=STOCK_COLUMNS, check_rows=_unique_dwelling_refs, apply_rows=apply_rows
    )


def _unique_dwelling_refs(rows: list[tuple[int, dict[str, Any]]]) -> list[RowError]:
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


class _StockImport:
    """One stock file of one organisation. The rules are those of `services.residence_save`
    and `services.dwelling_save` (territory of the organisation, fields as full_clean checks
    them, no freeing of a dwelling under a current lease), applied to every row before anything
    is written."""

    def __init__(self, organization_id: int, acting_user_id: int | None) -> None:
        self.organization_id = organization_id
        self.acting_user_id = acting_user_id
        self.territories = {
            search.normalize(name): pk
            for pk, name in Territory.objects.for_organization(organization_id).values_list(
                "pk", "name"
            )
        }
        self.residences = {
            row["external_ref"]: row
            for row in Residence.objects.for_organization(organization_id).values(
                "id", *RESIDENCE_FIELDS
            )
        }
        self.dwellings = {
            row["reference"]: row
            for row in Dwelling.objects.for_organization(organization_id).values(
                "id", *DWELLING_FIELDS
            )
        }
        self.residence_check = csvimport.FieldValidator(Residence)
        self.dwelling_check = csvimport.FieldValidator(Dwelling)
        self.dwelling_defaults = {
            field.name: field.get_default()
            for field in Dwelling._meta.concrete_fields
            if field.name in DWELLING_OPTIONAL_COLUMNS
        }
        self._leased: set[int] | None = None

    def leased(self) -> set[int]:
        """Dwellings under a current lease (read once, only if a row needs it)."""
        if self._leased is None:
            self._leased = set(
                Lease.objects.for_organization(self.organization_id)
                .filter(end_date__isnull=True)
                .values_list("dwelling_id", flat=True)
            )
        return self._leased

    def apply(
        self, rows: list[tuple[int, dict[str, Any]]], progress: csvimport.Progress | None
    ) -> dict[str, int]:
        errors: list[RowError] = []
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        territory_ids: dict[str, int | None] = {}
        residences: dict[str, dict[str, Any]] = {}  # reference -> values to write
        dwelling_creates: list[dict[str, Any]] = []
        dwelling_updates: list[dict[str, Any]] = []
        steps = 2 * len(rows)  # checking is the first half of the progress bar, writing the rest
        for done, (line, values) in enumerate(rows, start=1):
            if progress and done % 1000 == 0:
                progress(done, steps)
            territory = values["territory"]
            if territory not in territory_ids:
                territory_ids[territory] = self.territories.get(search.normalize(territory))
            if territory_ids[territory] is None:
                errors.append(RowError(line, "territory", f"Territoire « {territory} » inconnu."))
                continue
            residence = {field: values[column] for field, column in RESIDENCE_COLUMNS.items()}
            residence["territory_id"] = territory_ids[territory]
            residence_ref = residence["external_ref"]
            current = residences.get(residence_ref) or self.residences.get(residence_ref)
            if current is None or any(current[k] != v for k, v in residence.items()):
                problems = self.residence_check.errors(residence)
                if problems:
                    errors += csvimport.row_errors(line, problems, RESIDENCE_COLUMNS)
                    continue
                residences[residence_ref] = residence

            dwelling = {field: values[column] for field, column in DWELLING_COLUMNS.items()}
            for field, column in DWELLING_OPTIONAL_COLUMNS.items():
                if values[column] is not None:
                    dwelling[field] = values[column]
            # The residence's id, None when this file creates it (known once written).
            dwelling["residence_id"] = self.residences.get(residence_ref, {}).get("id")
            existing = self.dwellings.get(dwelling["reference"])
            if existing is not None:
                if dwelling["residence_id"] is not None and all(
                    existing[k] == v for k, v in dwelling.items()
                ):
                    counts["unchanged"] += 1
                    continue
                status = dwelling.get("status", existing["status"])
                if status != DwellingStatus.OCCUPIED and existing["id"] in self.leased():
                    errors.append(RowError(line, "status", OPEN_LEASE_MESSAGE))
                    continue
            problems = self.dwelling_check.errors(dwelling)
            if problems:
                errors += csvimport.row_errors(line, problems, DWELLING_COLUMNS)
                continue
            dwelling["_residence"] = residence_ref
            if existing is None:
                dwelling_creates.append({**self.dwelling_defaults, **dwelling})
                counts["created"] += 1
            else:
                dwelling_updates.append({**existing, **dwelling})
                counts["updated"] += 1
        if errors:
            raise csvimport.ImportFailed(errors)
        if progress:
            progress(len(rows), steps)

        residence_ids = {ref: row["id"] for ref, row in self.residences.items()}
        residence_ids |= csvimport.write_rows(
            Residence,
            organization_id=self.organization_id,
            acting_user_id=self.acting_user_id,
            fields=RESIDENCE_FIELDS,
            creates=[row for ref, row in residences.items() if ref not in self.residences],
            updates=[
                {**row, "id": self.residences[ref]["id"]}
                for ref, row in residences.items()
                if ref in self.residences
            ],
            returning="external_ref",
        )
        for dwelling in (*dwelling_creates, *dwelling_updates):
            dwelling["residence_id"] = residence_ids[dwelling.pop("_residence")]
        csvimport.write_rows(
            Dwelling,
            organization_id=self.organization_id,
            acting_user_id=self.acting_user_id,
            fields=DWELLING_FIELDS,
            creates=dwelling_creates,
            updates=dwelling_updates,
        )
        if progress:
            progress(steps, steps)
        return counts


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
