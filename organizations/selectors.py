from __future__ import annotations

from django.db.models import QuerySet

from organizations.models import Membership, Organization, Territory, User


def user_memberships(*, user: User) -> list[Membership]:
    """The active memberships of the current user (needs the user in context)."""
    return list(
        Membership.of_current_user.filter(user=user, is_active=True)
        .select_related("organization")
        .order_by("organization__name")
    )


def resolve_membership(*, user: User, requested: int | str | None) -> Membership | None:
    """The membership to act with: the requested organisation (id or slug) when the user belongs
    to it, else their only or first organisation. None when they belong to none."""
    memberships = user_memberships(user=user)
    if not memberships:
        return None
    if requested not in (None, ""):
        for membership in memberships:
            org = membership.organization
            if str(org.pk) == str(requested) or org.slug == str(requested):
                return membership
        return None
    return memberships[0]


def organization_members(*, organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.for_organization(organization)
        .select_related("user")
        .prefetch_related("territories")
        .order_by("user__last_name", "user__first_name")
    )


def organization_users(*, organization: Organization) -> QuerySet[User]:
    return User.objects.filter(
        memberships__in=Membership.objects.for_organization(organization)
    ).distinct()


def territory_list(*, organization: Organization) -> QuerySet[Territory]:
    return Territory.objects.for_organization(organization).order_by("name")
