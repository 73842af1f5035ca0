"""Services: validation in French, timeline events, nothing half-saved."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.models import TimelineEvent
from housing import services
from housing.enums import DwellingStatus, LeaseKind
from housing.models import Dwelling, Household, Income, Lease, Person
from tests.housing.factories import (
    DwellingFactory,
    HouseholdFactory,
    IncomeFactory,
    LeaseFactory,
    PartnerFactory,
    PersonFactory,
    ResidenceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(org, member_of):
    return member_of(org, "social_worker")


def kinds(household) -> list[str]:
    return list(
        TimelineEvent.objects.filter(household=household)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def test_household_create_records_timeline_and_search_text(org, in_org, user) -> None:
    with in_org(org):
        household = services.household_save(
            organization=org, acting_user=user, name="Ménage Gaëlle Müller", phone="06.11.22.33.44"
        )
        household.refresh_from_db()
        assert kinds(household) == ["household.created"]
        assert "gaelle muller" in household.search_text
        assert "0611223344" in household.search_text


def test_household_update_records_only_real_changes(org, in_org, user) -> None:
    household = HouseholdFactory(organization=org)
    with in_org(org):
        services.household_save(
            organization=org, acting_user=user, household=household, name=household.name
        )
        assert kinds(household) == []
        services.household_save(
            organization=org, acting_user=user, household=household, phone="07 00 00 00 00"
        )
        assert kinds(household) == ["household.updated"]


def test_duplicate_external_ref_is_refused_in_french(org, in_org, user) -> None:
    HouseholdFactory(organization=org, external_ref="M001")
    with in_org(org), pytest.raises(ValidationError) as error:
        services.household_save(organization=org, acting_user=user, name="X", external_ref="M001")
    assert error.value.message_dict["external_ref"] == ["Un ménage porte déjà cette référence."]


def test_second_reference_person_is_refused(org, in_org, user) -> None:
    person = PersonFactory(organization=org)
    with in_org(org), pytest.raises(ValidationError) as error:
        services.person_save(
            household=person.household,
            acting_user=user,
            first_name="Paul",
            last_name="Martin",
            relationship="reference",
        )
    assert "personne de référence" in error.value.message_dict["relationship"][0]


def test_member_and_income_changes_are_on_the_timeline(org, in_org, user) -> None:
    household = HouseholdFactory(organization=org)
    with in_org(org):
        person = services.person_save(
            household=household,
            acting_user=user,
            first_name="Zoé",
            last_name="Lefèvre",
            relationship="reference",
            birth_date=datetime.date(1990, 1, 1),
        )
        income = services.income_save(
            person=person, acting_user=user, kind="aah", declared_monthly_amount=Decimal("1016.05")
        )
        services.income_remove(income=income, acting_user=user)
        services.person_remove(person=person, acting_user=user, reason="Départ")
        assert kinds(household) == [
            "member.added",
            "income.added",
            "income.removed",
            "member.removed",
        ]
        assert not Person.objects.filter(pk=person.pk).exists()


def test_income_period_must_be_ordered(org, in_org, user) -> None:
    person = PersonFactory(organization=org)
    with in_org(org), pytest.raises(ValidationError) as error:
        services.income_save(
            person=person,
            acting_user=user,
            kind="salary",
            declared_monthly_amount=Decimal("1000"),
            valid_from=datetime.date(2026, 5, 1),
            valid_until=datetime.date(2026, 1, 1),
        )
    assert "valid_until" in error.value.message_dict


def test_lease_create_occupies_the_dwelling_and_refuses_a_second(org, in_org, user) -> None:
    dwelling = DwellingFactory(organization=org)
    first, second = HouseholdFactory(organization=org), HouseholdFactory(organization=org)
    with in_org(org):
        services.lease_create(
            household=first,
            dwelling=dwelling,
            acting_user=user,
            start_date=datetime.date(2026, 1, 1),
        )
        dwelling.refresh_from_db()
        assert dwelling.status == DwellingStatus.OCCUPIED
        with pytest.raises(ValidationError) as error:
            services.lease_create(
                household=second,
                dwelling=dwelling,
                acting_user=user,
                start_date=datetime.date(2026, 2, 1),
            )
        assert "déjà un bail en cours" in error.value.message_dict["dwelling"][0]
        assert Lease.objects.filter(household=second).count() == 0
        assert kinds(first) == ["lease.started"]


def test_sublet_needs_an_association(org, in_org, user) -> None:
    dwelling = DwellingFactory(organization=org)
    household = HouseholdFactory(organization=org)
    with in_org(org), pytest.raises(ValidationError) as error:
        services.lease_create(
            household=household,
            dwelling=dwelling,
            acting_user=user,
            start_date=datetime.date(2026, 1, 1),
            kind=LeaseKind.SUBLET,
        )
    assert "lessee_partner" in error.value.message_dict


def test_lease_end_frees_the_dwelling(org, in_org, user) -> None:
    lease = LeaseFactory(organization=org)
    with in_org(org):
        services.lease_end(
            lease=lease, end_date=datetime.date(2026, 3, 31), reason="moved_out", acting_user=user
        )
        lease.refresh_from_db()
        assert lease.end_date == datetime.date(2026, 3, 31)
        assert Dwelling.objects.get(pk=lease.dwelling_id).status == DwellingStatus.VACANT
        with pytest.raises(ValidationError):
            services.lease_end(
                lease=lease, end_date=datetime.date(2026, 4, 1), reason="other", acting_user=user
            )


def test_lease_end_before_start_is_refused(org, in_org, user) -> None:
    lease = LeaseFactory(organization=org, start_date=datetime.date(2024, 1, 1))
    with in_org(org), pytest.raises(ValidationError) as error:
        services.lease_end(
            lease=lease, end_date=datetime.date(2023, 1, 1), reason="other", acting_user=user
        )
    assert "précéder" in error.value.message_dict["end_date"][0]


def test_sliding_lease_slides_to_the_household(org, in_org, user) -> None:
    association = PartnerFactory(organization=org)
    lease = LeaseFactory(organization=org, kind=LeaseKind.SLIDING, lessee_partner=association)
    with in_org(org):
        new_lease = services.lease_slide(
            lease=lease, slide_date=datetime.date(2025, 9, 1), acting_user=user
        )
        lease.refresh_from_db()
        assert lease.end_reason == "slid"
        assert lease.slide_date == datetime.date(2025, 9, 1)
        assert new_lease.kind == LeaseKind.ORDINARY
        assert new_lease.lessee_partner is None
        assert new_lease.end_date is None
        assert Dwelling.objects.get(pk=lease.dwelling_id).status == DwellingStatus.OCCUPIED
        assert "lease.slid" in kinds(lease.household)


def test_transfer_ends_and_starts_leases(org, in_org, user) -> None:
    lease = LeaseFactory(organization=org)
    target = DwellingFactory(organization=org)
    with in_org(org):
        new_lease = services.lease_transfer(
            lease=lease, dwelling=target, transfer_date=datetime.date(2026, 4, 1), acting_user=user
        )
        lease.refresh_from_db()
        assert lease.end_reason == "transfer"
        assert new_lease.dwelling_id == target.pk
        household = Household.objects.get(pk=lease.household_id)
        assert household.leases.count() == 2


def test_dwelling_reference_is_unique_and_residence_scoped(org, other_org, in_org) -> None:
    user_residence = ResidenceFactory(organization=org)
    foreign = ResidenceFactory(organization=other_org)
    DwellingFactory(organization=org, reference="A1")
    fields = {
        "typology": "T2",
        "surface": Decimal("40"),
        "financing": "plus",
        "rent": Decimal("300"),
        "charges": Decimal("50"),
    }
    with in_org(org):
        with pytest.raises(ValidationError) as error:
            services.dwelling_save(
                organization=org,
                acting_user=None,
                residence=user_residence,
                reference="A1",
                **fields,
            )
        assert error.value.message_dict["reference"] == ["Un logement porte déjà cette référence."]
        with pytest.raises(ValidationError) as error:
            services.dwelling_save(
                organization=org, acting_user=None, residence=foreign, reference="A2", **fields
            )
        assert "residence" in error.value.message_dict


def test_merge_persons_moves_incomes_and_records_it(org, in_org, user) -> None:
    keep = PersonFactory(organization=org, first_name="Jean", last_name="Dupont", phone="")
    duplicate = PersonFactory(
        organization=org,
        first_name="Jean",
        last_name="Dupont",
        birth_date=keep.birth_date,
        phone="06 00 00 00 01",
    )
    IncomeFactory(organization=org, person=duplicate)
    with in_org(org):
        merged = services.persons_merge(keep=keep, duplicate=duplicate, acting_user=user)
        assert merged.phone == "06 00 00 00 01"
        assert Income.objects.filter(person=keep).count() == 1
        assert not Person.objects.filter(pk=duplicate.pk).exists()
        assert "member.merged" in kinds(keep.household)
        assert "member.merged" in kinds(duplicate.household)
