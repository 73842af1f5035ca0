"""Writes of the operations app: keyword-only, atomic, French errors keyed by field."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import timeline
from operations.enums import DwellingRole, ProspectionOutcome, RelocationStatus
from operations.models import (
    ActionFunding,
    ActionParticipant,
    ActionPartner,
    ActionResidence,
    CollectiveAction,
    InsertionClause,
    Prospection,
    RegisterStatistic,
    RelocationDwelling,
    RelocationHousehold,
    RelocationOperation,
    RelocationPartner,
    RelocationPositioning,
    RelocationResidence,
)


def _same_org(organization: Any, **objects: Any) -> None:
    for field, obj in objects.items():
        if obj is not None and obj.organization_id != organization.pk:
            raise ValidationError({field: "Objet inconnu dans cette organisation."})


# --- Prospections ----------------------------------------------------------------------------------


@transaction.atomic
def prospection_log(
    *,
    organization: Any,
    application: Any,
    dwelling: Any,
    outcome: str,
    user: Any,
    session_dwelling: Any = None,
    contacted_on: datetime.date | None = None,
) -> Prospection:
    _same_org(
        organization, application=application, dwelling=dwelling, session_dwelling=session_dwelling
    )
    if outcome not in ProspectionOutcome.values:
        raise ValidationError({"outcome": "Résultat de prospection inconnu."})
    contacted_on = contacted_on or timezone.localdate()
    if contacted_on > timezone.localdate():
        raise ValidationError({"contacted_on": "La date du contact ne peut pas être future."})
    prospection = Prospection.objects.create(
        organization=organization,
        application=application,
        dwelling=dwelling,
        residence_id=dwelling.residence_id,
        session_dwelling=session_dwelling,
        outcome=outcome,
        contacted_on=contacted_on,
        contacted_by=user,
        created_by=user,
    )
    timeline.record(
        household=application.household,
        category="allocations",
        kind="prospection",
        title=f"Prospection sur le logement {dwelling.reference} : "
        f"{prospection.get_outcome_display().lower()}",
        actor=user,
        subject=prospection,
        at=contacted_on,
    )
    return prospection


@transaction.atomic
def register_statistic_set(
    *,
    organization: Any,
    territory: Any,
    on: datetime.date,
    active_demands: int,
    user: Any,
    source: str = "",
) -> RegisterStatistic:
    """Enter (or correct) the register's active demands for a territory on a date."""
    _same_org(organization, territory=territory)
    if active_demands is None or int(active_demands) < 0:
        raise ValidationError({"active_demands": "Le nombre de demandes doit être positif."})
    stat, created = RegisterStatistic.objects.for_organization(organization).get_or_create(
        organization=organization,
        territory=territory,
        on=on,
        defaults={"active_demands": active_demands, "source": source, "created_by": user},
    )
    if not created:
        stat.active_demands = active_demands
        stat.source = source or stat.source
        stat.updated_by = user
        stat.save(update_fields=["active_demands", "source", "updated_by", "updated_at"])
    return stat


# --- Relocation operations ---------------------------------------------------------------------


@transaction.atomic
def relocation_operation_save(
    *,
    organization: Any,
    user: Any,
    name: str,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    description: str = "",
    residences: list | None = None,
    concerned_dwellings: list | None = None,
    mobilised_dwellings: list | None = None,
    partners: list | None = None,
    operation: RelocationOperation | None = None,
) -> RelocationOperation:
    if not name.strip():
        raise ValidationError({"name": "Le nom est obligatoire."})
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "La fin doit suivre le début."})
    for field, objs in (
        ("residences", residences),
        ("concerned_dwellings", concerned_dwellings),
        ("mobilised_dwellings", mobilised_dwellings),
        ("partners", partners),
    ):
        for obj in objs or []:
            _same_org(organization, **{field: obj})
    if operation is None:
        operation = RelocationOperation(organization=organization, created_by=user)
    operation.name, operation.kind = name.strip(), kind
    operation.starts_on, operation.ends_on, operation.description = starts_on, ends_on, description
    operation.updated_by = user
    operation.full_clean(exclude=["organization", "created_by", "updated_by"])
    operation.save()
    if residences is not None:
        operation.residence_links.exclude(residence__in=residences).delete()
        for residence in residences:
            RelocationResidence.objects.get_or_create(
                organization=organization, operation=operation, residence=residence
            )
    for role, dwellings in (
        (DwellingRole.CONCERNED, concerned_dwellings),
        (DwellingRole.MOBILISED, mobilised_dwellings),
    ):
        if dwellings is None:
            continue
        operation.dwelling_links.filter(role=role).exclude(dwelling__in=dwellings).delete()
        for dwelling in dwellings:
            RelocationDwelling.objects.get_or_create(
                organization=organization, operation=operation, dwelling=dwelling, role=role
            )
    if partners is not None:
        operation.partner_links.exclude(partner__in=partners).delete()
        for partner in partners:
            RelocationPartner.objects.get_or_create(
                organization=organization, operation=operation, partner=partner
            )
    return operation


@transaction.atomic
def relocation_household_add(
    *, operation: RelocationOperation, household: Any, user: Any, social_case: Any = None
) -> RelocationHousehold:
    organization = operation.organization
    _same_org(organization, household=household, social_case=social_case)
    if operation.households.filter(household=household).exists():
        raise ValidationError({"household": "Ce ménage est déjà concerné par l'opération."})
    link = RelocationHousehold.objects.create(
        organization=organization,
        operation=operation,
        household=household,
        social_case=social_case,
        created_by=user,
    )
    timeline.record(
        household=household,
        category="allocations",
        kind="relocation_identified",
        title=f"Concerné par l'opération de relogement « {operation.name} »",
        actor=user,
        subject=link,
    )
    return link


@transaction.atomic
def relocation_household_advance(
    *,
    link: RelocationHousehold,
    to: str,
    user: Any,
    on: datetime.date | None = None,
    is_transfer: bool | None = None,
) -> RelocationHousehold:
    link = RelocationHousehold.objects.select_for_update().get(pk=link.pk)
    if to not in RelocationStatus.values or not link.can_transition(to):
        raise ValidationError(
            {"status": f"Passage impossible de « {link.get_status_display()} » à ce statut."}
        )
    on = on or timezone.localdate()
    previous = link.get_status_display()
    link.status = to
    date_field = RelocationHousehold.DATE_FIELDS.get(RelocationStatus(to))
    if date_field:
        setattr(link, date_field, on)
    if is_transfer is not None:
        link.is_transfer = is_transfer
    link.updated_by = user
    link.save()
    timeline.record(
        household=link.household,
        category="allocations",
        kind="relocation_status",
        title=f"Relogement « {link.operation.name} » : {previous} → {link.get_status_display()}",
        actor=user,
        subject=link,
        at=on,
    )
    return link


@transaction.atomic
def relocation_accompaniment_link(
    *, link: RelocationHousehold, social_case: Any, user: Any
) -> RelocationHousehold:
    """Link the household's accompaniment (cases.SocialCase), reused as is."""
    _same_org(link.organization, social_case=social_case)
    if social_case is not None and social_case.household_id != link.household_id:
        raise ValidationError({"social_case": "Cet accompagnement concerne un autre ménage."})
    link.social_case = social_case
    link.updated_by = user
    link.save(update_fields=["social_case", "updated_by", "updated_at"])
    return link


@transaction.atomic
def relocation_position(
    *,
    link: RelocationHousehold,
    dwelling: Any,
    user: Any,
    positioned_on: datetime.date | None = None,
    offer: Any = None,
) -> RelocationPositioning:
    """Position the household on a dwelling mobilised for the operation, optionally with the
    allocation offer made on it (allocations.Offer, reused as is)."""
    organization = link.organization
    _same_org(organization, dwelling=dwelling, offer=offer)
    if not link.operation.dwelling_links.filter(
        dwelling=dwelling, role=DwellingRole.MOBILISED
    ).exists():
        raise ValidationError({"dwelling": "Ce logement n'est pas mobilisé pour l'opération."})
    if offer is not None and offer.application.household_id != link.household_id:
        raise ValidationError({"offer": "Cette proposition concerne un autre ménage."})
    return RelocationPositioning.objects.create(
        organization=organization,
        relocation_household=link,
        dwelling=dwelling,
        positioned_on=positioned_on or timezone.localdate(),
        offer=offer,
        created_by=user,
    )


# --- Collective actions ------------------------------------------------------------------------


@transaction.atomic
def collective_action_save(
    *,
    organization: Any,
    user: Any,
    name: str,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    neighbourhood: str = "",
    sessions: int = 1,
    participants: int = 0,
    households_reached: int = 0,
    back_to_work: int = 0,
    outcomes: str = "",
    cost: Decimal = Decimal("0"),
    residences: list | None = None,
    partners: list | None = None,
    action: CollectiveAction | None = None,
) -> CollectiveAction:
    if not name.strip():
        raise ValidationError({"name": "L'intitulé est obligatoire."})
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "La fin doit suivre le début."})
    if back_to_work > participants:
        raise ValidationError({"back_to_work": "Plus de retours à l'emploi que de participants."})
    for field, objs in (("residences", residences), ("partners", partners)):
        for obj in objs or []:
            _same_org(organization, **{field: obj})
    if action is None:
        action = CollectiveAction(organization=organization, created_by=user)
    for field, value in {
        "name": name.strip(),
        "kind": kind,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "neighbourhood": neighbourhood,
        "sessions": sessions,
        "participants": participants,
        "households_reached": households_reached,
        "back_to_work": back_to_work,
        "outcomes": outcomes,
        "cost": cost,
    }.items():
        setattr(action, field, value)
    action.updated_by = user
    action.full_clean(exclude=["organization", "created_by", "updated_by"])
    action.save()
    if residences is not None:
        action.residence_links.exclude(residence__in=residences).delete()
        for residence in residences:
            ActionResidence.objects.get_or_create(
                organization=organization, action=action, residence=residence
            )
    if partners is not None:
        action.partner_links.exclude(partner__in=partners).delete()
        for partner in partners:
            ActionPartner.objects.get_or_create(
                organization=organization, action=action, partner=partner
            )
    return action


@transaction.atomic
def action_funding_add(
    *,
    action: CollectiveAction,
    funder_name: str,
    amount: Decimal,
    starts_on: datetime.date,
    ends_on: datetime.date,
    user: Any,
    funder: Any = None,
) -> ActionFunding:
    _same_org(action.organization, funder=funder)
    if amount is None or amount < 0:
        raise ValidationError({"amount": "Le montant doit être positif."})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "La fin de la période doit suivre son début."})
    return ActionFunding.objects.create(
        organization=action.organization,
        action=action,
        funder=funder,
        funder_name=funder_name or (funder.name if funder else ""),
        amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=user,
    )


@transaction.atomic
def action_participant_add(
    *, action: CollectiveAction, household: Any, user: Any, back_to_work: bool = False
) -> ActionParticipant:
    _same_org(action.organization, household=household)
    participant, _ = ActionParticipant.objects.update_or_create(
        organization=action.organization,
        action=action,
        household=household,
        defaults={"back_to_work": back_to_work, "updated_by": user},
    )
    timeline.record(
        household=household,
        category="cases",
        kind="collective_action",
        title=f"Participe à l'action collective « {action.name} »",
        actor=user,
        subject=participant,
        at=action.starts_on,
    )
    return participant


@transaction.atomic
def insertion_clause_save(
    *,
    organization: Any,
    user: Any,
    contract: str,
    year: int,
    required_hours: int,
    achieved_hours: int = 0,
    contractor: str = "",
    residence: Any = None,
    clause: InsertionClause | None = None,
) -> InsertionClause:
    _same_org(organization, residence=residence)
    if not contract.strip():
        raise ValidationError({"contract": "Le marché est obligatoire."})
    if required_hours < 0 or achieved_hours < 0:
        raise ValidationError({"required_hours": "Les heures doivent être positives."})
    clause = clause or InsertionClause(organization=organization, created_by=user)
    clause.contract, clause.contractor, clause.residence = contract.strip(), contractor, residence
    clause.year, clause.required_hours, clause.achieved_hours = year, required_hours, achieved_hours
    clause.updated_by = user
    clause.save()
    return clause
