"""Social accompaniment: cases (open, suspended, closed over five years), their interventions,
evaluations and the coming appointments. Per organisation at L: ~50,000 cases and ~500,000
interventions (~20 % logged by the arrears service, outside any case)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bench.scale import Context, chooser

MOTIVES = [
    ("arrears", 30),
    ("access_to_rights", 25),
    ("isolation", 12),
    ("transfer", 10),
    ("allocation_follow_up", 10),
    ("adaptation", 6),
    ("other", 7),
]
KINDS = [
    ("office_interview", 25),
    ("phone_out", 25),
    ("phone_in", 20),
    ("home_visit", 15),
    ("letter_email", 10),
    ("partner_meeting", 5),
]
OUTCOMES = [("done", 75), ("not_reached", 12), ("follow_up", 10), ("referred", 3)]
CASE_OUTCOMES = [
    ("goal_reached", 40),
    ("partially_reached", 25),
    ("relayed", 10),
    ("abandoned", 12),
    ("moved_out", 8),
    ("other", 5),
]
SUBJECTS = [
    "Point budget",
    "Dossier FSL",
    "Ouverture des droits CAF",
    "Suivi du plan d'apurement",
    "Visite de courtoisie",
    "Demande de mutation",
    "Dossier MDPH",
    "Relais CCAS",
]


def generate(ctx: Context) -> Any:
    SocialCase = ctx.model("cases.SocialCase")
    Intervention = ctx.model("cases.Intervention")
    if SocialCase is None or Intervention is None:
        return False
    for org in ctx.orgs:
        _org(ctx, org, SocialCase, Intervention)
    return True


def _org(ctx: Context, org: Any, SocialCase: Any, Intervention: Any) -> None:
    rng = ctx.rng("cases", org.slug)
    st = ctx.state[org.slug]
    hs = st["housing"]
    users = st["organizations"]["users"]
    workers = users["social_worker"]
    officers = users["arrears_officer"] or workers
    associations = hs["partners"].get("association") or [None]
    h0, n_hh, tenants = hs["first_household"], len(hs["households"]), hs["tenants"]
    vol = ctx.volumes
    months = vol["months"]
    as_of = ctx.as_of
    span = months * 30
    pick_motive = chooser(rng, MOTIVES)
    pick_kind = chooser(rng, KINDS)
    pick_outcome = chooser(rng, OUTCOMES)
    pick_case_outcome = chooser(rng, CASE_OUTCOMES)

    n_cases = vol["accompaniments"]
    c0 = ctx.reserve_ids(SocialCase, n_cases)
    cases = []  # (id, household id, referent, opened, closed or None)
    rows = []
    for i in range(n_cases):
        # 85 % tenants, the rest applicants.
        h = (
            rng.randrange(tenants)
            if rng.random() < 0.85 or tenants == n_hh
            else rng.randrange(tenants, n_hh)
        )
        referent = workers[rng.randrange(len(workers))]
        opened = as_of - timedelta(days=rng.randint(1, span))
        planned = opened + timedelta(days=rng.choice([90, 180, 180, 365]))
        r = rng.random()
        age = (as_of - opened).days
        if r < 0.10 and age < 540:
            status, closed, outcome = "open", None, ""
        elif r < 0.12 and age < 540:
            status, closed, outcome = "suspended", None, ""
        else:
            status = "closed"
            closed = min(as_of, opened + timedelta(days=rng.randint(30, 420)))
            outcome = pick_case_outcome()
        mode = "internal" if rng.random() < 0.85 else rng.choice(["asll", "avdl"])
        partner = associations[rng.randrange(len(associations))] if mode != "internal" else None
        motives = [pick_motive()]
        if rng.random() < 0.3:
            second = pick_motive()
            if second not in motives:
                motives.append(second)
        cases.append((c0 + i, h0 + h, referent, opened, closed))
        rows.append(
            (
                c0 + i,
                org.id,
                h0 + h,
                motives,
                referent,
                status,
                mode,
                partner,
                opened,
                planned,
                closed,
                outcome,
                "Situation suivie (note de synthèse).",
            )
        )
    ctx.copy(
        SocialCase,
        [
            "id",
            "organization_id",
            "household_id",
            "motives",
            "referent_id",
            "status",
            "mode",
            "external_partner_id",
            "opened_on",
            "planned_end_on",
            "closed_on",
            "outcome",
            "note",
        ],
        rows,
        rng=rng,
    )
    del rows

    n_int = vol["interventions"]
    in_cases = int(n_int * 0.8)

    def interventions():
        for k in range(n_int):
            if k < in_cases and cases:
                cid, hid, author, opened, closed = cases[k % len(cases)]
                end = closed or as_of
                days = max(0, (end - opened).days)
                on = opened + timedelta(days=rng.randint(0, days))
                service = "social"
            else:
                cid = None
                hid = h0 + rng.randrange(tenants or n_hh)
                author = officers[rng.randrange(len(officers))]
                on = as_of - timedelta(days=rng.randint(0, span))
                service = "arrears"
            kind = pick_kind()
            minutes = {"home_visit": 60, "office_interview": 45, "partner_meeting": 90}.get(
                kind, 10
            )
            yield (
                org.id,
                hid,
                cid,
                author,
                service,
                kind,
                on,
                minutes,
                pick_motive(),
                SUBJECTS[k % len(SUBJECTS)],
                pick_outcome(),
                "Échange avec le ménage.",
            )

    i0 = ctx.reserve_ids(Intervention, n_int)
    ids = iter(range(i0, i0 + n_int))
    ctx.copy(
        Intervention,
        [
            "id",
            "organization_id",
            "household_id",
            "social_case_id",
            "author_id",
            "service",
            "kind",
            "occurred_on",
            "duration_minutes",
            "motive",
            "subject",
            "outcome",
            "note",
        ],
        ((next(ids), *row) for row in interventions()),
        rng=rng,
    )

    # Evaluations: one for a case in five.
    Evaluation = ctx.model("cases.Evaluation")
    if Evaluation is not None:
        chosen = cases[::5]
        e0 = ctx.reserve_ids(Evaluation, len(chosen))
        ctx.copy(
            Evaluation,
            [
                "id",
                "organization_id",
                "household_id",
                "author_id",
                "context",
                "evaluated_on",
                "status",
                "situation_note",
                "conclusion_note",
                "recommendation",
                "social_case_id",
            ],
            (
                (
                    e0 + j,
                    org.id,
                    hid,
                    author,
                    rng.choice(["allocation", "arrears", "transfer"]),
                    opened,
                    "completed",
                    "Ménage rencontré au bureau.",
                    "Accompagnement préconisé.",
                    "internal",
                    cid,
                )
                for j, (cid, hid, author, opened, _) in enumerate(chosen)
            ),
            rng=rng,
        )
    # Appointments: the coming weeks of the open cases.
    Appointment = ctx.model("cases.Appointment")
    if Appointment is not None:
        open_cases = [c for c in cases if c[4] is None]
        a0 = ctx.reserve_ids(Appointment, len(open_cases))
        base = datetime(as_of.year, as_of.month, as_of.day, 9, 0, tzinfo=UTC)
        ctx.copy(
            Appointment,
            [
                "id",
                "organization_id",
                "household_id",
                "social_case_id",
                "worker_id",
                "kind",
                "starts_at",
                "place",
                "subject",
                "status",
            ],
            (
                (
                    a0 + j,
                    org.id,
                    hid,
                    cid,
                    author,
                    "office_interview",
                    base + timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 7)),
                    "Agence",
                    "Point d'étape",
                    "planned",
                )
                for j, (cid, hid, author, _, _) in enumerate(open_cases)
            ),
            rng=rng,
        )
    st["cases"] = {"cases": cases}
