"""Services: validations (French, by field), state machine, reuse of offers and accompaniments."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import TimelineEvent
from operations import services
from operations.enums import DwellingRole, RelocationKind, RelocationStatus
from operations.imports import import_register_statistics
from operations.models import Prospection, RegisterStatistic
from tests.allocations.factories import HousingApplicationFactory, OfferFactory
from tests.cases.factories import SocialCaseFactory
from tests.housing.factories import DwellingFactory, HouseholdFactory
from tests.operations.factories import (
    CollectiveActionFactory,
    RelocationDwellingFactory,
    RelocationHouseholdFactory,
    RelocationOperationFactory,
)
from tests.organizations.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def test_prospection_logged_with_timeline(org: Any, member_of: Any, in_org: Any) -> None:
    officer = member_of(org, "commission_secretary")
    application = HousingApplicationFactory(organization=org)
    dwelling = DwellingFactory(organization=org)
    with in_org(org):
        p = services.prospection_log(
            organization=org,
            application=application,
            dwelling=dwelling,
            outcome="documents_requested",
            user=officer,
        )
        assert p.contacted_by == officer
        assert TimelineEvent.objects.filter(kind="prospection").count() == 1
        with pytest.raises(ValidationError) as error:
            services.prospection_log(
                organization=org,
                application=application,
                dwelling=dwelling,
                outcome="maybe",
                user=officer,
            )
        assert "outcome" in error.value.error_dict
        assert Prospection.objects.count() == 1


def test_prospection_refuses_another_organisations_dwelling(
    org: Any, other_org: Any, member_of: Any, in_org: Any
) -> None:
    officer = member_of(org, "commission_secretary")
    application = HousingApplicationFactory(organization=org)
    foreign = DwellingFactory(organization=other_org)
    with in_org(org), pytest.raises(ValidationError) as error:
        services.prospection_log(
            organization=org,
            application=application,
            dwelling=foreign,
            outcome="interested",
            user=officer,
        )
    assert "dwelling" in error.value.error_dict


def test_relocation_state_machine(org: Any, member_of: Any, in_org: Any) -> None:
    user = member_of(org, "manager")
    link = RelocationHouseholdFactory(organization=org)
    with in_org(org):
        with pytest.raises(ValidationError) as error:
            services.relocation_household_advance(
                link=link, to=RelocationStatus.REHOUSED, user=user
            )
        assert "status" in error.value.error_dict
        day = datetime.date(2026, 3, 1)
        for status in (
            RelocationStatus.MET,
            RelocationStatus.SURVEYED,
            RelocationStatus.AGREEMENT_SIGNED,
            RelocationStatus.REHOUSED,
        ):
            link = services.relocation_household_advance(link=link, to=status, user=user, on=day)
        assert link.rehoused_on == day and link.agreement_signed_on == day
        with pytest.raises(ValidationError):
            services.relocation_household_advance(
                link=link, to=RelocationStatus.WITHDRAWN, user=user
            )


def test_positioning_reuses_offers_on_mobilised_dwellings_only(
    org: Any, member_of: Any, in_org: Any
) -> None:
    user = member_of(org, "manager")
    operation = RelocationOperationFactory(organization=org)
    mobilised = RelocationDwellingFactory(
        organization=org, operation=operation, role=DwellingRole.MOBILISED
    ).dwelling
    offer = OfferFactory(organization=org)
    link = RelocationHouseholdFactory(
        organization=org, operation=operation, household=offer.application.household
    )
    with in_org(org):
        with pytest.raises(ValidationError) as error:
            services.relocation_position(
                link=link, dwelling=DwellingFactory(organization=org), user=user
            )
        assert "dwelling" in error.value.error_dict
        positioning = services.relocation_position(
            link=link, dwelling=mobilised, user=user, offer=offer
        )
        assert positioning.offer == offer
        other_offer = OfferFactory(organization=org)
        with pytest.raises(ValidationError) as error:
            services.relocation_position(
                link=link, dwelling=mobilised, user=user, offer=other_offer
            )
        assert "offer" in error.value.error_dict


def test_accompaniment_link_reuses_the_social_case(org: Any, member_of: Any, in_org: Any) -> None:
    user = member_of(org, "social_worker")
    household = HouseholdFactory(organization=org)
    link = RelocationHouseholdFactory(organization=org, household=household)
    case = SocialCaseFactory(organization=org, household=household)
    with in_org(org):
        services.relocation_accompaniment_link(link=link, social_case=case, user=user)
        with pytest.raises(ValidationError):
            services.relocation_accompaniment_link(
                link=link, social_case=SocialCaseFactory(organization=org), user=user
            )


def test_operation_save_with_through_models(org: Any, member_of: Any, in_org: Any) -> None:
    user = member_of(org, "manager")
    dwellings = [DwellingFactory(organization=org) for _ in range(3)]
    with in_org(org):
        operation = services.relocation_operation_save(
            organization=org,
            user=user,
            name="Réhabilitation Saint-Eloy",
            kind=RelocationKind.REHABILITATION,
            starts_on=datetime.date(2026, 1, 1),
            residences=[dwellings[0].residence],
            concerned_dwellings=dwellings[:2],
            mobilised_dwellings=dwellings[2:],
        )
        assert operation.dwelling_links.filter(role=DwellingRole.CONCERNED).count() == 2
        with pytest.raises(ValidationError) as error:
            services.relocation_operation_save(
                organization=org,
                user=user,
                name="X",
                kind=RelocationKind.OTHER,
                starts_on=datetime.date(2026, 1, 1),
                ends_on=datetime.date(2025, 1, 1),
            )
        assert "ends_on" in error.value.error_dict


def test_collective_action_validations(org: Any, member_of: Any, in_org: Any) -> None:
    user = member_of(org, "social_worker")
    with in_org(org):
        with pytest.raises(ValidationError) as error:
            services.collective_action_save(
                organization=org,
                user=user,
                name="Job dating",
                kind="employment",
                starts_on=datetime.date(2026, 4, 1),
                participants=24,
                back_to_work=30,
            )
        assert "back_to_work" in error.value.error_dict
        action = CollectiveActionFactory(organization=org)
        funding = services.action_funding_add(
            action=action,
            funder_name="Fondation",
            amount=Decimal("60000"),
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2028, 12, 31),
            user=user,
        )
        assert funding.amount == Decimal("60000")
        with pytest.raises(ValidationError) as error:
            services.action_funding_add(
                action=action,
                funder_name="Fondation",
                amount=Decimal("1"),
                starts_on=datetime.date(2026, 1, 1),
                ends_on=datetime.date(2025, 1, 1),
                user=user,
            )
        assert "ends_on" in error.value.error_dict


def test_register_import_all_or_nothing(org: Any, member_of: Any, in_org: Any) -> None:
    user = member_of(org, "manager")
    TerritoryFactory(organization=org, name="Lorraine")
    good = b"territoire;date;demandes_actives\nLorraine;31/12/2026;29000\n"
    bad = "territoire;date;demandes_actives\nLorraine;30/06/2026;28000\nMars;30/06/2026;1\n"
    with in_org(org):
        assert (
            import_register_statistics(
                organization=org, user=user, file=SimpleUploadedFile("a.csv", good)
            )
            == 1
        )
        with pytest.raises(ValidationError) as error:
            import_register_statistics(
                organization=org, user=user, file=SimpleUploadedFile("b.csv", bad.encode())
            )
        assert "ligne 3" in str(error.value)
        assert list(RegisterStatistic.objects.values_list("active_demands", flat=True)) == [29000]
