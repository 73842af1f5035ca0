"""Writes of the housing app: keyword-only, atomic, with the acting user; errors are French
`ValidationError`s keyed by field. Every change to a household writes its timeline event
(core.timeline.record) in the same transaction and refreshes its search text."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from core import timeline
from housing import search
from housing.enums import DwellingStatus, LeaseEndReason, LeaseKind
from housing.models import Dwelling, Household, Income, Lease, Partner, Person, Residence

CATEGORY = "housing"


def _org_id(organization: Any) -> int:
    return getattr(organization, "pk", organization)


def _apply(instance: Any, fields: dict[str, Any], acting_user: Any, exclude: tuple = ()) -> Any:
    """Set `fields`, validate the whole row (French messages), save."""
    for name, value in fields.items():
        if not hasattr(type(instance), name) and name not in {
            f.name for f in instance._meta.get_fields()
        }:
            raise TypeError(f"{type(instance).__name__} has no field {name!r}")
        setattr(instance, name, value)
    if instance.pk is None:
        instance.created_by = acting_user
    instance.updated_by = acting_user
    instance.full_clean(exclude=list(exclude), validate_constraints=False)
    instance.save()
    return instance


def _same_org(obj: Any, organization: Any, field: str, label: str) -> None:
    if obj is not None and obj.organization_id != _org_id(organization):
        raise ValidationError({field: f"{label} inconnu(e) dans cette organisation."})


def _household_url(household: Household) -> str:
    return reverse("housing:household_detail", args=[household.public_id])


# --- Search -----------------------------------------------------------------------------------


def household_reindex(household: Household) -> None:
    """Rebuild the household's search text (names, phones, address, references, and what other
    apps contribute through `SEARCH_TEXT` in `<app>/household.py`). Other apps call it after
    changing what they contribute (e.g. a registration number)."""
    text = search.build_search_text(household)
    if text != household.search_text:
        household.search_text = text
        Household.objects.filter(pk=household.pk).update(search_text=text)


# --- Partners, residences, dwellings ------------------------------------------------------------


@transaction.atomic
def partner_save(
    *, organization: Any, acting_user: Any, partner: Partner | None = None, **fields: Any
) -> Partner:
    partner = partner or Partner(organization_id=_org_id(organization))
    duplicate = (
        Partner.objects.for_organization(organization)
        .filter(name=fields.get("name", partner.name), kind=fields.get("kind", partner.kind))
        .exclude(pk=partner.pk)
        .exists()
    )
    if duplicate:
        raise ValidationError({"name": "Un partenaire de ce type porte déjà ce nom."})
    return _apply(partner, fields, acting_user)


@transaction.atomic
def residence_save(
    *, organization: Any, acting_user: Any, residence: Residence | None = None, **fields: Any
) -> Residence:
    residence = residence or Residence(organization_id=_org_id(organization))
    _same_org(fields.get("territory"), organization, "territory", "Territoire")
    ref = fields.get("external_ref", residence.external_ref)
    if (
        Residence.objects.for_organization(organization)
        .filter(external_ref=ref)
        .exclude(pk=residence.pk)
        .exists()
    ):
        raise ValidationError({"external_ref": "Une résidence porte déjà cette référence."})
    return _apply(residence, fields, acting_user)


@transaction.atomic
def dwelling_save(
    *, organization: Any, acting_user: Any, dwelling: Dwelling | None = None, **fields: Any
) -> Dwelling:
    dwelling = dwelling or Dwelling(organization_id=_org_id(organization))
    _same_org(fields.get("residence"), organization, "residence", "Résidence")
    _same_org(fields.get("reserving_partner"), organization, "reserving_partner", "Partenaire")
    ref = fields.get("reference", dwelling.reference)
    if (
        Dwelling.objects.for_organization(organization)
        .filter(reference=ref)
        .exclude(pk=dwelling.pk)
        .exists()
    ):
        raise ValidationError({"reference": "Un logement porte déjà cette référence."})
    status = fields.get("status", dwelling.status)
    if (
        dwelling.pk
        and status != DwellingStatus.OCCUPIED
        and dwelling.leases.filter(end_date__isnull=True).exists()
    ):
        raise ValidationError(
            {"status": "Ce logement a un bail en cours : mettez fin au bail avant de le libérer."}
        )
    return _apply(dwelling, fields, acting_user)


# --- Households and members ---------------------------------------------------------------------


@transaction.atomic
def household_save(
    *, organization: Any, acting_user: Any, household: Household | None = None, **fields: Any
) -> Household:
    """Create or change a household (contact details, housing benefit, vulnerability flags)."""
    created = household is None
    household = household or Household(organization_id=_org_id(organization))
    ref = fields.get("external_ref", household.external_ref)
    if (
        ref
        and Household.objects.for_organization(organization)
        .filter(external_ref=ref)
        .exclude(pk=household.pk)
        .exists()
    ):
        raise ValidationError({"external_ref": "Un ménage porte déjà cette référence."})
    changed = [
        household._meta.get_field(name).verbose_name
        for name, value in fields.items()
        if getattr(household, name, None) != value
    ]
    _apply(household, fields, acting_user)
    if created:
        timeline.record(
            household=household,
            category=CATEGORY,
            kind="household.created",
            title="Création du dossier ménage",
            actor=acting_user,
            subject=household,
            url=_household_url(household),
        )
    elif changed:
        timeline.record(
            household=household,
            category=CATEGORY,
            kind="household.updated",
            title="Coordonnées et situation du ménage modifiées",
            summary="Champs modifiés : " + ", ".join(str(c) for c in changed),
            actor=acting_user,
            subject=household,
            url=_household_url(household),
        )
    household_reindex(household)
    return household


@transaction.atomic
def person_save(
    *, household: Household, acting_user: Any, person: Person | None = None, **fields: Any
) -> Person:
    """Add a member to the household, or change one."""
    created = person is None
    person = person or Person(organization_id=household.organization_id, household=household)
    if person.household_id != household.pk:
        raise ValidationError("Ce membre n'appartient pas à ce ménage.")
    relationship = fields.get("relationship", person.relationship)
    if (
        relationship == "reference"
        and household.members.filter(relationship="reference").exclude(pk=person.pk).exists()
    ):
        raise ValidationError({"relationship": "Le ménage a déjà une personne de référence."})
    birth_date = fields.get("birth_date", person.birth_date)
    if birth_date and birth_date > datetime.date.today():
        raise ValidationError({"birth_date": "La date de naissance est dans le futur."})
    _apply(person, fields, acting_user)
    name = f"{person.first_name} {person.last_name}"
    timeline.record(
        household=household,
        category=CATEGORY,
        kind="member.added" if created else "member.updated",
        title=f"{'Arrivée' if created else 'Mise à jour'} de {name} dans la composition du ménage",
        actor=acting_user,
        subject=person,
        url=_household_url(household),
    )
    household_reindex(household)
    return person


@transaction.atomic
def person_remove(*, person: Person, acting_user: Any, reason: str = "") -> None:
    """A member leaves the household (departure, death…): the row and its incomes go; the
    timeline keeps the fact."""
    household = person.household
    name = f"{person.first_name} {person.last_name}"
    timeline.record(
        household=household,
        category=CATEGORY,
        kind="member.removed",
        title=f"Départ de {name} du ménage",
        summary=reason,
        actor=acting_user,
        url=_household_url(household),
    )
    person.delete()
    household_reindex(household)


@transaction.atomic
def income_save(
    *, person: Person, acting_user: Any, income: Income | None = None, **fields: Any
) -> Income:
    created = income is None
    income = income or Income(organization_id=person.organization_id, person=person)
    if income.person_id != person.pk:
        raise ValidationError("Cette ressource n'appartient pas à ce membre.")
    start, end = (
        fields.get("valid_from", income.valid_from),
        fields.get("valid_until", income.valid_until),
    )
    if start and end and end < start:
        raise ValidationError({"valid_until": "La fin doit suivre le début."})
    _apply(income, fields, acting_user)
    timeline.record(
        household=person.household,
        category=CATEGORY,
        kind="income.added" if created else "income.updated",
        title=(
            f"{'Nouvelle ressource' if created else 'Ressource modifiée'} : "
            f"{income.get_kind_display()} de {person.first_name} {person.last_name}"
        ),
        actor=acting_user,
        subject=income,
        url=_household_url(person.household),
    )
    return income


@transaction.atomic
def income_remove(*, income: Income, acting_user: Any) -> None:
    person = income.person
    timeline.record(
        household=person.household,
        category=CATEGORY,
        kind="income.removed",
        title=f"Ressource retirée : {income.get_kind_display()} de {person.first_name} {person.last_name}",
        actor=acting_user,
        url=_household_url(person.household),
    )
    income.delete()


# --- Leases -------------------------------------------------------------------------------------


def _lock_dwelling(dwelling: Dwelling) -> Dwelling:
    return Dwelling.objects.select_for_update(of=("self",)).get(pk=dwelling.pk)


@transaction.atomic
def lease_create(
    *,
    household: Household,
    dwelling: Dwelling,
    acting_user: Any,
    start_date: datetime.date,
    signed_on: datetime.date | None = None,
    kind: str = LeaseKind.ORDINARY,
    lessee_partner: Partner | None = None,
    external_ref: str = "",
) -> Lease:
    """A new lease: the dwelling becomes occupied. At most one current lease per dwelling."""
    if dwelling.organization_id != household.organization_id:
        raise ValidationError({"dwelling": "Logement inconnu dans cette organisation."})
    _same_org(lessee_partner, household.organization_id, "lessee_partner", "Partenaire")
    dwelling = _lock_dwelling(dwelling)
    if dwelling.leases.filter(end_date__isnull=True).exists():
        raise ValidationError(
            {"dwelling": f"Le logement {dwelling.reference} a déjà un bail en cours."}
        )
    if kind in (LeaseKind.SLIDING, LeaseKind.SUBLET) and lessee_partner is None:
        raise ValidationError(
            {"lessee_partner": "Un bail glissant ou une sous-location a une association locataire."}
        )
    if kind in (LeaseKind.ORDINARY, LeaseKind.TEMPORARY):
        lessee_partner = lessee_partner if kind == LeaseKind.TEMPORARY else None
    if (
        external_ref
        and Lease.objects.filter(
            organization_id=household.organization_id, external_ref=external_ref
        ).exists()
    ):
        raise ValidationError({"external_ref": "Un bail porte déjà cette référence."})
    lease = _apply(
        Lease(organization_id=household.organization_id),
        {
            "household": household,
            "dwelling": dwelling,
            "kind": kind,
            "lessee_partner": lessee_partner,
            "start_date": start_date,
            "signed_on": signed_on or start_date,
            "external_ref": external_ref,
        },
        acting_user,
    )
    if dwelling.status != DwellingStatus.OCCUPIED:
        dwelling.status = DwellingStatus.OCCUPIED
        dwelling.updated_by = acting_user
        dwelling.save(update_fields=["status", "updated_by", "updated_at"])
    timeline.record(
        household=household,
        category=CATEGORY,
        kind="lease.started",
        title=f"Entrée dans le logement {dwelling.reference} ({lease.get_kind_display()})",
        summary=str(dwelling.residence),
        actor=acting_user,
        subject=lease,
        at=start_date,
        url=_household_url(household),
    )
    household_reindex(household)
    return lease


@transaction.atomic
def lease_end(
    *,
    lease: Lease,
    end_date: datetime.date,
    reason: str,
    acting_user: Any,
    free_dwelling: bool = True,
) -> Lease:
    """End a current lease (departure, transfer, eviction, death…); the dwelling becomes
    vacant unless `free_dwelling` is False."""
    if lease.end_date is not None:
        raise ValidationError({"end_date": "Ce bail est déjà terminé."})
    if end_date < lease.start_date:
        raise ValidationError({"end_date": "La fin du bail ne peut précéder son début."})
    if reason not in LeaseEndReason.values:
        raise ValidationError({"end_reason": "Motif de fin inconnu."})
    dwelling = _lock_dwelling(lease.dwelling)
    lease.end_date = end_date
    lease.end_reason = reason
    lease.updated_by = acting_user
    lease.save(update_fields=["end_date", "end_reason", "updated_by", "updated_at"])
    if free_dwelling:
        dwelling.status = DwellingStatus.VACANT
        dwelling.updated_by = acting_user
        dwelling.save(update_fields=["status", "updated_by", "updated_at"])
    timeline.record(
        household=lease.household,
        category=CATEGORY,
        kind="lease.ended",
        title=f"Fin du bail du logement {dwelling.reference} ({lease.get_end_reason_display()})",
        actor=acting_user,
        subject=lease,
        at=end_date,
        url=_household_url(lease.household),
    )
    return lease


@transaction.atomic
def lease_slide(*, lease: Lease, slide_date: datetime.date, acting_user: Any) -> Lease:
    """Glissement: the sliding lease held by the association ends on `slide_date` (reason
    "slid") and an ordinary lease in the household's name starts that day. Returns it."""
    if lease.kind != LeaseKind.SLIDING:
        raise ValidationError({"kind": "Seul un bail glissant peut glisser au ménage."})
    if lease.end_date is not None:
        raise ValidationError({"slide_date": "Ce bail est terminé."})
    if slide_date < lease.start_date:
        raise ValidationError({"slide_date": "Le glissement ne peut précéder le début du bail."})
    lease.slide_date = slide_date
    lease.save(update_fields=["slide_date", "updated_at"])
    lease_end(
        lease=lease,
        end_date=slide_date,
        reason=LeaseEndReason.SLID,
        acting_user=acting_user,
        free_dwelling=False,
    )
    new_lease = lease_create(
        household=lease.household,
        dwelling=lease.dwelling,
        acting_user=acting_user,
        start_date=slide_date,
        signed_on=slide_date,
        kind=LeaseKind.ORDINARY,
    )
    timeline.record(
        household=lease.household,
        category=CATEGORY,
        kind="lease.slid",
        title=f"Glissement du bail au ménage (logement {lease.dwelling.reference})",
        summary=f"Association : {lease.lessee_partner}",
        actor=acting_user,
        subject=new_lease,
        at=slide_date,
        url=_household_url(lease.household),
    )
    return new_lease


@transaction.atomic
def lease_transfer(
    *, lease: Lease, dwelling: Dwelling, transfer_date: datetime.date, acting_user: Any
) -> Lease:
    """Mutation: the current lease ends (reason "transfer") and an ordinary lease of `dwelling`
    starts the same day. Returns the new lease."""
    if dwelling.pk == lease.dwelling_id:
        raise ValidationError({"dwelling": "Choisissez un autre logement."})
    lease_end(
        lease=lease, end_date=transfer_date, reason=LeaseEndReason.TRANSFER, acting_user=acting_user
    )
    return lease_create(
        household=lease.household,
        dwelling=dwelling,
        acting_user=acting_user,
        start_date=transfer_date,
        signed_on=transfer_date,
    )


# --- Duplicates ---------------------------------------------------------------------------------


PERSON_FILLABLE = ("birth_name", "phone", "disability_detail")


@transaction.atomic
def persons_merge(*, keep: Person, duplicate: Person, acting_user: Any) -> Person:
    """Merge `duplicate` into `keep` (an explicit decision: nothing is merged automatically).
    `keep` takes the duplicate's incomes and the details it lacks; the duplicate is deleted.
    Both households' timelines record it; the audit trail keeps both rows' history."""
    if keep.pk == duplicate.pk:
        raise ValidationError("Choisissez deux personnes différentes.")
    if keep.organization_id != duplicate.organization_id:
        raise ValidationError("Personne inconnue dans cette organisation.")
    keep = Person.objects.select_for_update(of=("self",)).get(pk=keep.pk)
    duplicate = Person.objects.select_for_update(of=("self",)).get(pk=duplicate.pk)
    moved = Income.objects.filter(person=duplicate).update(person=keep)
    for field in PERSON_FILLABLE:
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
    keep.has_disability = keep.has_disability or duplicate.has_disability
    keep.needs_adapted_dwelling = keep.needs_adapted_dwelling or duplicate.needs_adapted_dwelling
    keep.updated_by = acting_user
    keep.save()
    name = f"{keep.first_name} {keep.last_name}"
    summary = f"Fiche en double supprimée ; {moved} ressource(s) reprise(s)."
    households = {keep.household_id: keep.household, duplicate.household_id: duplicate.household}
    duplicate.delete()
    for household in households.values():
        timeline.record(
            household=household,
            category=CATEGORY,
            kind="member.merged",
            title=f"Fusion de deux fiches de {name}",
            summary=summary,
            actor=acting_user,
            subject=keep,
            url=_household_url(household),
        )
        household_reindex(household)
    return keep
