"""Arrears: monthly account statements of every lease over the period (100,000 leases × 60
months per organisation at L), arrears cases (~20,000), repayment plans with their instalments
(~10,000) and FSL aids (~5,000); then, from their own random stream, debt write-offs (~2,000:
half of them found a Borloo protocol carrying one plan in ten) and relocation requests (~600).

Statements are consistent with the cases: a lease with a case pays short from its arrears
month on (open cases: the debt is still there; closed ones: repaid after a plan). Other leases
pay what is due, with the odd late month caught up the month after. Like every table, the
statements are loaded without their foreign keys and plain indexes (`Context.bulk_mode`).

The statements of leases with a case (a fifth) are streamed from Python (the case is written
from them); the others — ~80 % of the statements, more than half of all the rows at L — are
computed by PostgreSQL (`INSERT … SELECT … generate_series`, `Context.insert_select`), their late
months drawn from an integer hash of (seed, organisation, lease position, month): reproducible
without any id, several times faster than formatting and COPYing each row from Python."""

from __future__ import annotations

import math
import time
from datetime import date, timedelta
from typing import Any

from bench.scale import Context, add_months

STAGES = [
    ("amicable", 45),
    ("caf_report", 20),
    ("ccapex_referral", 10),
    ("payment_order", 12),
    ("summons", 8),
    ("hearing", 5),
]


def generate(ctx: Context) -> Any:
    names = ["AccountStatement", "ArrearsCase", "RepaymentPlan", "Installment", "FslAid"]
    m = {n: ctx.model(f"arrears.{n}") for n in names}
    if m["AccountStatement"] is None or m["ArrearsCase"] is None:
        return False
    for org in ctx.orgs:
        _org(ctx, org, m)
    return True


def _org(ctx: Context, org: Any, m: dict[str, Any]) -> None:
    rng = ctx.rng("arrears", org.slug)
    st = ctx.state[org.slug]
    hs = st["housing"]
    vol = ctx.volumes
    as_of = ctx.as_of
    n_months = vol["months"]
    first_month = add_months(as_of.replace(day=1), -n_months)
    months = [add_months(first_month, k) for k in range(n_months)]
    leases = hs["leases"]  # (id, dwelling idx, household id, start, end, monthly cost)
    h0 = hs["first_household"]
    benefits = hs["benefits"]
    officers = st["organizations"]["memberships"]["arrears_officer"]
    territories = st["organizations"]["territories"]

    def month_index(d: date) -> int:
        return (d.year - first_month.year) * 12 + d.month - first_month.month

    # Which leases have a case, and its shape.
    n_cases = min(vol["arrears_cases"], len(leases))
    case_leases = rng.sample(range(len(leases)), n_cases)
    cases: dict[int, dict[str, Any]] = {}
    for li in case_leases:
        lid, _, hid, start, end, _ = leases[li]
        lo = max(0, month_index(start) + 1)
        hi = n_months - 1 if end is None else min(n_months - 1, month_index(end))
        if hi - lo < 3:
            continue
        r = rng.random()
        still_there = end is None
        status = (
            "open"
            if still_there and r < 0.35
            else ("closure_proposed" if still_there and r < 0.40 else "closed")
        )
        if status == "closed":
            a = rng.randint(lo, max(lo, hi - 3))
        else:
            a = rng.randint(max(lo, hi - 18), hi)
        cases[li] = {
            "status": status,
            "a": a,
            "paid_back_at": None,
            "debt_open": 0.0,
            "balance": 0.0,
        }

    # Statements. Those of the leases with a case (a fifth of them) come from Python, month
    # by month, because the case is written from them (arrears month, debt at opening, paid
    # back); the others' (most rows) are computed by PostgreSQL: INSERT … SELECT over
    # generate_series, a late month drawn from a hash of (seed, organisation, lease position,
    # month) — reproducible, no id involved.
    Statement = m["AccountStatement"]
    spans = []
    for _lid, _, _hid, start, end, _cost in leases:
        lo = max(0, month_index(start) + 1)
        hi = n_months - 1 if end is None else min(n_months - 1, month_index(end))
        spans.append((lo, hi))
    total = sum(max(0, hi - lo + 1) for lo, hi in spans)
    in_python = sum(max(0, spans[li][1] - spans[li][0] + 1) for li in cases)
    s0 = ctx.reserve_ids(Statement, total)
    random = rng.random

    def amounts(li: int) -> tuple[float, float, float]:
        _lid, _, hid, _start, _end, cost = leases[li]
        hb = benefits[hid - h0] if hid - h0 < len(benefits) else 0.0
        hb = min(hb, cost * 0.8)
        return cost, hb, round(cost - hb, 2)

    def statements():
        next_id = s0
        org_id = org.id
        for li in sorted(cases):
            lid, _, _hid, _start, end, _cost = leases[li]
            lo, hi = spans[li]
            if hi < lo:
                continue
            cost, hb, net = amounts(li)
            billed_s, hb_s, net_s = f"{cost:.2f}", f"{hb:.2f}", f"{net:.2f}"
            case = cases[li]
            balance = 0.0
            late = False
            for k in range(lo, hi + 1):
                if k >= case["a"]:
                    if case["status"] != "closed":
                        paid = net * 0.7
                    elif k < case["a"] + 6:
                        paid = net * 0.5
                    elif balance > 0.005:
                        paid = min(net * 1.3, net + balance)
                    else:
                        paid = net
                        if case["paid_back_at"] is None:
                            case["paid_back_at"] = k
                    if k == case["a"] + 1:
                        case["debt_open"] = balance + net - paid
                    paid = round(paid, 2)
                    balance = round(balance + net - paid, 2)
                    row_paid, row_balance = f"{paid:.2f}", f"{balance:.2f}"
                elif late:
                    paid = round(net * 2, 2)
                    balance = round(balance + net - paid, 2)
                    row_paid, row_balance = f"{paid:.2f}", f"{balance:.2f}"
                    late = False
                elif random() < 0.02:
                    balance = round(balance + net, 2)
                    row_paid, row_balance = "0.00", f"{balance:.2f}"
                    late = True
                else:
                    row_paid = net_s
                    row_balance = "0.00" if balance == 0 else f"{balance:.2f}"
                departed = end is not None and k == hi
                yield (
                    next_id,
                    org_id,
                    lid,
                    months[k],
                    billed_s,
                    hb_s,
                    row_paid,
                    row_balance,
                    departed,
                )
                next_id += 1
            case["balance"] = balance

    ctx.copy(
        Statement,
        [
            "id",
            "organization_id",
            "lease_id",
            "month",
            "billed",
            "housing_benefit",
            "payments",
            "balance",
            "tenant_departed",
        ],
        statements(),
        rng=rng,
    )
    _ordinary_statements(ctx, org, Statement, leases, spans, cases, amounts, s0 + in_python, months)

    # Cases.
    Case = m["ArrearsCase"]
    stage_values = [s for s, w in STAGES for _ in range(w)]
    items = sorted(cases.items())
    c0 = ctx.reserve_ids(Case, len(items))
    case_rows = []
    case_info = []  # (case id, lease id, household id, status, debt_at_opening, opened, closed)
    for j, (li, c) in enumerate(items):
        lid, _, hid, _, _, cost = leases[li]
        arrears_on = months[c["a"]] + timedelta(days=5)
        opened = min(as_of, arrears_on + timedelta(days=rng.randint(15, 45)))
        debt_open = max(1.0, round(c["debt_open"], 2))
        if c["status"] == "closed":
            back = c["paid_back_at"]
            closed = min(as_of, (months[back] if back is not None else as_of) + timedelta(days=10))
            closed = max(closed, opened)
            current, stage = 0.0, "amicable"
            deadline = None
        else:
            closed = None
            current = max(0.0, c["balance"])
            stage = stage_values[rng.randrange(len(stage_values))]
            deadline = as_of + timedelta(days=rng.randint(-10, 60))
        tid = territories[li % len(territories)][0]
        case_rows.append(
            (
                c0 + j,
                org.id,
                lid,
                hid,
                tid,
                officers[j % len(officers)],
                c["status"],
                stage,
                arrears_on,
                opened,
                f"{debt_open:.2f}",
                f"{current:.2f}",
                f"{cost * 0.7:.2f}",
                deadline,
                "Relance" if deadline else "",
                closed,
                "Dette soldée" if closed else "",
            )
        )
        case_info.append((c0 + j, lid, hid, c["status"], debt_open, opened, closed))
    ctx.copy(
        Case,
        [
            "id",
            "organization_id",
            "lease_id",
            "household_id",
            "territory_id",
            "officer_id",
            "status",
            "stage",
            "arrears_on",
            "opened_on",
            "debt_at_opening",
            "current_debt",
            "monthly_net_rent",
            "next_deadline_on",
            "next_deadline_label",
            "closed_on",
            "closure_reason",
        ],
        case_rows,
        rng=rng,
    )

    # Repayment plans (half of the cases) and their instalments (sum = debt at signature).
    Plan, Installment = m["RepaymentPlan"], m["Installment"]
    plans_info: list[tuple] = []  # (plan id, case id, lease id, household id, signed, cents)
    if Plan is not None and Installment is not None:
        n_plans = min(vol["repayment_plans"], len(case_info))
        chosen = case_info[:: max(1, len(case_info) // max(1, n_plans))][:n_plans]
        p0 = ctx.reserve_ids(Plan, len(chosen))
        plan_rows, inst = [], []
        for j, (cid, lid, hid, status, debt, opened, _closed) in enumerate(chosen):
            debt_c = max(100, int(debt * 100))
            n = rng.randint(6, 36)
            monthly_c = max(1, math.ceil(debt_c / n))
            n = math.ceil(debt_c / monthly_c)
            signed = opened + timedelta(days=rng.randint(5, 40))
            start = add_months(signed.replace(day=1), 1)
            pstatus = (
                "active"
                if status != "closed"
                else rng.choice(["completed", "completed", "breached"])
            )
            paid_total = 0
            for k in range(n):
                amount = monthly_c if k < n - 1 else debt_c - monthly_c * (n - 1)
                due = add_months(start, k)
                if due < as_of.replace(day=1) and (pstatus != "breached" or k < n // 2):
                    paid, istatus = amount, "paid"
                elif due < as_of.replace(day=1):
                    paid, istatus = 0, "missed"
                else:
                    paid, istatus = 0, "due"
                paid_total += paid
                inst.append(
                    (
                        org.id,
                        p0 + j,
                        k + 1,
                        due,
                        f"{amount / 100:.2f}",
                        f"{paid / 100:.2f}",
                        istatus,
                    )
                )
            plans_info.append((p0 + j, cid, lid, hid, signed, debt_c))
            plan_rows.append(
                (
                    p0 + j,
                    org.id,
                    cid,
                    lid,
                    hid,
                    f"{debt_c / 100:.2f}",
                    f"{monthly_c / 100:.2f}",
                    start,
                    signed,
                    rng.choice(["landlord", "landlord", "caf_msa"]),
                    pstatus,
                    f"{paid_total / 100:.2f}",
                )
            )
        ctx.copy(
            Plan,
            [
                "id",
                "organization_id",
                "case_id",
                "lease_id",
                "household_id",
                "debt_at_signature",
                "monthly_amount",
                "start_month",
                "signed_on",
                "approver",
                "status",
                "paid_total",
            ],
            plan_rows,
            rng=rng,
        )
        i0 = ctx.reserve_ids(Installment, len(inst))
        ctx.copy(
            Installment,
            [
                "id",
                "organization_id",
                "plan_id",
                "number",
                "due_month",
                "amount",
                "paid_amount",
                "status",
            ],
            ((i0 + k, *row) for k, row in enumerate(inst)),
            rng=rng,
        )

    # FSL aids.
    Fsl = m["FslAid"]
    if Fsl is not None and case_info:
        n_fsl = vol["fsl_aids"]
        f0 = ctx.reserve_ids(Fsl, n_fsl)
        rows = []
        for j in range(n_fsl):
            cid, _, hid, _, debt, opened, _ = case_info[j % len(case_info)]
            requested = opened + timedelta(days=rng.randint(10, 90))
            r = rng.random()
            amount = max(50.0, min(debt, 3000.0))
            if requested > as_of - timedelta(days=30) or r < 0.1:
                outcome, decided, granted = "requested", None, None
            elif r < 0.75:
                outcome, decided, granted = "granted", requested + timedelta(days=45), amount * 0.8
            else:
                outcome, decided, granted = "refused", requested + timedelta(days=45), None
            rows.append(
                (
                    f0 + j,
                    org.id,
                    hid,
                    cid,
                    "upkeep",
                    rng.choice(["grant", "loan"]),
                    f"{amount:.2f}",
                    f"{granted:.2f}" if granted else None,
                    min(requested, as_of),
                    outcome,
                    decided,
                    "Commission FSL",
                )
            )
        ctx.copy(
            Fsl,
            [
                "id",
                "organization_id",
                "household_id",
                "case_id",
                "purpose",
                "form",
                "amount_requested",
                "amount_granted",
                "requested_on",
                "outcome",
                "decided_on",
                "decision_body",
            ],
            rows,
            rng=rng,
        )
    st["arrears"] = {"cases": len(case_info)}
    _write_offs_and_relocations(ctx, org, case_info, plans_info)


def _late_draw(position: str, month: str, mix: int) -> str:
    """SQL: a uniform draw in [0, 1) from (lease position, month index): two MINSTD steps over
    a mix of both, in bigint arithmetic that never overflows (`%%`: a parameterised query)."""
    x = f"(({position}::bigint * 7919 + ({month}) * 104729 + {mix}) %% 2147483647)"
    return f"((({x} * 48271 %% 2147483647) * 48271 %% 2147483647)::float8 / 2147483647)"


def _ordinary_statements(
    ctx: Context,
    org: Any,
    Statement: Any,
    leases: list[tuple],
    spans: list[tuple[int, int]],
    cases: dict[int, Any],
    amounts: Any,
    first_id: int,
    months: list[date],
) -> None:
    """The statements of the leases without a case, computed by PostgreSQL. Each month is paid
    in full, except a late month now and then (2 %): nothing paid that month (balance = the net
    rent), twice the net rent the month after (balance back to 0)."""
    rows = []
    base = first_id
    for li, (lid, _, _hid, _start, end, _cost) in enumerate(leases):
        lo, hi = spans[li]
        if li in cases or hi < lo:
            continue
        cost, hb, net = amounts(li)
        rows.append(
            (lid, li, lo, hi, base, f"{cost:.2f}", f"{hb:.2f}", f"{net:.2f}", end is not None)
        )
        base += hi - lo + 1
    with ctx.conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS scale_statement_leases")
        cur.execute(
            "CREATE TEMP TABLE scale_statement_leases (lease_id bigint, position int, lo int, "
            "hi int, base bigint, billed numeric(10, 2), housing_benefit numeric(10, 2), "
            "net numeric(10, 2), ended boolean) ON COMMIT DROP"
        )
        with cur.copy("COPY scale_statement_leases FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
    mix = 1_000_000 + (ctx.seed * 1_000_003 + org.index * 7_777) % 1_000_000_007
    # The draws of the month and of the two before, computed once per row (OFFSET 0 keeps the
    # planner from copying the expressions into every CASE).
    draws = ", ".join(f"{_late_draw('t.position', f'k - {d}', mix)} AS d{d}" for d in (0, 1, 2))
    late = "(g.d0 < 0.02 AND (g.k = t.lo OR g.d1 >= 0.02))"
    paid_back = "(g.k > t.lo AND g.d1 < 0.02 AND (g.k - 1 = t.lo OR g.d2 >= 0.02))"
    # Public ids: deterministic, from the seed, the organisation and the row's position
    # (an md5 per row would cost more than the rest of the row).
    prefix = f"5ca1e000-{ctx.seed % 65536:04x}-4{org.index % 4096:03x}-8000-"
    started = time.monotonic()
    n = ctx.insert_select(
        Statement,
        {
            "id": "t.base + (g.k - t.lo)",
            "organization_id": "%(org)s",
            "lease_id": "t.lease_id",
            "month": "(%(months)s::date[])[g.k + 1]",
            "billed": "t.billed",
            "housing_benefit": "t.housing_benefit",
            "payments": f"CASE WHEN {late} THEN 0 WHEN {paid_back} THEN 2 * t.net ELSE t.net END",
            "balance": f"CASE WHEN {late} THEN t.net ELSE 0 END",
            "tenant_departed": "t.ended AND g.k = t.hi",
        },
        "scale_statement_leases t CROSS JOIN LATERAL "
        f"(SELECT k, {draws} FROM generate_series(t.lo, t.hi) AS k OFFSET 0) g",
        {"org": org.id, "months": months},
        uuid_sql=f"('{prefix}' || lpad(to_hex(t.position::bigint * 4096 + g.k), 12, '0'))::uuid",
    )
    ctx.log(
        f"    statements of {len(rows):,} leases without a case: {n:,} rows in SQL in "
        f"{time.monotonic() - started:.1f} s"
    )
    with ctx.conn.cursor() as cur:
        cur.execute("DROP TABLE scale_statement_leases")


def _write_offs_and_relocations(
    ctx: Context, org: Any, case_info: list[tuple], plans_info: list[tuple]
) -> None:
    """Debt write-offs (over-indebtedness PRP, FSL, landlord decision): one plan in ten is
    carried by a Borloo protocol founded on a PRP write-off of its case (the other basis, a
    judgment terminating the lease, needs procedure steps that are not generated); other cases
    get a write-off too. Relocation requests to a cheaper dwelling for some cases."""
    WriteOff = ctx.model("arrears.DebtWriteOff")
    Borloo = ctx.model("arrears.BorlooProtocol")
    Relocation = ctx.model("arrears.RelocationRequest")
    rng = ctx.rng("arrears", org.slug, "write-offs")
    as_of = ctx.as_of
    if WriteOff is not None and case_info:
        n = ctx.volumes["write_offs"]
        borloo_plans = plans_info[::10] if Borloo is not None else []
        rows = []  # write-offs: first those of the Borloo protocols
        for _pid, cid, lid, hid, signed, debt_c in borloo_plans:
            on = signed - timedelta(days=rng.randint(20, 200))
            rows.append((hid, lid, cid, f"{max(1, debt_c * 0.6) / 100:.2f}", on, "prp"))
        others = case_info[1::7][: max(0, n - len(rows))]
        for cid, lid, hid, _status, debt, opened, _closed in others:
            on = min(as_of - timedelta(days=1), opened + timedelta(days=rng.randint(60, 700)))
            cause = rng.choice(["prp", "prp", "fsl", "landlord_decision"])
            rows.append((hid, lid, cid, f"{max(1.0, debt * 0.8):.2f}", on, cause))
        w0 = ctx.reserve_ids(WriteOff, len(rows))
        ctx.copy(
            WriteOff,
            [
                "id",
                "organization_id",
                "household_id",
                "lease_id",
                "case_id",
                "amount",
                "written_off_on",
                "cause",
            ],
            ((w0 + i, org.id, *row) for i, row in enumerate(rows)),
            rng=rng,
        )
        b_rows = []
        for k, (pid, cid, _lid, _hid, signed, _debt) in enumerate(borloo_plans):
            ends = signed + timedelta(days=730)
            status = (
                "active"
                if ends > as_of
                else rng.choice(["respected", "new_lease_signed", "breached"])
            )
            outcome = ends if status != "active" else None
            b_rows.append(
                (
                    org.id,
                    cid,
                    "debt_write_off",
                    w0 + k,
                    pid,
                    signed,
                    ends,
                    status,
                    outcome,
                    outcome + timedelta(days=90) if status == "respected" else None,
                    outcome + timedelta(days=30) if status == "new_lease_signed" else None,
                )
            )
        b0 = ctx.reserve_ids(Borloo, len(b_rows)) if b_rows else 0
        if b_rows:
            ctx.copy(
                Borloo,
                [
                    "id",
                    "organization_id",
                    "case_id",
                    "basis",
                    "write_off_id",
                    "plan_id",
                    "signed_on",
                    "ends_on",
                    "status",
                    "outcome_on",
                    "new_lease_due_on",
                    "new_lease_signed_on",
                ],
                ((b0 + i, *row) for i, row in enumerate(b_rows)),
                rng=rng,
            )
    if Relocation is not None and case_info:
        n = ctx.volumes["relocation_requests"]
        chosen = case_info[3::11][:n]
        rows = []
        for cid, _lid, hid, _status, _debt, opened, _closed in chosen:
            requested = min(
                as_of - timedelta(days=1), opened + timedelta(days=rng.randint(30, 300))
            )
            r = rng.random()
            relocated = None
            if r < 0.35:
                status = "relocated"
                relocated = min(as_of, requested + timedelta(days=rng.randint(60, 400)))
            elif r < 0.6:
                status = "application_filed"
            elif r < 0.8:
                status = "requested"
            else:
                status = "abandoned"
            rows.append((cid, hid, requested, f"{rng.uniform(350, 650):.2f}", status, relocated))
        r0 = ctx.reserve_ids(Relocation, len(rows))
        ctx.copy(
            Relocation,
            [
                "id",
                "organization_id",
                "case_id",
                "household_id",
                "requested_on",
                "max_monthly_cost",
                "status",
                "relocated_on",
            ],
            ((r0 + i, org.id, *row) for i, row in enumerate(rows)),
            rng=rng,
        )
