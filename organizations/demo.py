"""Two fictional landlords, like seeds 000 (Lorraine / Alsace) and 001 (Rhône-Alpes), a user of
each role in each, and one user who belongs to both."""

from typing import Any

from core.context import organization_context
from organizations.enums import OrganizationKind, Role
from organizations.models import Membership, Organization, Territory, User

DEMO_PASSWORD = "parcours-demo-2026"  # noqa: S105 - demo accounts only, printed at startup

ORGANIZATIONS = [
    {
        "slug": "habitat-est",
        "name": "Habitat de l'Est",
        "kind": OrganizationKind.ESH,
        "siren": "512345678",
        "territories": {
            "Lorraine": ["57463", "54395", "57672", "88160"],
            "Alsace": ["67482", "68224", "68066"],
        },
        "email_prefix": "est",
    },
    {
        "slug": "rhone-logis",
        "name": "Rhône Logis",
        "kind": OrganizationKind.OPH,
        "siren": "498765432",
        "territories": {"Lyon Métropole": ["69123", "69266", "69259"], "Isère": ["38185", "38421"]},
        "email_prefix": "rhone",
    },
]

FIRST_NAMES = {
    Role.ORG_ADMIN: ("Aurélie", "Administratrice"),
    Role.MANAGER: ("Mathieu", "Responsable"),
    Role.SOCIAL_WORKER: ("Sophie", "Conseillère"),
    Role.COMMISSION_SECRETARY: ("Karim", "Secrétaire"),
    Role.COMMISSION_MEMBER: ("Hélène", "Membre"),
    Role.ARREARS_OFFICER: ("Julien", "Contentieux"),
    Role.READ_ONLY: ("Léa", "Lecture"),
}


def _user(email: str, first_name: str, last_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name
        )
    return user


def load(stdout: Any) -> None:
    both = _user("direction@parcours.demo", "Claire", "Direction")
    for data in ORGANIZATIONS:
        org, _ = Organization.objects.get_or_create(
            slug=data["slug"],
            defaults={"name": data["name"], "kind": data["kind"], "siren": data["siren"]},
        )
        with organization_context(org):
            for name, communes in data["territories"].items():
                Territory.objects.get_or_create(
                    organization=org, name=name, defaults={"communes": communes}
                )
            for role, (first, last) in FIRST_NAMES.items():
                user = _user(
                    f"{data['email_prefix']}.{role.replace('_', '-')}@parcours.demo", first, last
                )
                Membership.objects.get_or_create(
                    organization=org, user=user, defaults={"role": role}
                )
            Membership.objects.get_or_create(
                organization=org, user=both, defaults={"role": Role.MANAGER}
            )


def print_logins(stdout: Any) -> None:
    stdout.write(f"\nComptes de démonstration (mot de passe : {DEMO_PASSWORD})")
    for data in ORGANIZATIONS:
        stdout.write(f"  {data['name']} :")
        for role in FIRST_NAMES:
            stdout.write(
                f"    {role.label:<45} {data['email_prefix']}.{role.replace('_', '-')}@parcours.demo"
            )
    stdout.write("  Les deux organisations (responsable)            direction@parcours.demo\n")
