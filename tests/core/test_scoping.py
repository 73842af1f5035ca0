"""The application scope: organisation-owned models refuse to be queried without an organisation."""

from __future__ import annotations

from typing import Any

import pytest

from core.context import UnscopedQueryError, dangerously_unscoped, organization_context
from organizations.models import Membership, Territory
from tests.organizations.factories import MembershipTerritoryFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def test_an_unscoped_query_is_refused() -> None:
    with pytest.raises(UnscopedQueryError):
        list(Territory.objects.all())


def test_queries_only_see_the_current_organization(org: Any, other_org: Any) -> None:
    mine = TerritoryFactory(organization=org)
    TerritoryFactory(organization=other_org)
    with organization_context(org):
        assert list(Territory.objects.all()) == [mine]


def test_for_organization_must_agree_with_the_active_context(org: Any, other_org: Any) -> None:
    with organization_context(org), pytest.raises(UnscopedQueryError):
        Territory.objects.for_organization(other_org)


def test_related_managers_are_scoped_too(org: Any) -> None:
    link = MembershipTerritoryFactory(organization=org)
    with pytest.raises(UnscopedQueryError):
        list(link.membership.territories.all())
    with organization_context(org):
        assert list(link.membership.territories.all()) == [link.territory]


def test_dangerously_unscoped_lifts_the_application_scope_but_not_row_level_security(
    org: Any,
) -> None:
    TerritoryFactory(organization=org)
    with dangerously_unscoped("test: RLS still applies"):
        assert Territory.objects.count() == 0  # the database admits no row without an organisation


def test_nested_contexts_restore_the_previous_organization(org: Any, other_org: Any) -> None:
    TerritoryFactory(organization=org)
    TerritoryFactory(organization=other_org)
    with organization_context(org):
        with organization_context(other_org):
            assert {t.organization_id for t in Territory.objects.all()} == {other_org.pk}
        assert {t.organization_id for t in Territory.objects.all()} == {org.pk}


def test_the_membership_of_current_user_manager_needs_a_user(org: Any, member_of: Any) -> None:
    user = member_of(org)
    with pytest.raises(UnscopedQueryError):
        list(Membership.of_current_user.all())
    with organization_context(None, user=user):
        assert [m.user for m in Membership.of_current_user.all()] == [user]


def test_a_model_form_with_a_foreign_key_to_organization_data_can_be_declared(
    org: Any,
) -> None:
    """Django builds a foreign key's choices when the form class is defined (at import, no
    organisation): the scoped manager answers an empty queryset there, never an error."""
    from django import forms

    from organizations.models import MembershipTerritory

    class LinkForm(forms.ModelForm):
        class Meta:
            model = MembershipTerritory
            fields = ["territory"]

    TerritoryFactory(organization=org)
    unscoped_choices = LinkForm().fields["territory"].queryset
    with pytest.raises(UnscopedQueryError):
        list(unscoped_choices)
    with organization_context(org), pytest.raises(UnscopedQueryError):
        list(unscoped_choices)  # built without organisation: never runs, even inside one
    with organization_context(org):
        assert Territory.objects.using("default").count() == 1


@pytest.mark.parametrize(
    "run",
    [
        lambda qs: qs.count(),
        lambda qs: qs.exists(),
        lambda qs: qs.first(),
        lambda qs: list(qs.iterator()),
        lambda qs: qs.update(name="x"),
        lambda qs: qs.delete(),
        lambda qs: qs.aggregate(n=__import__("django.db.models").db.models.Count("id")),
        lambda qs: list(qs.values_list("name", flat=True)),
        lambda qs: qs.create(name="x", organization_id=1),
    ],
)
def test_every_way_of_running_an_unscoped_queryset_is_refused(org: Any, run: Any) -> None:
    TerritoryFactory(organization=org)
    queryset = Territory.objects.filter(name__startswith="T")
    with pytest.raises(UnscopedQueryError):
        run(queryset)


def test_an_unscoped_queryset_cannot_be_used_as_a_subquery_inside_an_organization(
    org: Any,
) -> None:
    queryset = Territory.objects.all()  # built without organisation
    with organization_context(org), pytest.raises(UnscopedQueryError):
        list(Membership.objects.filter(territories__in=queryset))
