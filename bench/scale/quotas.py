"""Quotas: reservation agreements (gestion en flux), dwellings left out of a flow, demands
labelled for an accord-collectif programme, and each territory's yearly targets.

Per organisation at L (8 territories, six calendar years): ~150 agreements (the préfet and
Action Logement on every territory and year, a CCAS on some), ~4,000 excluded dwellings,
~3,000 programme labels, ~650 targets. The targets are what `legal_targets_create` would
write (the two mixité quotas, the préfet's ceiling, 25 % of priority households on the
landlord's own flow and on each réservataire's) plus the counts a manager enters (DALO,
sortants d'hébergement, two accord-collectif programmes, domestic violence, disability), set
from the attributions the allocations generator produced (0.8–1.3 × what was achieved, so that
some are met and some behind). The attributions themselves are the allocations app's offers
(`bench/scale/allocations.py`): the quotas dashboard counts them against these targets."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from bench.scale import Context

PROGRAMMES = ["MVS", "Accel'AIR"]
COUNT_CATEGORIES = [
    # (category, criterion counted)
    ("dalo", "dalo"),
    ("shelter_leavers", "emergency_accommodation"),
    ("domestic_violence", "domestic_violence"),
    ("disability", "disability"),
]
LEGAL = [
    # (category, value, direction, legal reference)
    (
        "first_quartile_outside_qpv",
        "25.00",
        "at_least",
        "Loi n° 2017-86 Égalité et Citoyenneté art. 70 ; CCH L441-1",
    ),
    (
        "non_first_quartile_in_qpv",
        "50.00",
        "at_least",
        "CCH L441-1 (taux par défaut, modulable par la conférence intercommunale)",
    ),
    ("prefet_share", "30.00", "at_most", "CCH L441-1 et R441-5"),
]
PRIORITY_REFERENCE = "CCH L441-1 (loi Égalité et Citoyenneté, art. 70)"
EXCLUSION_REASONS = [
    "Logement adapté PMR réservé aux mutations internes",
    "Logement de gardien",
    "Opération de renouvellement urbain (relogements)",
    "Logement en vente HLM",
]


def generate(ctx: Context) -> Any:
    m = {
        n: ctx.model(f"quotas.{n}")
        for n in ["ReservationAgreement", "ExcludedDwelling", "ProgrammeLabel", "QuotaTarget"]
    }
    if not all(m.values()):
        return False
    for org in ctx.orgs:
        _org(ctx, org, m)
    return True


def _org(ctx: Context, org: Any, m: dict[str, Any]) -> None:
    rng = ctx.rng("quotas", org.slug)
    st = ctx.state[org.slug]
    hs = st["housing"]
    al = st.get("allocations", {})
    territories = [t[0] for t in st["organizations"]["territories"]]
    partners = hs["partners"]
    as_of = ctx.as_of
    first_year = (as_of - timedelta(days=ctx.volumes["months"] * 30)).year
    years = list(range(first_year, as_of.year + 1))
    res_territory = hs["residence_territories"]
    dwellings = hs["dwellings"]  # (id, residence index, ...)
    by_territory: dict[int, list[int]] = defaultdict(list)
    territory_of_dwelling: dict[int, int] = {}
    for d in dwellings:
        tid = res_territory[d[1]]
        by_territory[tid].append(d[0])
        territory_of_dwelling[d[0]] = tid

    # Agreements: the préfet and Action Logement everywhere, a CCAS on one territory in three.
    prefecture = partners.get("prefecture", [])[:1]
    action_logement = partners.get("action_logement", [])[:1]
    ccas = partners.get("ccas", [])[:3]
    agreements = []  # (id, territory, year, partner)
    rows = []
    a0 = ctx.reserve_ids(m["ReservationAgreement"], len(territories) * len(years) * 3)
    aid = a0
    for t_index, tid in enumerate(territories):
        holders = [(p, 25, 30, "PREF") for p in prefecture]
        holders += [(p, 15, 25, "AL") for p in action_logement]
        if ccas and t_index % 3 == 0:
            holders.append((ccas[t_index % len(ccas)], 3, 6, "CCAS"))
        for year in years:
            for partner, lo, hi, code in holders:
                signed = date(year - 1, 12, 1) + timedelta(days=rng.randint(0, 60))
                rows.append(
                    (
                        aid,
                        org.id,
                        partner,
                        tid,
                        year,
                        f"{rng.randint(lo * 4, hi * 4) / 4:.2f}",
                        signed,
                        f"CR-{year}-{t_index + 1:02d}-{code}",
                    )
                )
                agreements.append((aid, tid, year, partner))
                aid += 1
    ctx.copy(
        m["ReservationAgreement"],
        [
            "id",
            "organization_id",
            "partner_id",
            "territory_id",
            "year",
            "flow_share",
            "signed_on",
            "reference",
        ],
        rows,
        rng=rng,
    )

    # Dwellings out of a flow: about 0.2 % of the territory's stock per agreement.
    rows = []
    for aid, tid, _year, _partner in agreements:
        pool = by_territory.get(tid, [])
        if not pool:
            continue
        for dwelling_id in rng.sample(pool, min(len(pool), max(1, round(len(pool) * 0.002)))):
            rows.append((org.id, aid, dwelling_id, rng.choice(EXCLUSION_REASONS)))
    e0 = ctx.reserve_ids(m["ExcludedDwelling"], len(rows))
    ctx.copy(
        m["ExcludedDwelling"],
        ["id", "organization_id", "agreement_id", "dwelling_id", "reason"],
        ((e0 + i, *row) for i, row in enumerate(rows)),
        rng=rng,
    )

    # Programme labels: one priority demand in six, one other demand in two hundred.
    criteria: dict[int, list[str]] = al.get("criteria", {})
    levels: list[int] = al.get("levels", [])
    first_app = al.get("first_application", 0)
    labels: dict[int, set[str]] = defaultdict(set)
    rows = []
    for k, level in enumerate(levels):
        if rng.random() >= (0.16 if level else 0.005):
            continue
        programme = PROGRAMMES[rng.randrange(len(PROGRAMMES))]
        labels[first_app + k].add(programme)
        rows.append(
            (
                org.id,
                first_app + k,
                programme,
                as_of - timedelta(days=rng.randint(30, ctx.volumes["months"] * 30)),
            )
        )
    pl0 = ctx.reserve_ids(m["ProgrammeLabel"], len(rows))
    ctx.copy(
        m["ProgrammeLabel"],
        ["id", "organization_id", "application_id", "programme", "labelled_on"],
        ((pl0 + i, *row) for i, row in enumerate(rows)),
        rng=rng,
    )

    # What was achieved per (territory, year): the signed leases after an accepted offer.
    achieved: Counter = Counter()
    for _oid, dwelling_id, status, app_id, signed_on in al.get("offers", []):
        if status != "lease_signed" or signed_on is None:
            continue
        key = (territory_of_dwelling.get(dwelling_id), signed_on.year)
        achieved[(*key, "all")] += 1
        for criterion in criteria.get(app_id, ()):
            achieved[(*key, criterion)] += 1
        for programme in labels.get(app_id, ()):
            achieved[(*key, "programme:" + programme)] += 1

    # Targets, every territory and year.
    holders_of: dict[tuple[int, int], list[int]] = defaultdict(list)
    for _aid, tid, year, partner in agreements:
        holders_of[(tid, year)].append(partner)
    rows = []
    for tid in territories:
        for year in years:
            # The current year's figures so far, as a whole year's.
            scale = 1.0
            if year == as_of.year:
                scale = 365 / max(30, (as_of - date(year, 1, 1)).days)
            for category, value, direction, reference in LEGAL:
                rows.append(
                    (tid, year, category, "", None, "percent", value, direction, True, reference)
                )
            for partner in [None, *holders_of[(tid, year)]]:
                rows.append(
                    (
                        tid,
                        year,
                        "priority_per_reservataire",
                        "",
                        partner,
                        "percent",
                        "25.00",
                        "at_least",
                        True,
                        PRIORITY_REFERENCE,
                    )
                )
            counted = [(c, achieved[(tid, year, crit)]) for c, crit in COUNT_CATEGORIES]
            counted += [
                ("collective_agreement:" + p, achieved[(tid, year, "programme:" + p)])
                for p in PROGRAMMES
            ]
            for category, n in counted:
                target = max(1, round(n * scale * rng.uniform(0.8, 1.3)))
                category, _, programme = category.partition(":")
                rows.append(
                    (
                        tid,
                        year,
                        category,
                        programme,
                        None,
                        "count",
                        f"{target}.00",
                        "at_least",
                        False,
                        "",
                    )
                )
    t0 = ctx.reserve_ids(m["QuotaTarget"], len(rows))
    ctx.copy(
        m["QuotaTarget"],
        [
            "id",
            "organization_id",
            "territory_id",
            "year",
            "category",
            "programme",
            "partner_id",
            "kind",
            "value",
            "direction",
            "is_legal",
            "legal_reference",
        ],
        ((t0 + i, org.id, *row) for i, row in enumerate(rows)),
        rng=rng,
    )
    st["quotas"] = {"agreements": len(agreements), "targets": len(rows)}
