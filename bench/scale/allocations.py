"""Allocations: commissions (one per territory), applications (active + five years of
history), sessions over five years with their dwellings, candidacies and decisions.

Per organisation at L: 60,000 active applications (+60,000 closed), ~1,500 sessions, 20
dwellings × 5 candidates each (30 × 5 for the coming sessions), ~150,000 decisions. Past
sessions are signed, with one decision per candidacy (rank 1 attribution, 2–3 ranked, then
non-attribution); the last few are in preparation, without decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bench.scale import Context

TYPS_FOR_SIZE = {
    1: ["T1", "T2"],
    2: ["T2", "T3"],
    3: ["T3"],
    4: ["T3", "T4"],
    5: ["T4", "T5"],
    6: ["T5", "T6"],
}
UPCOMING = 6


def generate(ctx: Context) -> Any:
    names = [
        "HousingApplication",
        "Commission",
        "CommissionSession",
        "SessionDwelling",
        "Candidacy",
        "Decision",
    ]
    m = {n: ctx.model(f"allocations.{n}") for n in names}
    if not all(m.values()):
        return False
    for org in ctx.orgs:
        _org(ctx, org, m)
    return True


def _org(ctx: Context, org: Any, m: dict[str, Any]) -> None:
    rng = ctx.rng("allocations", org.slug)
    st = ctx.state[org.slug]
    hs = st["housing"]
    territories = st["organizations"]["territories"]
    vol = ctx.volumes
    as_of = ctx.as_of
    span = vol["months"] * 30
    households = hs["households"]
    _h0, n_hh, tenants = hs["first_household"], len(households), hs["tenants"]
    leases = hs["leases"]

    # Commissions.
    c0 = ctx.reserve_ids(m["Commission"], len(territories))
    ctx.copy(
        m["Commission"],
        ["id", "organization_id", "name", "territory_id"],
        [(c0 + i, org.id, f"CALEOL {name}", tid) for i, (tid, name, _) in enumerate(territories)],
        rng=rng,
    )

    # Applications: applicants without a lease first (new), then tenants (transfers).
    n_active, n_hist = vol["applications_active"], vol["applications_history"]
    order = list(range(len(leases), n_hh)) + list(range(tenants))
    a0 = ctx.reserve_ids(m["HousingApplication"], n_active + n_hist)
    apps_rows = []
    active: list[tuple[int, int]] = []  # (application id, household index)
    history: list[tuple[int, int]] = []
    for k in range(n_active + n_hist):
        is_active = k < n_active
        h = order[k % len(order)] if is_active else rng.randrange(n_hh)
        hid, size, _, income = households[h]
        _tid, _, communes = territories[rng.randrange(len(territories))]
        filed = as_of - timedelta(days=rng.randint(10, 6 * 365 if is_active else span))
        renewed = None
        expires = filed + timedelta(days=365)
        while is_active and expires <= as_of:
            renewed = expires - timedelta(days=rng.randint(5, 40))
            expires = renewed + timedelta(days=365)
        transfer = is_active and h < tenants
        status, reason, radiated = "active", "", None
        if not is_active:
            if rng.random() < 0.55:
                status, reason = "attributed", "attribution"
            else:
                status, reason = "radiated", rng.choice(["no_renewal", "renunciation", "other"])
            radiated = min(as_of, filed + timedelta(days=rng.randint(60, 700)))
            expires = max(expires, radiated + timedelta(days=1))
        adults = 1 if size == 1 else rng.choice([1, 2, 2])
        priority = 2 if rng.random() < 0.03 else (1 if rng.random() < 0.12 else 0)
        score = f"{rng.uniform(0, 100):.2f}" if rng.random() < 0.6 else None
        apps_rows.append(
            (
                a0 + k,
                org.id,
                hid,
                f"057{org.index:01d}{filed:%y}{k + 1:08d}",
                filed,
                renewed,
                expires,
                status,
                reason,
                radiated,
                "transfer" if transfer else "new",
                rng.choice(["over_occupation", "cost", "health"]) if transfer else "",
                leases[h][0] if transfer else None,
                [c[1] for c in rng.sample(communes, min(len(communes), rng.randint(1, 3)))],
                TYPS_FOR_SIZE[min(6, size)],
                f"{rng.uniform(350, 900):.2f}",
                adults,
                max(0, size - adults),
                f"{income:.2f}",
                communes[0][3],
                income * 12 < 11000,
                priority,
                score,
                "imported" if score else "",
            )
        )
        (active if is_active else history).append((a0 + k, h))
    columns = [
        "id",
        "organization_id",
        "household_id",
        "registration_number",
        "filed_on",
        "renewed_on",
        "expires_on",
        "status",
        "radiation_reason",
        "radiated_on",
        "kind",
        "transfer_reason",
        "current_lease_id",
        "desired_communes",
        "desired_typologies",
        "max_rent",
        "adults",
        "children",
        "declared_monthly_resources",
        "epci_code",
        "first_quartile",
        "priority_level",
        "score",
        "score_source",
    ]
    ctx.copy(m["HousingApplication"], columns, apps_rows, rng=rng)
    del apps_rows

    # Sessions, every commission in turn; the last UPCOMING ones are being prepared.
    n_sessions = vol["sessions"]
    s0 = ctx.reserve_ids(m["CommissionSession"], n_sessions)
    sessions = []
    rows = []
    for s in range(n_sessions):
        upcoming = s >= n_sessions - UPCOMING
        if upcoming:
            at = as_of + timedelta(days=3 + (s - (n_sessions - UPCOMING)) * 4)
        else:
            at = as_of - timedelta(days=span - int(s * span / max(1, n_sessions - UPCOMING)))
        when = datetime(at.year, at.month, at.day, 14, 0, tzinfo=UTC)
        status = "draft" if upcoming else "minutes_signed"
        held = None if upcoming else when + timedelta(hours=2)
        sessions.append((s0 + s, at, upcoming))
        rows.append(
            (
                s0 + s,
                org.id,
                c0 + s % len(territories),
                when,
                "Siège — salle du conseil",
                status,
                held,
                held,
                held + timedelta(days=2) if held else None,
                "Présidence de séance",
            )
        )
    ctx.copy(
        m["CommissionSession"],
        [
            "id",
            "organization_id",
            "commission_id",
            "scheduled_at",
            "place",
            "status",
            "held_at",
            "decisions_recorded_at",
            "minutes_signed_at",
            "president_name",
        ],
        rows,
        rng=rng,
    )

    dwellings = hs["dwellings"]
    per_session = max(1, round(vol["decisions"] / max(1, n_sessions - UPCOMING) / 5))
    sd_rows, cand_rows, dec_rows = [], [], []
    sd_id = ctx.reserve_ids(m["SessionDwelling"], n_sessions * max(per_session, 30))
    cand_id = ctx.reserve_ids(m["Candidacy"], n_sessions * max(per_session, 30) * 5)
    dec_id = ctx.reserve_ids(m["Decision"], n_sessions * max(per_session, 30) * 5)
    partners = hs["partners"]
    reservers = partners.get("prefecture", []) + partners.get("action_logement", [])
    for sid, at, upcoming in sessions:
        count = 30 if upcoming else per_session
        pool = active if upcoming else (history or active)
        chosen = rng.sample(range(len(dwellings)), min(count, len(dwellings)))
        for pos, di in enumerate(chosen):
            flow_partner = reservers[di % len(reservers)] if reservers and di % 3 == 0 else None
            sd_rows.append(
                (
                    sd_id,
                    org.id,
                    sid,
                    dwellings[di][0],
                    pos + 1,
                    at - timedelta(days=30),
                    "reservataire" if flow_partner else "landlord",
                    flow_partner,
                )
            )
            picked = rng.sample(range(len(pool)), min(5, len(pool)))
            for rank0, p in enumerate(picked):
                app_id, h = pool[p]
                income = households[h][3] or 1
                effort = min(99, dwellings[di][3] / income * 100)
                cand_rows.append(
                    (
                        cand_id,
                        org.id,
                        sd_id,
                        app_id,
                        rank0 + 1,
                        f"{effort:.2f}",
                        f"{rng.uniform(5, 25):.2f}",
                        f"{rng.uniform(0, 100):.2f}",
                    )
                )
                if not upcoming:
                    if rank0 == 0:
                        kind, rank, reasons = "attribution", 1, ""
                    elif rank0 < 3:
                        kind, rank, reasons = "ranked", rank0 + 1, ""
                    else:
                        kind, rank, reasons = "non_attribution", None, "Typologie inadaptée."
                    dec_rows.append((dec_id, org.id, cand_id, sd_id, kind, rank, reasons, at))
                    dec_id += 1
                cand_id += 1
            sd_id += 1
    ctx.copy(
        m["SessionDwelling"],
        [
            "id",
            "organization_id",
            "session_id",
            "dwelling_id",
            "position",
            "vacancy_on",
            "flow",
            "reserving_partner_id",
        ],
        sd_rows,
        rng=rng,
    )
    ctx.copy(
        m["Candidacy"],
        [
            "id",
            "organization_id",
            "session_dwelling_id",
            "application_id",
            "position",
            "effort_rate",
            "residual_income",
            "score",
        ],
        cand_rows,
        rng=rng,
    )
    ctx.copy(
        m["Decision"],
        [
            "id",
            "organization_id",
            "candidacy_id",
            "session_dwelling_id",
            "kind",
            "rank",
            "reasons",
            "decided_on",
        ],
        dec_rows,
        rng=rng,
    )
    st["allocations"] = {"active": active}
