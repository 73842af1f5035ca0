"""Organisations, territories, users and memberships (one user per role, plus a team)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password

from bench.scale import BENCH_EMAIL_DOMAIN, BENCH_PASSWORD, Context, OrgInfo, org_slug
from bench.scale.data import COMMUNES, TERRITORY_NAMES

ORG_NAMES = [
    "Moselle Habitat Essai",
    "Lorraine Logement Essai",
    "Alsace Habitat Essai",
    "Champagne Habitat Essai",
    "Vosges Logis Essai",
    "Ardennes Habitat Essai",
]
# How a team of `users` people splits between roles (the first of each role is the one the
# benchmarks log in as: bench.<role>.1@<slug>.bench.parcours.test).
ROLE_SHARE = [
    ("social_worker", 0.45),
    ("commission_secretary", 0.12),
    ("arrears_officer", 0.15),
    ("manager", 0.08),
    ("commission_member", 0.1),
    ("org_admin", 0.03),
    ("read_only", 0.07),
]


def user_email(slug: str, role: str, n: int = 1) -> str:
    return f"{role}.{n}@{slug}.{BENCH_EMAIL_DOMAIN}"


def generate(ctx: Context) -> Any:
    Organization = ctx.model("organizations.Organization")
    Territory = ctx.model("organizations.Territory")
    User = ctx.model("organizations.User")
    Membership = ctx.model("organizations.Membership")
    assert Organization and Territory and User and Membership
    n_orgs = ctx.n_orgs
    rng = ctx.rng("organizations")
    first = ctx.reserve_ids(Organization, n_orgs)
    rows = []
    for i in range(n_orgs):
        slug = org_slug(i)
        name = ORG_NAMES[i % len(ORG_NAMES)] + ("" if i < len(ORG_NAMES) else f" {i + 1}")
        rows.append((first + i, name, "oph" if i % 2 == 0 else "esh", f"{270000000 + i:09d}", slug))
        ctx.orgs.append(OrgInfo(id=first + i, slug=slug, name=name, index=i))
        ctx.state[slug] = {}
    ctx.copy(Organization, ["id", "name", "kind", "siren", "slug"], rows, rng=rng)

    password = make_password(BENCH_PASSWORD, salt="parcoursbench")
    vol = ctx.volumes
    for org in ctx.orgs:
        orng = ctx.rng("organizations", org.slug)
        # Territories: each gets a slice of the communes (an organisation covers a region).
        n_terr = vol["territories"]
        t0 = ctx.reserve_ids(Territory, n_terr)
        offset = (org.index * 7) % len(COMMUNES)
        communes = COMMUNES[offset:] + COMMUNES[:offset]
        territories = []
        for t in range(n_terr):
            own = communes[t::n_terr] or [communes[t % len(communes)]]
            territories.append((t0 + t, TERRITORY_NAMES[t % len(TERRITORY_NAMES)], own))
        ctx.copy(
            Territory,
            ["id", "organization_id", "name", "communes"],
            [(tid, org.id, name, [c[1] for c in own]) for tid, name, own in territories],
            rng=orng,
        )
        # Users and memberships.
        team: list[tuple[str, int]] = []
        for role, share in ROLE_SHARE:
            team.extend((role, k + 1) for k in range(max(1, round(vol["users"] * share))))
        u0 = ctx.reserve_ids(User, len(team))
        m0 = ctx.reserve_ids(Membership, len(team))
        users = []
        for k, (role, n) in enumerate(team):
            first_name = orng.choice(["Claire", "Julien", "Sophie", "Karim", "Aline", "Marc"])
            users.append(
                (u0 + k, user_email(org.slug, role, n), first_name, f"{role.upper()} {n}", password)
            )
        ctx.copy(User, ["id", "email", "first_name", "last_name", "password"], users, rng=orng)
        ctx.copy(
            Membership,
            ["id", "organization_id", "user_id", "role"],
            [(m0 + k, org.id, u0 + k, role) for k, (role, _) in enumerate(team)],
            rng=orng,
        )
        ctx.state[org.slug]["organizations"] = {
            "territories": territories,
            "users": {
                role: [u0 + k for k, (r, _) in enumerate(team) if r == role]
                for role, _ in ROLE_SHARE
            },
            # Some foreign keys point at the membership (the role in this organisation).
            "memberships": {
                role: [m0 + k for k, (r, _) in enumerate(team) if r == role]
                for role, _ in ROLE_SHARE
            },
        }
    return True
