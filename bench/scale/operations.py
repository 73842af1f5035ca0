"""Operations: the leasing officers' prospections, the national register's context, relocation
operations and collective actions with their funding, and insertion clauses.

Per organisation at L: ~90,000 prospections (about three per dwelling examined in commission:
its candidates, plus applicants who were called and declined), 8 territories × 60 monthly
register figures, 12 relocation operations (urban renewal or rehabilitation of whole
residences: ~2,400 households concerned, their steps, positionings on mobilised dwellings —
some with the allocations app's offer — and accompaniments linked to their social case),
600 collective actions (sites, partners, funding lines, named participants for one in three)
and 240 insertion clauses."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from bench.scale import Context, chooser

OUTCOMES_CANDIDATE = [
    ("interested", 62),
    ("documents_requested", 20),
    ("unreachable", 10),
    ("not_interested", 8),
]
OUTCOMES_OTHER = [
    ("not_interested", 45),
    ("unreachable", 30),
    ("interested", 15),
    ("documents_requested", 10),
]
ACTION_KINDS = [
    ("workshop", 35),
    ("residents_project", 15),
    ("employment", 15),
    ("digital", 12),
    ("health", 8),
    ("environment", 10),
    ("other", 5),
]
ACTION_NAMES = {
    "workshop": [
        "Atelier budget",
        "Atelier économies d'énergie",
        "Atelier cuisine",
        "Ateliers jeunes",
    ],
    "residents_project": ["Jardin partagé", "Fresque participative", "Fête des voisins"],
    "employment": ["Job dating", "Chantier d'insertion", "Forum emploi"],
    "digital": ["Permanence numérique", "Atelier démarches en ligne"],
    "health": ["Prévention santé", "Bilan de santé"],
    "environment": ["Tri des déchets", "Compostage collectif"],
    "other": ["Médiation de voisinage", "Sortie culturelle"],
}
FUNDERS = [
    "Contrat de ville (politique de la ville)",
    "Fonds d'innovation sociale",
    "Conseil départemental",
    "CAF",
    "Ville",
]
CONTRACTORS = ["BTP Lorraine", "Est Bâtiment", "Rénov'Habitat", "Moselle Travaux", "Isolest"]


def generate(ctx: Context) -> Any:
    names = [
        "Prospection",
        "RegisterStatistic",
        "RelocationOperation",
        "RelocationResidence",
        "RelocationDwelling",
        "RelocationPartner",
        "RelocationHousehold",
        "RelocationPositioning",
        "CollectiveAction",
        "ActionResidence",
        "ActionPartner",
        "ActionParticipant",
        "ActionFunding",
        "InsertionClause",
    ]
    m = {n: ctx.model(f"operations.{n}") for n in names}
    if not all(m.values()):
        return False
    for org in ctx.orgs:
        _prospections(ctx, org, m)
        _register(ctx, org, m)
        _relocations(ctx, org, m)
        _actions(ctx, org, m)
        _clauses(ctx, org, m)
    return True


def _span_days(ctx: Context) -> int:
    return ctx.volumes["months"] * 30


def _prospections(ctx: Context, org: Any, m: dict[str, Any]) -> None:
    rng = ctx.rng("operations", org.slug, "prospections")
    st = ctx.state[org.slug]
    al = st.get("allocations", {})
    examined = al.get("session_dwellings", [])  # (sd id, dwelling idx, date, upcoming, apps)
    active = al.get("active", [])
    if not examined:
        return
    dwellings = st["housing"]["dwellings"]
    residences = st["housing"]["residences"]  # by index: a prospection records its residence
    officers = st["organizations"]["users"].get("commission_secretary") or [None]
    per_dwelling = ctx.volumes["prospections"] / len(examined)
    pick_candidate = chooser(rng, OUTCOMES_CANDIDATE)
    pick_other = chooser(rng, OUTCOMES_OTHER)
    as_of = ctx.as_of
    # Share of candidates contacted, and extra applicants called, to reach the volume.
    contacted = min(0.9, per_dwelling * 0.6 / 5)
    extra = max(0.0, per_dwelling - contacted * 5)
    rows = []
    for k, (sd_id, di, at, _upcoming, apps) in enumerate(examined):
        officer = officers[k % len(officers)]
        dwelling_id, residence_id = dwellings[di][0], residences[dwellings[di][1]]
        for app_id in apps:
            if rng.random() < contacted:
                on = min(as_of, at - timedelta(days=rng.randint(5, 35)))
                rows.append(
                    (app_id, dwelling_id, residence_id, sd_id, pick_candidate(), on, officer)
                )
        n_extra = int(extra) + (1 if rng.random() < extra - int(extra) else 0)
        for _ in range(n_extra if active else 0):
            app_id = active[rng.randrange(len(active))][0]
            on = min(as_of, at - timedelta(days=rng.randint(10, 50)))
            rows.append((app_id, dwelling_id, residence_id, None, pick_other(), on, officer))
    p0 = ctx.reserve_ids(m["Prospection"], len(rows))
    ctx.copy(
        m["Prospection"],
        [
            "id",
            "organization_id",
            "application_id",
            "dwelling_id",
            "residence_id",
            "session_dwelling_id",
            "outcome",
            "contacted_on",
            "contacted_by_id",
        ],
        ((p0 + i, org.id, *row) for i, row in enumerate(rows)),
        rng=rng,
    )


def _register(ctx: Context, org: Any, m: dict[str, Any]) -> None:
    """Active demands on the national register, per territory, monthly over the period."""
    rng = ctx.rng("operations", org.slug, "register")
    territories = ctx.state[org.slug]["organizations"]["territories"]
    months = ctx.volumes["months"]
    applications = ctx.volumes["applications_active"]
    rows = []
    for tid, _, _ in territories:
        level = applications / len(territories) * rng.uniform(2.5, 4.0)  # all landlords
        for k in range(months):
            on = _month_start(ctx.as_of, k - months)
            level *= rng.uniform(0.98, 1.025)
            rows.append((tid, on, round(level), "SNE — infocentre"))
    r0 = ctx.reserve_ids(m["RegisterStatistic"], len(rows))
    ctx.copy(
        m["RegisterStatistic"],
        ["id", "organization_id", "territory_id", "on", "active_demands", "source"],
        ((r0 + i, org.id, *row) for i, row in enumerate(rows)),
        rng=rng,
    )


def _month_start(as_of: date, offset: int) -> date:
    y, mo = divmod(as_of.month - 1 + offset, 12)
    return date(as_of.year + y, mo + 1, 1)


def _relocations(ctx: Context, org: Any, m: dict[str, Any]) -> None:
    """Operations on whole residences: their current tenants are the households concerned;
    vacant dwellings elsewhere are mobilised for the rehousing."""
    rng = ctx.rng("operations", org.slug, "relocations")
    st = ctx.state[org.slug]
    hs = st["housing"]
    dwellings = hs["dwellings"]  # (id, residence index, typology, cost, rent, charges, status, ref)
    leases = hs["leases"][
        : hs["tenants"]
    ]  # the current leases: (id, dwelling idx, household id...)
    residences = hs["residences"]
    n_ops = ctx.volumes["relocation_operations"]
    wanted = ctx.volumes["relocation_households"]
    as_of = ctx.as_of
    span = _span_days(ctx)

    tenants_of: dict[int, list[tuple[int, int]]] = defaultdict(list)  # residence → (dw, hh)
    for _lid, di, hid, *_ in leases:
        tenants_of[dwellings[di][1]].append((dwellings[di][0], hid))
    dwellings_of: dict[int, list[int]] = defaultdict(list)
    for d in dwellings:
        dwellings_of[d[1]].append(d[0])
    vacant = [d[0] for d in dwellings if d[6] != "occupied"] or [d[0] for d in dwellings]
    case_of: dict[int, int] = {}
    for cid, hid, *_ in st.get("cases", {}).get("cases", []):
        case_of.setdefault(hid, cid)
    offers = st.get("allocations", {}).get("offers", [])  # (id, dwelling id, status, app, signed)
    refused = [o for o in offers if o[2] == "refused"]
    signed = [o for o in offers if o[2] == "lease_signed"]
    partner_pool = (
        hs["partners"].get("ccas", [])[:6]
        + hs["partners"].get("departement", [])
        + hs["partners"].get("association", [])[:2]
    ) or [p for ids in hs["partners"].values() for p in ids][:3]

    # Residences, in a shuffled order, shared out until each operation has its households.
    order = list(range(len(residences)))
    rng.shuffle(order)
    per_op = max(1, wanted // max(1, n_ops))
    M = {k: [] for k in m}
    op0 = ctx.reserve_ids(m["RelocationOperation"], n_ops)
    used_dwellings: set[int] = set()
    cursor = 0
    for j in range(n_ops):
        op_id = op0 + j
        kind = "urban_renewal" if j % 2 == 0 else ("rehabilitation" if j % 5 else "other")
        starts = as_of - timedelta(days=rng.randint(60, span + 365))
        ends = starts + timedelta(days=rng.randint(540, 1460))
        name = ("Renouvellement urbain" if kind == "urban_renewal" else "Réhabilitation") + (
            f" — secteur {j + 1}"
        )
        M["RelocationOperation"].append(
            (op_id, name, kind, starts, ends, "Opération de relogement (données de volumétrie).")
        )
        concerned: list[tuple[int, int]] = []
        while len(concerned) < per_op and cursor < len(order):
            ri = order[cursor]
            cursor += 1
            M["RelocationResidence"].append((op_id, residences[ri]))
            concerned.extend(tenants_of.get(ri, []))
            for dw in dwellings_of.get(ri, []):
                M["RelocationDwelling"].append((op_id, dw, "concerned"))
        for partner in rng.sample(partner_pool, min(len(partner_pool), rng.randint(1, 3))):
            M["RelocationPartner"].append((op_id, partner, rng.choice(["Ville", "ANRU", "Appui"])))
        mobilised: list[int] = []
        mobilised_set: set[int] = set()

        share = 1.0 if kind == "urban_renewal" else 0.3
        for _ in range(max(1, round(len(concerned) * share))):
            dw = vacant[rng.randrange(len(vacant))]
            if dw not in used_dwellings:
                used_dwellings.add(dw)
                _mobilise(M, op_id, dw, mobilised, mobilised_set)
        elapsed = max(1, (as_of - starts).days)
        for _dw, hid in concerned:
            # How far each household went: further in an older operation; its steps are
            # spread over the operation's life so far (some rehoused every year).
            progress = min(1.0, elapsed / 900) * rng.uniform(0.0, 1.25)
            steps = sum(progress > t for t in (0.1, 0.3, 0.5, 0.75))
            withdrawn = rng.random() < 0.05
            dates = sorted(starts + timedelta(days=rng.randint(1, elapsed)) for _ in range(steps))
            status = ["identified", "met", "surveyed", "agreement_signed", "rehoused"][steps]
            if withdrawn:
                status = "withdrawn"
            rehoused = dates[3] if steps == 4 and not withdrawn else None
            if steps == 4 and withdrawn:
                dates = dates[:3]
            case = case_of.get(hid) if rng.random() < 0.35 else None
            rh_index = len(M["RelocationHousehold"])
            M["RelocationHousehold"].append(
                (
                    op_id,
                    hid,
                    status,
                    dates[0] if len(dates) > 0 else None,
                    dates[1] if len(dates) > 1 else None,
                    dates[2] if len(dates) > 2 else None,
                    rehoused,
                    bool(rehoused) and rng.random() < 0.8,
                    case,
                )
            )
            if steps >= 2 and mobilised:
                for p in range(rng.randint(1, 3 if steps >= 3 else 1)):
                    offer = None
                    final = p == 0 and rehoused is not None
                    if rng.random() < 0.4:
                        pool = signed if final else refused
                        if pool:
                            offer = pool[rng.randrange(len(pool))]
                    dw = offer[1] if offer else mobilised[rng.randrange(len(mobilised))]
                    if offer:
                        _mobilise(M, op_id, dw, mobilised, mobilised_set)
                    on = min(as_of, dates[1] + timedelta(days=rng.randint(10, 200)))
                    M["RelocationPositioning"].append(
                        (rh_index, dw, on, offer[0] if offer else None)
                    )

    _copy_ids(
        ctx,
        m["RelocationOperation"],
        org,
        M["RelocationOperation"],
        rng,
        with_id=True,
        columns=["name", "kind", "starts_on", "ends_on", "description"],
    )
    _copy_ids(
        ctx,
        m["RelocationResidence"],
        org,
        M["RelocationResidence"],
        rng,
        columns=["operation_id", "residence_id"],
    )
    _copy_ids(
        ctx,
        m["RelocationDwelling"],
        org,
        M["RelocationDwelling"],
        rng,
        columns=["operation_id", "dwelling_id", "role"],
    )
    _copy_ids(
        ctx,
        m["RelocationPartner"],
        org,
        M["RelocationPartner"],
        rng,
        columns=["operation_id", "partner_id", "role"],
    )
    h0 = _copy_ids(
        ctx,
        m["RelocationHousehold"],
        org,
        M["RelocationHousehold"],
        rng,
        columns=[
            "operation_id",
            "household_id",
            "status",
            "met_on",
            "surveyed_on",
            "agreement_signed_on",
            "rehoused_on",
            "is_transfer",
            "social_case_id",
        ],
    )
    _copy_ids(
        ctx,
        m["RelocationPositioning"],
        org,
        [(h0 + rh, dw, on, offer) for rh, dw, on, offer in M["RelocationPositioning"]],
        rng,
        columns=["relocation_household_id", "dwelling_id", "positioned_on", "offer_id"],
    )


def _mobilise(
    M: dict[str, list], op_id: int, dwelling: int, mobilised: list[int], seen: set[int]
) -> None:
    if dwelling not in seen:
        seen.add(dwelling)
        mobilised.append(dwelling)
        M["RelocationDwelling"].append((op_id, dwelling, "mobilised"))


def _copy_ids(
    ctx: Context,
    model: Any,
    org: Any,
    rows: list[tuple],
    rng: Any,
    *,
    columns: list[str],
    with_id: bool = False,
) -> int:
    """COPY rows (ids reserved here unless `with_id`); returns the first id."""
    if with_id:
        ctx.copy(
            model,
            ["id", "organization_id", *columns],
            ((r[0], org.id, *r[1:]) for r in rows),
            rng=rng,
        )
        return rows[0][0] if rows else 0
    first = ctx.reserve_ids(model, len(rows))
    ctx.copy(
        model,
        ["id", "organization_id", *columns],
        ((first + i, org.id, *r) for i, r in enumerate(rows)),
        rng=rng,
    )
    return first


def _actions(ctx: Context, org: Any, m: dict[str, Any]) -> None:
    rng = ctx.rng("operations", org.slug, "actions")
    st = ctx.state[org.slug]
    hs = st["housing"]
    residences = hs["residences"]
    qpv = hs.get("residence_qpv") or [False] * len(residences)
    tenants = hs["tenants"]
    h0 = hs["first_household"]
    partners = [p for ids in hs["partners"].values() for p in ids]
    pick_kind = chooser(rng, ACTION_KINDS)
    as_of = ctx.as_of
    span = _span_days(ctx)
    n = ctx.volumes["collective_actions"]
    a0 = ctx.reserve_ids(m["CollectiveAction"], n)
    M: dict[str, list[tuple]] = defaultdict(list)
    for j in range(n):
        aid = a0 + j
        kind = pick_kind()
        starts = as_of - timedelta(days=rng.randint(0, span))
        ends = starts + timedelta(days=rng.randint(0, 300)) if rng.random() < 0.8 else None
        sites = rng.sample(range(len(residences)), min(len(residences), rng.randint(1, 3)))
        in_qpv = [ri for ri in sites if qpv[ri]]
        sessions = rng.randint(1, 30)
        participants = rng.randint(5, 150)
        back = rng.randint(0, participants // 4) if kind == "employment" else 0
        M["CollectiveAction"].append(
            (
                aid,
                f"{rng.choice(ACTION_NAMES[kind])} n° {j + 1}",
                kind,
                starts,
                ends,
                f"Quartier {in_qpv[0] + 1}" if in_qpv else "",
                sessions,
                participants,
                rng.randint(max(1, participants // 3), participants),
                back,
                "Bilan transmis aux financeurs.",
                f"{rng.uniform(300, 20000):.2f}",
            )
        )
        for ri in sites:
            M["ActionResidence"].append((aid, residences[ri]))
        for p in rng.sample(partners, min(len(partners), rng.randint(0, 2))):
            M["ActionPartner"].append((aid, p))
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            funder = partners[rng.randrange(len(partners))] if rng.random() < 0.4 else None
            years = rng.choice([1, 1, 2, 3])
            M["ActionFunding"].append(
                (
                    aid,
                    funder,
                    rng.choice(FUNDERS),
                    f"{rng.uniform(1000, 20000 * years):.2f}",
                    starts,
                    starts + timedelta(days=365 * years - 1),
                )
            )
        if tenants and rng.random() < 0.33:
            named = rng.sample(range(tenants), min(tenants, rng.randint(5, 25)))
            for k, h in enumerate(named):
                M["ActionParticipant"].append((aid, h0 + h, k < back))
    _copy_ids(
        ctx,
        m["CollectiveAction"],
        org,
        M["CollectiveAction"],
        rng,
        with_id=True,
        columns=[
            "name",
            "kind",
            "starts_on",
            "ends_on",
            "neighbourhood",
            "sessions",
            "participants",
            "households_reached",
            "back_to_work",
            "outcomes",
            "cost",
        ],
    )
    _copy_ids(
        ctx,
        m["ActionResidence"],
        org,
        M["ActionResidence"],
        rng,
        columns=["action_id", "residence_id"],
    )
    _copy_ids(
        ctx, m["ActionPartner"], org, M["ActionPartner"], rng, columns=["action_id", "partner_id"]
    )
    _copy_ids(
        ctx,
        m["ActionFunding"],
        org,
        M["ActionFunding"],
        rng,
        columns=["action_id", "funder_id", "funder_name", "amount", "starts_on", "ends_on"],
    )
    _copy_ids(
        ctx,
        m["ActionParticipant"],
        org,
        M["ActionParticipant"],
        rng,
        columns=["action_id", "household_id", "back_to_work"],
    )


def _clauses(ctx: Context, org: Any, m: dict[str, Any]) -> None:
    rng = ctx.rng("operations", org.slug, "clauses")
    residences = ctx.state[org.slug]["housing"]["residences"]
    as_of = ctx.as_of
    first_year = (as_of - timedelta(days=_span_days(ctx))).year
    years = list(range(first_year, as_of.year + 1))
    n = ctx.volumes["insertion_clauses"]
    rows = []
    for j in range(n):
        year = years[j % len(years)]
        required = rng.randint(200, 5000)
        done = required * rng.uniform(0.7, 1.3)
        if year == as_of.year:
            done *= (as_of - date(year, 1, 1)).days / 365
        rows.append(
            (
                f"Marché de travaux n° {year}-{j + 1:04d}",
                rng.choice(CONTRACTORS),
                residences[rng.randrange(len(residences))] if rng.random() < 0.7 else None,
                year,
                required,
                int(done),
            )
        )
    _copy_ids(
        ctx,
        m["InsertionClause"],
        org,
        rows,
        rng,
        columns=[
            "contract",
            "contractor",
            "residence_id",
            "year",
            "required_hours",
            "achieved_hours",
        ],
    )
