from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from organizations.enums import Role
from organizations.models import Membership, MembershipTerritory, Organization, Territory, User


def _check_territories(
    organization: Organization, territories: Iterable[Territory]
) -> list[Territory]:
    territories = list(territories)
    for territory in territories:
        if territory.organization_id != organization.pk:
            raise ValidationError({"territories": "Territoire inconnu dans cette organisation."})
    return territories


@transaction.atomic
def user_invite(
    *,
    organization: Organization,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    territories: Iterable[Territory] = (),
    invited_by: User,
    base_url: str = "",
) -> Membership:
    """Invite a person into the organisation with a role; e-mail them a link to set their
    password. An existing account (another organisation) just gets the new membership."""
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": "Rôle inconnu."})
    territories = _check_territories(organization, territories)
    user = User.objects.filter(email=email).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(
            email=email, password=None, first_name=first_name, last_name=last_name
        )
    if Membership.objects.for_organization(organization).filter(user=user).exists():
        raise ValidationError({"email": "Cette personne est déjà membre de l'organisation."})
    membership = Membership.objects.create(
        organization=organization,
        user=user,
        role=role,
        created_by=invited_by,
        updated_by=invited_by,
    )
    for territory in territories:
        MembershipTerritory.objects.create(
            organization=organization,
            membership=membership,
            territory=territory,
            created_by=invited_by,
        )
    link = ""
    if created:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = base_url + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    message = (
        f"Bonjour,\n\n{invited_by} vous a donné accès à Parcours pour {organization.name} "
        f"({membership.get_role_display()}).\n\n"
    )
    message += (
        f"Choisissez votre mot de passe ici : {link}\n"
        if link
        else "Connectez-vous avec votre compte habituel.\n"
    )
    transaction.on_commit(
        lambda: send_mail(f"Invitation à Parcours — {organization.name}", message, None, [email])
    )
    return membership


@transaction.atomic
def membership_update(
    *,
    membership: Membership,
    role: str,
    territories: Iterable[Territory],
    is_active: bool,
    updated_by: User,
) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": "Rôle inconnu."})
    territories = _check_territories(membership.organization, territories)
    if membership.user_id == updated_by.pk and (role != Role.ORG_ADMIN or not is_active):
        raise ValidationError(
            {
                "role": "Vous ne pouvez pas retirer vos propres droits d'administration : demandez-le à un autre administrateur."
            }
        )
    membership.role = role
    membership.is_active = is_active
    membership.updated_by = updated_by
    membership.save(update_fields=["role", "is_active", "updated_by", "updated_at"])
    MembershipTerritory.objects.filter(membership=membership).exclude(
        territory__in=territories
    ).delete()
    existing = set(
        MembershipTerritory.objects.filter(membership=membership).values_list(
            "territory_id", flat=True
        )
    )
    for territory in territories:
        if territory.pk not in existing:
            MembershipTerritory.objects.create(
                organization=membership.organization,
                membership=membership,
                territory=territory,
                created_by=updated_by,
            )
    return membership


@transaction.atomic
def territory_save(
    *,
    organization: Organization,
    name: str,
    communes: list[str],
    acting_user: User,
    territory: Territory | None = None,
) -> Territory:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Le nom est obligatoire."})
    bad = [
        code
        for code in communes
        if len(code) != 5 or not code[:2].isalnum() or not code[2:].isdigit()
    ]
    if bad:
        raise ValidationError(
            {"communes": f"Codes INSEE invalides : {', '.join(bad)} (5 caractères, ex. 57463)."}
        )
    duplicate = Territory.objects.for_organization(organization).filter(name__iexact=name)
    if territory is not None:
        duplicate = duplicate.exclude(pk=territory.pk)
    if duplicate.exists():
        raise ValidationError({"name": "Un territoire porte déjà ce nom."})
    if territory is None:
        territory = Territory(organization=organization, created_by=acting_user)
    territory.name = name
    territory.communes = communes
    territory.updated_by = acting_user
    territory.save()
    return territory


@transaction.atomic
def parameter_set(
    *,
    organization: Organization,
    key: str,
    raw_value: object,
    valid_from: object,
    legal_reference: str,
    note: str,
    acting_user: User,
):
    """Add a version of a setting from a date (the old versions stay: past decisions are
    recomputed with the rule of their day)."""
    from core.models import ParameterValue
    from core.parameters import parameter

    try:
        definition = parameter(key)
    except KeyError as error:
        raise ValidationError({"key": "Paramètre inconnu."}) from error
    value = definition.parse(raw_value)
    if definition.kind in ("decimal", "percent", "int") and value < 0:
        raise ValidationError({"value": "La valeur ne peut pas être négative."})
    if definition.choices and value not in definition.choices:
        raise ValidationError(
            {"value": f"Valeurs possibles : {', '.join(map(str, definition.choices))}."}
        )
    version, _ = ParameterValue.objects.update_or_create(
        organization=organization,
        key=key,
        valid_from=valid_from,
        defaults={
            "value": definition.to_json(value),
            "legal_reference": legal_reference or definition.legal_reference,
            "note": note,
            "updated_by": acting_user,
        },
        create_defaults={
            "value": definition.to_json(value),
            "legal_reference": legal_reference or definition.legal_reference,
            "note": note,
            "created_by": acting_user,
            "updated_by": acting_user,
        },
    )
    return version
