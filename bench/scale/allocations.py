"""Allocations: commissions (one per territory), applications (active + five years of
history), sessions over five years with their dwellings, candidacies and decisions.

Per organisation at L: 60,000 active applications (+60,000 closed), ~1,500 sessions, 20
dwellings × 5 candidates each (30 × 5 for the coming sessions), ~150,000 decisions. Past
sessions are signed, with one decision per candidacy (rank 1 attribution, 2–3 ranked, then
non-attribution); the last few are in preparation, without decisions.

Then (from their own random streams, so that the rows above do not change): the offers of the
past sessions (~36,000 at L: the first-ranked candidate, then the next one after a refusal,
until a lease is signed; the last weeks' still pending or accepted), the applications' L441-1
priority criteria (~25,000, consistent with `priority_level`), their fiscal income (declared;
verified for most) and registration desk. The quotas dashboard and the commissions' indicators
count these offers."""

from __future__ import annotations

import bisect
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.scale import Context, chooser

TYPS_FOR_SIZE = {
    1: ["T1", "T2"],
    2: ["T2", "T3"],
    3: ["T3"],
    4: ["T3", "T4"],
    5: ["T4", "T5"],
    6: ["T5", "T6"],
}
UPCOMING = 6

# L441-1 criteria of a priority (level 1) demand, weighted; level 2 is DALO.
CRITERIA = [
    ("badly_housed", 26),
    ("homeless", 16),
    ("emergency_accommodation", 14),
    ("disability", 12),
    ("domestic_violence", 7),
    ("eviction_threat", 7),
    ("unfit_housing", 6),
    ("minors_overcrowded", 5),
    ("return_to_work", 4),
    ("child_welfare_exit", 2),
    ("sexual_violence", 1),
]
SOURCE_OF = {
    "dalo": "dalo_commission",
    "emergency_accommodation": "siao",
    "homeless": "siao",
}
PROOF_OF = {
    "dalo": "Décision de la commission de médiation",
    "emergency_accommodation": "Attestation d'hébergement (SIAO)",
    "disability": "Carte mobilité inclusion / notification MDPH",
    "domestic_violence": "Ordonnance de protection ou dépôt de plainte",
}
REFUSALS = [
    ("location", 30),
    ("cost", 15),
    ("size", 12),
    ("floor_access", 8),
    ("condition", 8),
    ("personal", 10),
    ("other_offer", 5),
    ("silence", 10),
    ("other", 2),
]


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
    # The columns added later (fiscal income, registration desk) come from their own stream.
    xrng = ctx.rng("allocations", org.slug, "income-desk")
    active: list[tuple[int, int]] = []  # (application id, household index)
    history: list[tuple[int, int]] = []
    levels: list[int] = []  # priority level of each application, by index from a0
    filed_on: list[tuple[Any, int, int]] = []  # (filed on, application id, household index)
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
                *_fiscal_income(xrng, income),
                "landlord" if xrng.random() < 0.62 else "received",
            )
        )
        (active if is_active else history).append((a0 + k, h))
        levels.append(priority)
        filed_on.append((filed, a0 + k, h))
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
        "declared_annual_income",
        "verified_annual_income",
        "registration_desk",
    ]
    ctx.copy(m["HousingApplication"], columns, apps_rows, rng=rng)
    del apps_rows

    # Sessions, every commission in turn; the last UPCOMING ones are being prepared (a quarter
    # of them at most: size S has four sessions, three of them held).
    n_sessions = vol["sessions"]
    upcoming_n = min(UPCOMING, max(1, n_sessions // 4))
    s0 = ctx.reserve_ids(m["CommissionSession"], n_sessions)
    sessions = []
    rows = []
    for s in range(n_sessions):
        upcoming = s >= n_sessions - upcoming_n
        if upcoming:
            at = as_of + timedelta(days=3 + (s - (n_sessions - upcoming_n)) * 4)
        else:
            at = as_of - timedelta(days=span - int(s * span / max(1, n_sessions - upcoming_n)))
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
    per_session = max(1, round(vol["decisions"] / max(1, n_sessions - upcoming_n) / 5))
    sd_rows, cand_rows, dec_rows = [], [], []
    sd_id = ctx.reserve_ids(m["SessionDwelling"], n_sessions * max(per_session, 30))
    cand_id = ctx.reserve_ids(m["Candidacy"], n_sessions * max(per_session, 30) * 5)
    dec_id = ctx.reserve_ids(m["Decision"], n_sessions * max(per_session, 30) * 5)
    partners = hs["partners"]
    reservers = partners.get("prefecture", []) + partners.get("action_logement", [])
    # Past session dwellings and their first three candidates, for the offers; every session
    # dwelling with its candidates' applications, for the operations app's prospections.
    by_filed = [(app_id, h) for _, app_id, h in sorted(filed_on)]
    filed_dates = sorted(f for f, _, _ in filed_on)
    examined: list[tuple[int, int, Any, list[tuple[int, int]]]] = []
    session_dwellings: list[tuple[int, int, Any, bool, list[int]]] = []
    for sid, at, upcoming in sessions:
        count = 30 if upcoming else per_session
        if upcoming:
            pool, pool_len = active, len(active)
        else:
            # Candidates of a past session: demands filed at least three weeks before it (the
            # first pool_len of by_filed).
            pool = by_filed
            pool_len = min(
                len(by_filed), max(5, bisect.bisect_left(filed_dates, at - timedelta(days=21)))
            )
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
            picked = rng.sample(range(pool_len), min(5, pool_len))
            ranked: list[tuple[int, int]] = []  # (decision id, application id)
            session_dwellings.append((sd_id, di, at, upcoming, [pool[p][0] for p in picked]))
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
                    if rank0 < 3:
                        ranked.append((dec_id, app_id))
                    dec_id += 1
                cand_id += 1
            if ranked:
                examined.append((sd_id, di, at, ranked))
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
    offers = _offers(ctx, org, m, examined, dwellings)
    criteria = _priorities(ctx, org, m, a0, levels)
    st["allocations"] = {
        "criteria": criteria,
        "active": active,
        "session_dwellings": session_dwellings,
        "offers": offers,
        "first_application": a0,
        "levels": levels,
    }


def _fiscal_income(rng: Any, monthly: float) -> tuple[str, str | None]:
    """Declared fiscal income of the demand (€/year, roughly 11 months of resources), verified
    (on the tax notice, a little different) for three demands in four."""
    declared = max(0.0, monthly * rng.uniform(9.5, 12.5))
    verified = declared * rng.uniform(0.9, 1.1) if rng.random() < 0.75 else None
    return f"{declared:.2f}", (None if verified is None else f"{verified:.2f}")


def _offers(
    ctx: Context,
    org: Any,
    m: dict[str, Any],
    examined: list[tuple[int, int, Any, list[tuple[int, int]]]],
    dwellings: list[Any],
) -> list[tuple[int, int, str, int, Any]]:
    """Offers of the past sessions: to the first-ranked candidate, then to the next after a
    refusal (at most three), until one leads to a signed lease. Returns (offer id, dwelling
    id, status, application id, lease signed on) of each."""
    Offer = ctx.model("allocations.Offer")
    if Offer is None:
        return []
    rng = ctx.rng("allocations", org.slug, "offers")
    pick_reason = chooser(rng, REFUSALS)
    as_of = ctx.as_of
    rows = []
    out: list[tuple[int, int, str, int, Any]] = []
    o0 = ctx.reserve_ids(Offer, sum(len(r) for *_, r in examined))
    oid = o0
    for sd_id, di, at, ranked in examined:
        notified = at + timedelta(days=rng.randint(2, 8))
        for k, (dec_id, app_id) in enumerate(ranked):
            if notified >= as_of:
                break
            deadline = notified + timedelta(days=10)
            last = k == len(ranked) - 1
            answered = notified + timedelta(days=rng.randint(1, 10))
            refused, signed_on = False, None
            if not last and rng.random() < 0.27:
                refused = True
            if refused:
                reason = pick_reason()
                silence = reason == "silence"
                if silence:
                    answered = deadline
                if answered >= as_of:  # not answered yet
                    status, reason, silence, answered = "pending", "", False, None
            else:
                reason, silence = "", False
                signed_on = answered + timedelta(days=rng.randint(7, 40))
                if answered >= as_of:
                    status, answered, signed_on = "pending", None, None
                elif signed_on >= as_of:
                    status, signed_on = "accepted", None
                else:
                    status = "lease_signed"
            if refused and answered is not None:
                status = "refused"
            rows.append(
                (
                    oid,
                    org.id,
                    dec_id,
                    sd_id,
                    app_id,
                    notified,
                    deadline,
                    status,
                    answered,
                    reason,
                    silence,
                    signed_on,
                )
            )
            out.append((oid, dwellings[di][0], status, app_id, signed_on))
            oid += 1
            if status != "refused":
                break
            notified = answered + timedelta(days=rng.randint(1, 5))
    ctx.copy(
        Offer,
        [
            "id",
            "organization_id",
            "decision_id",
            "session_dwelling_id",
            "application_id",
            "notified_on",
            "answer_deadline",
            "status",
            "answered_on",
            "refusal_reason",
            "refused_by_silence",
            "lease_signed_on",
        ],
        rows,
        rng=rng,
    )
    return out


def _priorities(
    ctx: Context, org: Any, m: dict[str, Any], a0: int, levels: list[int]
) -> dict[int, list[str]]:
    """L441-1 criteria of the priority demands: DALO (level 2, sometimes with another
    criterion), one or two criteria for level 1. Returns the criteria by application id."""
    Priority = ctx.model("allocations.ApplicationPriority")
    if Priority is None:
        return {}
    found: dict[int, list[str]] = {}
    rng = ctx.rng("allocations", org.slug, "priorities")
    pick = chooser(rng, CRITERIA)
    as_of = ctx.as_of
    rows = []
    for k, level in enumerate(levels):
        if not level:
            continue
        criteria = ["dalo"] if level == 2 else [pick()]
        if rng.random() < (0.3 if level == 2 else 0.25):
            extra = pick()
            if extra not in criteria:
                criteria.append(extra)
        labelled = as_of - timedelta(days=rng.randint(20, 700))
        found[a0 + k] = criteria
        for criterion in criteria:
            rows.append(
                (
                    org.id,
                    a0 + k,
                    criterion,
                    PROOF_OF.get(criterion, "Justificatif fourni par le demandeur"),
                    SOURCE_OF.get(criterion, "syplo" if rng.random() < 0.5 else "landlord"),
                    labelled,
                )
            )
    p0 = ctx.reserve_ids(Priority, len(rows))
    ctx.copy(
        Priority,
        [
            "id",
            "organization_id",
            "application_id",
            "criterion",
            "proof_type",
            "labelling_source",
            "labelled_on",
        ],
        ((p0 + i, *row) for i, row in enumerate(rows)),
        rng=rng,
    )
    return found
