"""Social accompaniment: cases (open, suspended, closed over five years), their interventions,
evaluations and the coming appointments. Per organisation at L: ~50,000 cases and ~500,000
interventions (~20 % logged by the arrears service, outside any case).

Then, from their own random streams: "aller vers" campaigns (a cold-wave and a heat-wave
campaign each year, ~15,000 households listed at L), adaptation requests (~3,000 at L, from
request to delivery, with the CARSAT's or MDPH's co-funding) and support programmes (six at
L, ~1,500 households enrolled)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
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
    _campaigns(ctx, org, cases)
    _adaptations(ctx, org)
    _programmes(ctx, org)


def _campaigns(ctx: Context, org: Any, cases: list[tuple]) -> None:
    Campaign = ctx.model("cases.OutreachCampaign")
    Target = ctx.model("cases.CampaignTarget")
    if Campaign is None or Target is None:
        return
    rng = ctx.rng("cases", org.slug, "campaigns")
    st = ctx.state[org.slug]
    hs = st["housing"]
    h0, tenants = hs["first_household"], hs["tenants"] or len(hs["households"])
    workers = st["organizations"]["users"]["social_worker"]
    case_of: dict[int, int] = {}
    for cid, hid, *_ in cases:
        case_of.setdefault(hid, cid)
    as_of = ctx.as_of
    first_year = (as_of - timedelta(days=ctx.volumes["months"] * 30)).year
    plan = []
    for year in range(first_year, as_of.year + 1):
        plan.append(("cold_wave", f"Plan grand froid {year}", date(year, 1, 10)))
        plan.append(("heat_wave", f"Plan canicule {year}", date(year, 7, 1)))
    plan = [p for p in plan if p[2] < as_of - timedelta(days=7)]
    if not plan:
        return
    per_campaign = max(5, ctx.volumes["campaign_targets"] // len(plan))
    c0 = ctx.reserve_ids(Campaign, len(plan))
    rows, targets = [], []
    for j, (kind, name, starts) in enumerate(plan):
        ends = min(as_of, starts + timedelta(days=45))
        status = "closed" if ends < as_of else "active"
        rows.append(
            (
                c0 + j,
                org.id,
                name,
                kind,
                status,
                starts,
                ends,
                {"min_age": 75, "lives_alone": True},
                2,
            )
        )
        for h in rng.sample(range(tenants), min(tenants, per_campaign)):
            attempts = rng.choice([0, 1, 1, 1, 2, 2, 3, 4])
            if attempts == 0:
                status_t, last = "to_call", None
            else:
                status_t = rng.choice(["reached", "reached", "reached", "not_reached", "follow_up"])
                last = min(ends, starts + timedelta(days=rng.randint(0, 40)))
            targets.append(
                (
                    org.id,
                    c0 + j,
                    h0 + h,
                    workers[rng.randrange(len(workers))],
                    status_t,
                    attempts > 2,
                    last,
                    attempts,
                    case_of.get(h0 + h) if status_t == "follow_up" else None,
                )
            )
    ctx.copy(
        Campaign,
        [
            "id",
            "organization_id",
            "name",
            "kind",
            "status",
            "starts_on",
            "ends_on",
            "criteria",
            "calls_per_week",
        ],
        rows,
        rng=rng,
    )
    t0 = ctx.reserve_ids(Target, len(targets))
    ctx.copy(
        Target,
        [
            "id",
            "organization_id",
            "campaign_id",
            "household_id",
            "assigned_to_id",
            "status",
            "recurring",
            "last_contact_on",
            "attempts",
            "social_case_id",
        ],
        ((t0 + i, *row) for i, row in enumerate(targets)),
        rng=rng,
    )


ADAPTATIONS = [
    ("bath_to_shower", 55),
    ("grab_bars", 20),
    ("raised_toilet", 10),
    ("access", 10),
    ("other", 5),
]


def _adaptations(ctx: Context, org: Any) -> None:
    Request = ctx.model("cases.AdaptationRequest")
    Funding = ctx.model("cases.AdaptationFunding")
    if Request is None or Funding is None:
        return
    rng = ctx.rng("cases", org.slug, "adaptations")
    hs = ctx.state[org.slug]["housing"]
    h0, tenants = hs["first_household"], hs["tenants"] or len(hs["households"])
    person_household = hs["person_household"]
    reference: dict[int, int] = {}
    for k, hid in enumerate(person_household):
        reference.setdefault(hid, hs["first_person"] + k)
    funders = hs["partners"].get("carsat", []) + hs["partners"].get("mdph", [])
    pick = chooser(rng, ADAPTATIONS)
    as_of = ctx.as_of
    span = ctx.volumes["months"] * 30
    n = ctx.volumes["adaptation_requests"]
    r0 = ctx.reserve_ids(Request, n)
    rows, fundings = [], []
    for j in range(n):
        hid = h0 + rng.randrange(tenants)
        requested = as_of - timedelta(days=rng.randint(1, span))
        status, studied, started, delivered, estimated, final = (
            "submitted",
            None,
            None,
            None,
            rng.uniform(800, 9000),
            None,
        )
        studied_on = requested + timedelta(days=rng.randint(20, 90))
        if studied_on < as_of:
            studied = studied_on
            r = rng.random()
            if r < 0.12:
                status = "rejected"
            elif r < 0.2:
                status = "postponed"
            else:
                status = "approved"
                works = studied + timedelta(days=rng.randint(30, 120))
                if works < as_of:
                    status, started = "in_works", works
                    done = works + timedelta(days=rng.randint(5, 40))
                    if done < as_of:
                        status, delivered = "delivered", done
                        final = estimated * rng.uniform(0.85, 1.2)
        rows.append(
            (
                r0 + j,
                org.id,
                hid,
                reference.get(hid),
                pick(),
                requested,
                status,
                studied,
                started,
                delivered,
                f"{estimated:.2f}",
                None if final is None else f"{final:.2f}",
            )
        )
        if final is not None and funders:
            for partner in rng.sample(funders, min(len(funders), rng.choice([0, 1, 1, 2]))):
                fundings.append((org.id, r0 + j, partner, f"{final * rng.uniform(0.1, 0.35):.2f}"))
    ctx.copy(
        Request,
        [
            "id",
            "organization_id",
            "household_id",
            "requester_id",
            "kind",
            "requested_on",
            "status",
            "studied_on",
            "works_started_on",
            "delivered_on",
            "estimated_cost",
            "final_cost",
        ],
        rows,
        rng=rng,
    )
    f0 = ctx.reserve_ids(Funding, len(fundings))
    ctx.copy(
        Funding,
        ["id", "organization_id", "request_id", "partner_id", "amount"],
        ((f0 + i, *row) for i, row in enumerate(fundings)),
        rng=rng,
    )


PROGRAMMES = [
    ("10 000 logements accompagnés", "Commission départementale", "État (FNAVDL)"),
    ("Zéro expulsion locative", "Comité de pilotage PDALHPD", "Département, CAF"),
    ("AVDL — accompagnement vers et dans le logement", "Commission SIAO", "État (FNAVDL)"),
    ("Logement d'abord", "Comité de pilotage", "Métropole, État"),
    ("Accompagnement des sortants d'hébergement", "Commission SIAO", "État"),
    ("Maintien à domicile des seniors", "Comité de suivi", "CARSAT, Département"),
]


def _programmes(ctx: Context, org: Any) -> None:
    Programme = ctx.model("cases.SupportProgramme")
    Enrolment = ctx.model("cases.ProgrammeEnrolment")
    if Programme is None or Enrolment is None:
        return
    rng = ctx.rng("cases", org.slug, "programmes")
    hs = ctx.state[org.slug]["housing"]
    h0, n_hh = hs["first_household"], len(hs["households"])
    associations = hs["partners"].get("association") or [None]
    as_of = ctx.as_of
    span = ctx.volumes["months"] * 30
    n_prog = max(2, round(len(PROGRAMMES) * min(1.0, ctx.volumes["programme_enrolments"] / 1500)))
    per = max(5, ctx.volumes["programme_enrolments"] // n_prog)
    p0 = ctx.reserve_ids(Programme, n_prog)
    rows, enrolments = [], []
    for j in range(n_prog):
        name, body, funders = PROGRAMMES[j % len(PROGRAMMES)]
        starts = as_of - timedelta(days=rng.randint(200, span))
        ends = starts + timedelta(days=3 * 365) if rng.random() < 0.5 else None
        target = max(2, round(per * rng.uniform(0.8, 1.3)))
        rows.append(
            (
                p0 + j,
                org.id,
                name,
                body,
                funders,
                associations[j % len(associations)],
                starts,
                ends,
                "closed" if ends is not None and ends < as_of else "active",
                "350.00",
                "1500.00",
                "800.00",
                rng.randint(0, 12),
                target * 2 // 5,
                target - target * 2 // 5,
                f"{target * 1500 + 5000:.2f}",
            )
        )
        for h in rng.sample(range(n_hh), min(n_hh, per)):
            proposed = starts + timedelta(days=rng.randint(0, max(1, (as_of - starts).days - 1)))
            decided = proposed + timedelta(days=rng.randint(10, 45))
            r = rng.random()
            if decided >= as_of:
                status, decided = "proposed", None
            elif r < 0.1:
                status = "refused"
            elif r < 0.35:
                status = "ended"
            else:
                status = "accepted"
            ended = (
                min(as_of, decided + timedelta(days=rng.randint(90, 500)))
                if status == "ended"
                else None
            )
            enrolments.append(
                (
                    org.id,
                    p0 + j,
                    h0 + h,
                    "access" if rng.random() < 0.4 else "staying",
                    status,
                    proposed,
                    decided,
                    status != "proposed" and rng.random() < 0.7,
                    ended,
                )
            )
    ctx.copy(
        Programme,
        [
            "id",
            "organization_id",
            "name",
            "decision_body",
            "funders",
            "operator_id",
            "starts_on",
            "ends_on",
            "status",
            "unit_cost_diagnostic",
            "unit_cost_yearly_accompaniment",
            "unit_cost_collective_action",
            "collective_actions_held",
            "target_access",
            "target_staying",
            "budget_planned",
        ],
        rows,
        rng=rng,
    )
    e0 = ctx.reserve_ids(Enrolment, len(enrolments))
    ctx.copy(
        Enrolment,
        [
            "id",
            "organization_id",
            "programme_id",
            "household_id",
            "kind",
            "status",
            "proposed_on",
            "decided_on",
            "diagnostic_done",
            "ended_on",
        ],
        ((e0 + i, *row) for i, row in enumerate(enrolments)),
        rng=rng,
    )
