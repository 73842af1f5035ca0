"""Partners, residences, dwellings, households, members, incomes, leases (+ timeline events).

Per organisation at L: 2,000 residences, 100,000 dwellings, ~110,000 households (tenants,
former tenants and applicants), ~250,000 persons, 100,000 leases (current and ended).
"""

from __future__ import annotations

import bisect
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bench.scale import Context, chooser
from bench.scale.data import (
    FIRST_NAMES_F,
    FIRST_NAMES_M,
    LAST_NAMES,
    PARTNERS,
    RESIDENCE_WORDS,
    STREETS,
)

TYPOLOGY = [("T1", 8), ("T2", 22), ("T3", 36), ("T4", 24), ("T5", 8), ("T6", 2)]
SURFACE = {
    "T1": (22, 35),
    "T2": (40, 55),
    "T3": (58, 72),
    "T4": (73, 88),
    "T5": (88, 105),
    "T6": (105, 130),
}
FINANCING = [("plus", 60), ("plai", 20), ("pls", 12), ("pli", 3), ("plai_adapte", 5)]
RENT_PER_M2 = {"plai": 5.4, "plai_adapte": 5.0, "plus": 6.1, "pls": 8.6, "pli": 10.2}
HOUSEHOLD_SIZE = [(1, 40), (2, 25), (3, 15), (4, 12), (5, 5), (6, 3)]
EMPLOYMENT_ADULT = [
    ("permanent", 34),
    ("temporary", 12),
    ("unemployed", 14),
    ("retired", 22),
    ("inactive", 10),
    ("self_employed", 3),
    ("student", 3),
    ("other", 2),
]
INCOME_BY_STATUS = {
    "permanent": ("salary", 1500, 2400),
    "temporary": ("salary", 900, 1600),
    "self_employed": ("salary", 700, 2000),
    "unemployed": ("unemployment", 600, 1200),
    "retired": ("pension", 800, 1700),
    "student": ("other", 300, 700),
    "inactive": ("rsa", 560, 640),
    "other": ("aah", 900, 1020),
}
END_REASON = [("moved_out", 70), ("transfer", 15), ("death", 8), ("eviction", 2), ("other", 5)]


def _money(x: float) -> Decimal:
    return Decimal(f"{x:.2f}")


def generate(ctx: Context) -> Any:
    m = {
        name: ctx.model(f"housing.{name}")
        for name in ["Partner", "Residence", "Dwelling", "Household", "Person", "Income", "Lease"]
    }
    if not all(m.values()):
        return False
    for org in ctx.orgs:
        _generate_org(ctx, org, m)
    return True


def _generate_org(ctx: Context, org: Any, m: dict[str, Any]) -> None:
    vol = ctx.volumes
    rng = ctx.rng("housing", org.slug)
    st = ctx.state[org.slug]
    territories = st["organizations"]["territories"]
    as_of = ctx.as_of

    # Partners.
    partners = list(PARTNERS)
    k = 0
    while len(partners) < vol["partners"]:
        k += 1
        partners.append((f"CCAS de la commune n° {k}", "ccas"))
    partners = partners[: vol["partners"]]
    p0 = ctx.reserve_ids(m["Partner"], len(partners))
    partner_ids = {kind: [] for _, kind in partners}
    for i, (_, kind) in enumerate(partners):
        partner_ids[kind].append(p0 + i)
    ctx.copy(
        m["Partner"],
        ["id", "organization_id", "name", "kind", "email", "phone"],
        [
            (
                p0 + i,
                org.id,
                name,
                kind,
                f"contact{i}@partenaire.test",
                f"03 87 {i % 100:02d} 00 00",
            )
            for i, (name, kind) in enumerate(partners)
        ],
        rng=rng,
    )
    associations = partner_ids.get("association", []) or [p0]
    reservers = (
        partner_ids.get("prefecture", [])
        + partner_ids.get("action_logement", [])
        + partner_ids.get("ccas", [])[:3]
    ) or [p0]

    # Residences and dwellings.
    n_res, n_dw = vol["residences"], vol["dwellings"]
    r0 = ctx.reserve_ids(m["Residence"], n_res)
    # Residence sizes: lognormal-ish, rescaled to the dwelling total.
    weights = [rng.lognormvariate(0, 0.7) for _ in range(n_res)]
    total_w = sum(weights)
    sizes = [max(1, int(w / total_w * n_dw)) for w in weights]
    diff = n_dw - sum(sizes)
    for i in range(abs(diff)):
        j = i % n_res
        if diff > 0:
            sizes[j] += 1
        elif sizes[j] > 1:
            sizes[j] -= 1
    n_dw = sum(sizes)
    residences = []
    res_rows = []
    for i in range(n_res):
        tid, _, communes = territories[i % len(territories)]
        commune = communes[rng.randrange(len(communes))]
        name = f"{RESIDENCE_WORDS[i % len(RESIDENCE_WORDS)]} {i // len(RESIDENCE_WORDS) + 1}"
        address = f"{rng.randint(1, 180)} {rng.choice(STREETS)}"
        qpv = rng.random() < 0.25
        residences.append((r0 + i, address, commune, qpv))
        res_rows.append(
            (
                r0 + i,
                org.id,
                f"GR{i + 1:05d}",
                f"Résidence {name}",
                address,
                commune[2],
                commune[0],
                commune[1],
                commune[3],
                commune[4],
                qpv,
                tid,
            )
        )
    ctx.copy(
        m["Residence"],
        [
            "id",
            "organization_id",
            "external_ref",
            "name",
            "address",
            "postal_code",
            "commune_name",
            "commune_insee",
            "epci_code",
            "epci_name",
            "is_qpv",
            "territory_id",
        ],
        res_rows,
        rng=rng,
    )

    pick_typ = chooser(rng, TYPOLOGY)
    pick_fin = chooser(rng, FINANCING)
    d0 = ctx.reserve_ids(m["Dwelling"], n_dw)
    dwellings = []  # (id, residence index, typology, monthly cost, rent, charges)
    dw_rows = []
    n_current = round(n_dw * 0.93)
    # Which dwellings are occupied: a deterministic shuffle.
    order = list(range(n_dw))
    rng.shuffle(order)
    occupied = set(order[:n_current])
    unavailable = set(order[n_current : n_current + round(n_dw * 0.02)])
    idx = 0
    for ri, count in enumerate(sizes):
        rid = residences[ri][0]
        floors = 1 + (count // 8)
        lift = floors > 4
        for n in range(count):
            typ = pick_typ()
            lo, hi = SURFACE[typ]
            surface = rng.uniform(lo, hi)
            fin = pick_fin()
            rent = surface * RENT_PER_M2[fin] * rng.uniform(0.92, 1.08)
            charges = surface * rng.uniform(1.4, 2.4)
            status = (
                "occupied"
                if idx in occupied
                else ("unavailable" if idx in unavailable else "vacant")
            )
            reserving = reservers[rng.randrange(len(reservers))] if rng.random() < 0.3 else None
            dw_rows.append(
                (
                    d0 + idx,
                    org.id,
                    rid,
                    f"GR{ri + 1:05d}-{n + 1:04d}",
                    typ,
                    f"{surface:.2f}",
                    n % max(1, floors),
                    lift,
                    rng.random() < 0.05,
                    fin,
                    f"{rent:.2f}",
                    f"{charges:.2f}",
                    rng.random() < 0.6,
                    status,
                    reserving,
                )
            )
            dwellings.append(
                (
                    d0 + idx,
                    ri,
                    typ,
                    rent + charges,
                    rent,
                    charges,
                    status,
                    f"GR{ri + 1:05d}-{n + 1:04d}",
                )
            )
            idx += 1
    ctx.copy(
        m["Dwelling"],
        [
            "id",
            "organization_id",
            "residence_id",
            "reference",
            "typology",
            "surface",
            "floor",
            "has_lift",
            "is_pmr_accessible",
            "financing",
            "rent",
            "charges",
            "individual_heating",
            "status",
            "reserving_partner_id",
        ],
        dw_rows,
        rng=rng,
    )
    del dw_rows

    # Which dwelling each lease (and so each tenant household, same index) is on.
    occupied_list = sorted(occupied)
    others = [d for d in range(n_dw) if d not in occupied] or list(range(n_dw))
    n_leases_planned = max(0, vol["leases"] - n_current) + n_current

    def lease_dwelling(i: int) -> int:
        if i < n_current:
            return occupied_list[i]
        j = i - n_current
        return others[j] if j < len(others) else occupied_list[j % len(occupied_list)]

    try:
        from housing.search import normalize
    except ImportError:  # pragma: no cover - before housing's search landed

        def normalize(text: str) -> str:
            return text.lower()

    # Households: current tenants, former tenants (ended leases), then applicants.
    n_leases = vol["leases"]
    n_ended = max(0, n_leases - n_current)
    n_hh = max(vol["households"], n_current + n_ended)
    pick_size = chooser(rng, HOUSEHOLD_SIZE)
    pick_emp = chooser(rng, EMPLOYMENT_ADULT)
    h0 = ctx.reserve_ids(m["Household"], n_hh)
    households = []  # (id, size, is_applicant_only, monthly income)
    hh_rows = []
    persons = []
    incomes = []
    benefits: list[float] = []
    for h in range(n_hh):
        hid = h0 + h
        size = pick_size()
        last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
        female = rng.random() < 0.55
        first = (FIRST_NAMES_F if female else FIRST_NAMES_M)[rng.randrange(50)]
        phone = f"06 {rng.randrange(100):02d} {rng.randrange(100):02d} {rng.randrange(100):02d} {rng.randrange(100):02d}"
        ref_age = rng.randint(19, 88)
        members = [(first, last, "reference", ref_age)]
        if size >= 2 and rng.random() < 0.55:
            members.append(
                (
                    (FIRST_NAMES_M if female else FIRST_NAMES_F)[rng.randrange(50)],
                    last,
                    "spouse",
                    max(18, ref_age + rng.randint(-6, 6)),
                )
            )
        while len(members) < size:
            members.append(
                (
                    (FIRST_NAMES_F + FIRST_NAMES_M)[rng.randrange(100)],
                    last,
                    "child",
                    rng.randint(0, max(0, min(25, ref_age - 18))),
                )
            )
        income_total = 0.0
        for first_name, last_name, rel, age in members:
            pid = len(persons)
            birth = date(as_of.year - age, rng.randint(1, 12), rng.randint(1, 28))
            if rel == "child" and age < 18:
                emp = "child"
            else:
                emp = "retired" if age >= 65 else pick_emp()
                if emp == "retired" and age < 55:
                    emp = "inactive"
                kind, lo, hi = INCOME_BY_STATUS[emp]
                amount = rng.uniform(lo, hi)
                income_total += amount
                incomes.append(
                    (pid, kind, f"{amount:.2f}", f"{amount:.2f}" if rng.random() < 0.7 else None)
                )
            disabled = rng.random() < 0.04
            persons.append(
                (
                    hid,
                    first_name,
                    last_name,
                    birth,
                    rel,
                    emp,
                    disabled,
                    disabled and rng.random() < 0.5,
                )
            )
        is_tenant = h < n_current + n_ended
        street = rng.choice(STREETS)
        address = "" if is_tenant else f"{rng.randint(1, 120)} {street}"
        benefit = rng.random() < 0.45
        benefit_amount = rng.uniform(80, 380) if benefit else 0
        benefits.append(round(benefit_amount, 2))
        name = f"{last} {first}"
        parts = [name, f"M{h + 1:07d}", phone, phone.replace(" ", ""), address]
        parts += [f"{p[0]} {p[1]}" for p in members]
        if h < n_leases_planned:
            di = lease_dwelling(h)
            _, ri_, _, _, _, _, _, dref = dwellings[di]
            _, raddress, rcommune, _ = residences[ri_]
            parts += [dref, f"B{h + 1:07d}", raddress, rcommune[0]]
        search = normalize(" ".join(p for p in parts if p))
        hh_rows.append(
            (
                hid,
                org.id,
                f"M{h + 1:07d}",
                name,
                phone,
                address,
                "apl" if benefit else "",
                f"{round(benefit_amount, 2):.2f}",
                size == 1,
                size == 1 and ref_age > 70 and rng.random() < 0.3,
                rng.random() < 0.05,
                rng.random() < 0.06,
                rng.random() < 0.1,
                search,
            )
        )
        households.append((hid, size, not is_tenant, income_total))
    ctx.copy(
        m["Household"],
        [
            "id",
            "organization_id",
            "external_ref",
            "name",
            "phone",
            "address",
            "housing_benefit_kind",
            "housing_benefit",
            "lives_alone",
            "socially_isolated",
            "reduced_mobility",
            "health_fragility",
            "digital_exclusion",
            "search_text",
        ],
        hh_rows,
        rng=rng,
    )
    del hh_rows
    pe0 = ctx.reserve_ids(m["Person"], len(persons))
    ctx.copy(
        m["Person"],
        [
            "id",
            "organization_id",
            "household_id",
            "first_name",
            "last_name",
            "birth_date",
            "relationship",
            "employment_status",
            "has_disability",
            "needs_adapted_dwelling",
        ],
        ((pe0 + i, org.id, *p) for i, p in enumerate(persons)),
        rng=rng,
    )
    person_household = [p[0] for p in persons]
    del persons
    i0 = ctx.reserve_ids(m["Income"], len(incomes))
    since = as_of - timedelta(days=365)
    ctx.copy(
        m["Income"],
        [
            "id",
            "organization_id",
            "person_id",
            "kind",
            "declared_monthly_amount",
            "verified_monthly_amount",
            "valid_from",
        ],
        (
            (i0 + i, org.id, pe0 + pid, kind, dec, ver, since)
            for i, (pid, kind, dec, ver) in enumerate(incomes)
        ),
        rng=rng,
    )
    del incomes

    # Leases: one current per occupied dwelling; ended ones on the other dwellings (or again
    # on occupied ones, before the current lease).
    pick_end = chooser(rng, END_REASON)
    l0 = ctx.reserve_ids(m["Lease"], n_current + n_ended)
    leases = []  # (id, dwelling idx, household id, start, end, monthly cost)
    lease_rows = []
    horizon = as_of - timedelta(days=ctx.volumes["months"] * 30 + 400)
    current_start: dict[int, date] = {}
    # Slides of sliding leases to the household (bail glissant), from their own stream.
    slide_rng = ctx.rng("housing", org.slug, "slides")
    for i, di in enumerate(occupied_list):
        dw = dwellings[di]
        start = as_of - timedelta(days=int(rng.expovariate(1 / 2900)) + 30)
        kind = "ordinary" if rng.random() < 0.97 else "sliding"
        partner = associations[rng.randrange(len(associations))] if kind == "sliding" else None
        hid = h0 + i
        current_start[di] = start
        leases.append((l0 + i, di, hid, start, None, dw[3]))
        slide = None
        if kind == "sliding" and slide_rng.random() < 0.4:
            slide = start + timedelta(days=slide_rng.randint(365, 3 * 365))
            if slide >= as_of:
                slide = None
        lease_rows.append(
            (
                l0 + i,
                org.id,
                dw[0],
                hid,
                kind,
                partner,
                f"B{i + 1:07d}",
                start - timedelta(days=rng.randint(3, 20)),
                start,
                None,
                "",
                slide,
            )
        )
    # A lease ended by a transfer (mutation) is the former lease of a current tenant whose
    # lease started after it: that household moved within the stock (internal transfer).
    moved_rng = ctx.rng("housing", org.slug, "transfers")
    by_start = sorted((start, k) for k, (_, _, _, start, _, _) in enumerate(leases))
    starts = [start for start, _ in by_start]
    for j in range(n_ended):
        i = n_current + j
        di = lease_dwelling(i)
        dw = dwellings[di]
        end = as_of - timedelta(days=rng.randint(40, ctx.volumes["months"] * 30))
        if di in occupied:  # more ended leases than free dwellings: before the current one
            end = min(end, current_start[di] - timedelta(days=1))
        start = min(end - timedelta(days=200), horizon - timedelta(days=rng.randint(0, 3000)))
        hid = h0 + i
        reason = pick_end()
        if reason == "transfer":
            after = bisect.bisect_left(starts, end)
            if after < len(starts):
                # The household now holds a current lease that began after this one ended.
                hid = leases[by_start[moved_rng.randrange(after, len(starts))][1]][2]
        leases.append((l0 + i, di, hid, start, end, dw[3]))
        lease_rows.append(
            (
                l0 + i,
                org.id,
                dw[0],
                hid,
                "ordinary",
                None,
                f"B{i + 1:07d}",
                start - timedelta(days=7),
                start,
                end,
                reason,
                None,
            )
        )
    ctx.copy(
        m["Lease"],
        [
            "id",
            "organization_id",
            "dwelling_id",
            "household_id",
            "kind",
            "lessee_partner_id",
            "external_ref",
            "signed_on",
            "start_date",
            "end_date",
            "end_reason",
            "slide_date",
        ],
        lease_rows,
        rng=rng,
    )
    del lease_rows

    # Household timeline: the lease signature (what the housing services would record).
    Timeline = ctx.model("core.TimelineEvent")
    if Timeline is not None:
        t0 = ctx.reserve_ids(Timeline, len(leases))
        ctx.copy(
            Timeline,
            ["id", "organization_id", "household_id", "at", "category", "kind", "title"],
            (
                (
                    t0 + k,
                    org.id,
                    hid,
                    f"{start.isoformat()} 09:00:00+00",
                    "housing",
                    "lease_signed",
                    f"Bail signé — logement {dwellings[di][7]}",
                )
                for k, (_, di, hid, start, _, _) in enumerate(leases)
            ),
            rng=rng,
        )

    st["housing"] = {
        "partners": partner_ids,
        "residences": [r[0] for r in residences],
        # Territory id and QPV flag of each residence (same index).
        "residence_territories": [territories[i % len(territories)][0] for i in range(n_res)],
        "residence_qpv": [r[3] for r in residences],
        "dwellings": dwellings,
        "households": households,
        "benefits": benefits,
        "first_household": h0,
        "tenants": n_current,
        "person_household": person_household,
        "first_person": pe0,
        "leases": leases,
    }
