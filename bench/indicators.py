"""4b. The yearly report's indicators vs hand-written SQL (target ≤ 3×).

For every indicator of the registry (`reporting.indicators.registry()`), the indicator's own
selector is called directly — never a snapshot, a cache or `shared_results()` — and timed
against ONE hand-written SQL statement computing the same figure; both values are compared
(a mismatch is a finding: one of the two definitions is wrong). Both run as the application
role under row-level security, in `organization_context` (one transaction each, the
organisation set), the SQL through Django's connection with the explicit organisation filter
the scoped managers add. Median of a few runs after one warm-up; ratio = indicator ÷ SQL.

Prints `bench.indicators.<key>.{ms,sql_ms,ratio,match}`, then the geometric mean and the
worst ratio, the mismatches and the indicators without SQL here (`uncovered`). Also times the
registry's `compute()` of every indicator at once (what a report or a dashboard does, shared
selector results included) against the sum of the SQL statements.

Definitions (docs/indicators.md) are mirrored literally, including the selectors' choices:
"year N" bounds, territory None (the whole organisation), rounding half up to two decimals for
shares (one for the quota targets' achieved shares), the first-quartile thresholds read from
the versioned setting (outside the timing, as a parameter of the SQL).
"""

from __future__ import annotations

import datetime
import json
import math
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bench.common import Figures

TARGET = 3.0
HEAVY_SQL_SECONDS = 0.01

ORG = "organization_id = %(org)s"
CURRENT = "start_date <= %(end)s AND (end_date IS NULL OR end_date > %(end)s)"
IN_YEAR = "BETWEEN %(start)s AND %(end)s"


def _pct(numerator: str, denominator: str, digits: int = 2) -> str:
    """A share in % rounded half up (PostgreSQL's round() of a positive numeric), NULL when
    the denominator is zero — `reporting.indicators.percent`."""
    return f"round(({numerator}) * 100.0 / nullif({denominator}, 0), {digits})"


@dataclass(frozen=True)
class Sql:
    sql: str
    kind: str = "value"  # "value": first column of the first row; "pairs": {key: value} rows


# --- Tenant profile ------------------------------------------------------------------------------

# Tenant households (a lease in force on 31/12) and entrants (a lease starting in the year).
TENANTS = (
    "SELECT h.id AS household_id, h.housing_benefit_kind FROM housing_household h "
    "WHERE h.organization_id = %(org)s AND EXISTS (SELECT 1 FROM housing_lease l "
    "WHERE l.organization_id = %(org)s AND l.household_id = h.id AND l.start_date <= %(end)s "
    "AND (l.end_date IS NULL OR l.end_date > %(end)s))"
)
ENTRANTS = (
    "SELECT h.id AS household_id, h.housing_benefit_kind FROM housing_household h "
    "WHERE h.organization_id = %(org)s AND EXISTS (SELECT 1 FROM housing_lease l "
    f"WHERE l.organization_id = %(org)s AND l.household_id = h.id AND l.start_date {IN_YEAR})"
)
ENTRANT_LEASES = f"SELECT * FROM housing_lease WHERE {ORG} AND start_date {IN_YEAR}"
REFERENCE = (
    "LEFT JOIN (SELECT DISTINCT ON (household_id) household_id, birth_date, employment_status "
    "FROM housing_person WHERE organization_id = %(org)s AND relationship = 'reference' "
    "ORDER BY household_id, id) r ON r.household_id = t.household_id"
)
# Households with a minimum social benefit (RSA, AAH, ASS, ASPA) valid on {on}.
MINIMA = (
    "SELECT DISTINCT p.household_id FROM housing_income i JOIN housing_person p "
    "ON p.id = i.person_id WHERE i.organization_id = %(org)s AND i.kind = ANY(%(minima)s) "
    "AND (i.valid_from IS NULL OR i.valid_from <= {on}) "
    "AND (i.valid_until IS NULL OR i.valid_until >= {on})"
)
SQL: dict[str, Sql] = {
    "tenants.households": Sql(f"SELECT count(*) FROM ({TENANTS}) t"),
    "tenants.entrants": Sql(
        f"SELECT count(DISTINCT household_id) FROM housing_lease WHERE {ORG} AND start_date {IN_YEAR}"
    ),
    "tenants.internal_transfers": Sql(
        f"SELECT count(DISTINCT l.household_id) FROM ({ENTRANT_LEASES}) l WHERE EXISTS ("
        "SELECT 1 FROM housing_lease e WHERE e.organization_id = %(org)s "
        "AND e.household_id = l.household_id AND e.end_reason = 'transfer' "
        "AND e.end_date <= l.start_date AND e.id <> l.id)"
    ),
    "tenants.housing_benefit_share": Sql(
        "SELECT "
        + _pct("count(*) FILTER (WHERE t.housing_benefit_kind <> '')", "count(*)")
        + f" FROM ({TENANTS}) t"
    ),
    "tenants.entrants_housing_benefit_share": Sql(
        "SELECT "
        + _pct("count(*) FILTER (WHERE t.housing_benefit_kind <> '')", "count(*)")
        + f" FROM ({ENTRANTS}) t"
    ),
    "tenants.minima_sociaux_share": Sql(
        "SELECT "
        + _pct("count(m.household_id)", "count(*)")
        + f" FROM ({TENANTS}) t LEFT JOIN ({MINIMA.format(on='%(end)s')}) m "
        "ON m.household_id = t.household_id"
    ),
    # The minima are those valid on each entrant lease's own start date.
    "tenants.entrants_minima_sociaux_share": Sql(
        "SELECT "
        + _pct(
            "count(DISTINCT l.household_id) FILTER (WHERE EXISTS (SELECT 1 FROM housing_income i "
            "JOIN housing_person p ON p.id = i.person_id WHERE i.organization_id = %(org)s "
            "AND p.household_id = l.household_id AND i.kind = ANY(%(minima)s) "
            "AND (i.valid_from IS NULL OR i.valid_from <= l.start_date) "
            "AND (i.valid_until IS NULL OR i.valid_until >= l.start_date)))",
            "count(DISTINCT l.household_id)",
        )
        + f" FROM ({ENTRANT_LEASES}) l"
    ),
    "tenants.composition": Sql(
        "SELECT CASE WHEN members = 0 THEN 'unknown' WHEN members = 1 THEN 'single' "
        "WHEN spouses > 0 AND children = 0 AND members = 2 THEN 'couple' "
        "WHEN spouses > 0 AND children > 0 THEN 'couple_children' "
        "WHEN spouses = 0 AND children > 0 THEN 'single_parent' ELSE 'other' END, count(*) "
        "FROM (SELECT t.household_id, count(p.id) AS members, "
        "count(p.id) FILTER (WHERE p.relationship = 'spouse') AS spouses, "
        "count(p.id) FILTER (WHERE p.relationship = 'child') AS children "
        f"FROM ({TENANTS}) t LEFT JOIN housing_person p ON p.household_id = t.household_id "
        "AND p.organization_id = %(org)s GROUP BY t.household_id) c GROUP BY 1",
        "pairs",
    ),
    "tenants.age_bands": Sql(
        "SELECT CASE WHEN r.birth_date IS NULL THEN 'unknown' "
        "WHEN r.birth_date > (%(end)s::date - interval '25 years') THEN 'under_25' "
        "WHEN r.birth_date > (%(end)s::date - interval '40 years') THEN '25_39' "
        "WHEN r.birth_date > (%(end)s::date - interval '60 years') THEN '40_59' "
        "WHEN r.birth_date > (%(end)s::date - interval '75 years') THEN '60_74' "
        f"ELSE '75_plus' END, count(*) FROM ({TENANTS}) t {REFERENCE} GROUP BY 1",
        "pairs",
    ),
    "tenants.income_bands": Sql(
        "SELECT CASE WHEN coalesce(total, 0) <= 0 THEN 'none' WHEN total < 1000 THEN 'under_1000' "
        "WHEN total < 1500 THEN '1000_1499' WHEN total < 2000 THEN '1500_1999' "
        "WHEN total < 3000 THEN '2000_2999' ELSE '3000_plus' END, count(*) "
        "FROM (SELECT t.household_id, sum(coalesce(i.verified_monthly_amount, "
        "i.declared_monthly_amount)) AS total "
        f"FROM ({TENANTS}) t LEFT JOIN housing_person p ON p.household_id = t.household_id "
        "AND p.organization_id = %(org)s LEFT JOIN housing_income i ON i.person_id = p.id "
        "AND i.organization_id = %(org)s AND (i.valid_from IS NULL OR i.valid_from <= %(end)s) "
        "AND (i.valid_until IS NULL OR i.valid_until >= %(end)s) GROUP BY t.household_id) s "
        "GROUP BY 1",
        "pairs",
    ),
    "tenants.employment": Sql(
        "SELECT coalesce(r.employment_status, 'unknown'), count(*) "
        f"FROM ({TENANTS}) t {REFERENCE} GROUP BY 1",
        "pairs",
    ),
}

# --- Commissions ---------------------------------------------------------------------------------

HELD = "s.status IN ('held', 'decisions_recorded', 'minutes_signed')"
SESSION_YEAR = "s.scheduled_at >= %(start_ts)s AND s.scheduled_at < %(next_ts)s"
OFFERS_NOTIFIED = f"SELECT * FROM allocations_offer WHERE {ORG} AND notified_on {IN_YEAR}"
SIGNED = f"{ORG} AND status = 'lease_signed' AND lease_signed_on {IN_YEAR}"
TRANSFER_OFFERS = (
    f"SELECT o.status FROM ({OFFERS_NOTIFIED}) o JOIN allocations_housingapplication a "
    "ON a.id = o.application_id WHERE a.kind = 'transfer'"
)
CANDIDACIES_HELD = (
    "FROM allocations_candidacy c JOIN allocations_sessiondwelling sd ON sd.id = c.session_dwelling_id "
    "JOIN allocations_commissionsession s ON s.id = sd.session_id "
    f"WHERE c.organization_id = %(org)s AND {HELD} AND {SESSION_YEAR}"
)

SQL |= {
    "commissions.sessions_held": Sql(
        f"SELECT count(*) FROM allocations_commissionsession s WHERE s.organization_id = %(org)s "
        f"AND {HELD} AND {SESSION_YEAR}"
    ),
    "commissions.files_presented": Sql(f"SELECT count(*) {CANDIDACIES_HELD}"),
    "commissions.files_presented_by_territory": Sql(
        "SELECT t.name, count(*) FROM allocations_candidacy c "
        "JOIN allocations_sessiondwelling sd ON sd.id = c.session_dwelling_id "
        "JOIN allocations_commissionsession s ON s.id = sd.session_id "
        "JOIN allocations_commission cm ON cm.id = s.commission_id "
        "LEFT JOIN organizations_territory t ON t.id = cm.territory_id "
        f"WHERE c.organization_id = %(org)s AND {HELD} AND {SESSION_YEAR} GROUP BY t.name",
        "pairs",
    ),
    "commissions.decisions_by_type": Sql(
        "SELECT kind, count(*) FROM allocations_decision "
        f"WHERE {ORG} AND decided_on {IN_YEAR} GROUP BY kind",
        "pairs",
    ),
    "commissions.offers": Sql(f"SELECT count(*) FROM ({OFFERS_NOTIFIED}) o"),
    "commissions.refusals": Sql(
        f"SELECT count(*) FROM ({OFFERS_NOTIFIED}) o WHERE o.status = 'refused'"
    ),
    "commissions.refusals_by_reason": Sql(
        "SELECT coalesce(nullif(o.refusal_reason, ''), 'non précisé'), count(*) "
        f"FROM ({OFFERS_NOTIFIED}) o WHERE o.status = 'refused' GROUP BY 1",
        "pairs",
    ),
    "commissions.attributions": Sql(f"SELECT count(*) FROM allocations_offer WHERE {SIGNED}"),
    "commissions.attribution_mean_delay": Sql(
        "SELECT round(avg(o.lease_signed_on - a.filed_on), 1) FROM allocations_offer o "
        "JOIN allocations_housingapplication a ON a.id = o.application_id "
        "WHERE o.organization_id = %(org)s AND o.status = 'lease_signed' "
        f"AND o.lease_signed_on {IN_YEAR}"
    ),
    "commissions.transfer_requests": Sql(
        "SELECT count(*) FROM allocations_housingapplication "
        f"WHERE {ORG} AND kind = 'transfer' AND filed_on {IN_YEAR}"
    ),
    "commissions.transfer_offers": Sql(f"SELECT count(*) FROM ({TRANSFER_OFFERS}) x"),
    "commissions.transfer_refusals": Sql(
        f"SELECT count(*) FROM ({TRANSFER_OFFERS}) x WHERE x.status = 'refused'"
    ),
    "commissions.transfer_moves": Sql(
        f"SELECT count(*) FROM ({TRANSFER_OFFERS}) x WHERE x.status = 'lease_signed'"
    ),
}

# --- Operations: leasing activity, relocations, collective actions -------------------------------

RELOCATION_HOUSEHOLDS = (
    "SELECT h.* FROM operations_relocationhousehold h JOIN operations_relocationoperation o "
    "ON o.id = h.operation_id WHERE h.organization_id = %(org)s AND o.starts_on <= %(end)s"
)
POSITIONINGS = (
    "SELECT p.* FROM operations_relocationpositioning p WHERE p.organization_id = %(org)s "
    f"AND p.positioned_on <= %(end)s AND p.relocation_household_id IN "
    f"(SELECT id FROM ({RELOCATION_HOUSEHOLDS}) h)"
)
ACTIONS = f"SELECT * FROM operations_collectiveaction WHERE {ORG} AND starts_on {IN_YEAR}"

SQL |= {
    "operations.prospections": Sql(
        f"SELECT count(*) FROM operations_prospection WHERE {ORG} AND contacted_on {IN_YEAR}"
    ),
    "operations.prospections_by_outcome": Sql(
        "SELECT outcome, count(*) FROM operations_prospection "
        f"WHERE {ORG} AND contacted_on {IN_YEAR} GROUP BY outcome",
        "pairs",
    ),
    "operations.applications_registered_by_landlord": Sql(
        "SELECT count(*) FROM allocations_housingapplication "
        f"WHERE {ORG} AND filed_on {IN_YEAR} AND registration_desk = 'landlord'"
    ),
    "operations.applications_by_desk": Sql(
        "SELECT registration_desk, count(*) FROM allocations_housingapplication "
        f"WHERE {ORG} AND filed_on {IN_YEAR} GROUP BY 1",
        "pairs",
    ),
    "operations.register_active_demands": Sql(
        "SELECT sum(active_demands) FROM (SELECT DISTINCT ON (territory_id) active_demands "
        f'FROM operations_registerstatistic WHERE {ORG} AND "on" {IN_YEAR} '
        'ORDER BY territory_id, "on" DESC) s'
    ),
    "operations.relocation_dwellings_mobilised": Sql(
        "SELECT count(DISTINCT d.dwelling_id) FROM operations_relocationdwelling d "
        "JOIN operations_relocationoperation o ON o.id = d.operation_id "
        "WHERE d.organization_id = %(org)s AND o.starts_on <= %(end)s AND d.role = 'mobilised'"
    ),
    "operations.relocation_households_concerned": Sql(
        f"SELECT count(*) FROM ({RELOCATION_HOUSEHOLDS}) h"
    ),
    "operations.relocation_agreements_signed": Sql(
        f"SELECT count(*) FROM ({RELOCATION_HOUSEHOLDS}) h WHERE h.agreement_signed_on <= %(end)s"
    ),
    "operations.relocation_positioned": Sql(
        f"SELECT count(DISTINCT p.relocation_household_id) FROM ({POSITIONINGS}) p"
    ),
    "operations.relocation_refusals": Sql(
        f"SELECT count(DISTINCT p.offer_id) FROM ({POSITIONINGS}) p "
        "JOIN allocations_offer o ON o.id = p.offer_id WHERE o.status = 'refused'"
    ),
    "operations.relocation_rehoused": Sql(
        f"SELECT count(*) FROM ({RELOCATION_HOUSEHOLDS}) h WHERE h.rehoused_on {IN_YEAR}"
    ),
    "operations.relocation_transfers": Sql(
        f"SELECT count(*) FROM ({RELOCATION_HOUSEHOLDS}) h "
        f"WHERE h.rehoused_on {IN_YEAR} AND h.is_transfer"
    ),
    "operations.relocation_accompanied": Sql(
        f"SELECT count(*) FROM ({RELOCATION_HOUSEHOLDS}) h "
        "WHERE h.social_case_id IS NOT NULL AND h.status <> 'withdrawn'"
    ),
    "operations.collective_actions_by_kind": Sql(
        f"SELECT kind, count(*) FROM ({ACTIONS}) a GROUP BY kind", "pairs"
    ),
    "operations.collective_action_sessions": Sql(
        f"SELECT coalesce(sum(sessions), 0) FROM ({ACTIONS}) a"
    ),
    "operations.collective_action_participants": Sql(
        f"SELECT coalesce(sum(participants), 0) FROM ({ACTIONS}) a"
    ),
    "operations.collective_action_households": Sql(
        f"SELECT coalesce(sum(households_reached), 0) FROM ({ACTIONS}) a"
    ),
    "operations.back_to_work": Sql(f"SELECT coalesce(sum(back_to_work), 0) FROM ({ACTIONS}) a"),
    "operations.collective_action_funding": Sql(
        "SELECT coalesce(sum(f.amount), 0) FROM operations_actionfunding f "
        f"WHERE f.organization_id = %(org)s AND f.action_id IN (SELECT id FROM ({ACTIONS}) a)"
    ),
    "operations.collective_action_cost": Sql(f"SELECT coalesce(sum(cost), 0) FROM ({ACTIONS}) a"),
    "operations.insertion_hours_achieved": Sql(
        "SELECT coalesce(sum(achieved_hours), 0) FROM operations_insertionclause "
        f"WHERE {ORG} AND year = %(year)s"
    ),
    "operations.insertion_hours_required": Sql(
        "SELECT coalesce(sum(required_hours), 0) FROM operations_insertionclause "
        f"WHERE {ORG} AND year = %(year)s"
    ),
}

# --- Priority publics (quotas) -------------------------------------------------------------------

ATTRIBUTIONS = (
    "SELECT o.id, o.application_id, EXISTS (SELECT 1 FROM allocations_applicationpriority p "
    "WHERE p.organization_id = %(org)s AND p.application_id = o.application_id "
    "AND p.criterion = 'dalo') AS dalo, EXISTS (SELECT 1 FROM allocations_applicationpriority p "
    "WHERE p.organization_id = %(org)s AND p.application_id = o.application_id "
    "AND p.criterion = 'emergency_accommodation') AS shelter, EXISTS (SELECT 1 FROM "
    "allocations_applicationpriority p WHERE p.organization_id = %(org)s "
    "AND p.application_id = o.application_id) AS priority "
    f"FROM allocations_offer o WHERE o.{ORG} AND o.status = 'lease_signed' "
    f"AND o.lease_signed_on {IN_YEAR}"
)


def _targets_met_sql() -> str:
    """% of the year's quota targets at status "met" (quotas.selectors.evaluate), in one
    statement: the attributions up to `on` with what decides each category, then each target's
    numerator and denominator over its territory's attributions."""
    try:
        from quotas.enums import CRITERION_OF
    except ImportError:  # the quotas app is not installed
        CRITERION_OF = {}
    by_criterion = " ".join(
        f"WHEN '{category}' THEN '{criterion}' = ANY(a.criteria)"
        for category, criterion in CRITERION_OF.items()
    )
    criteria_categories = ", ".join(f"'{c}'" for c in CRITERION_OF) or "''"
    on_flow = (
        "(CASE WHEN t.partner_id IS NULL THEN a.flow = 'landlord' "
        "ELSE a.flow = 'reservataire' AND a.reserving_partner_id = t.partner_id END)"
    )
    denominator = (
        f"CASE WHEN t.category IN ({criteria_categories}, 'collective_agreement', 'prefet_share') "
        "THEN true WHEN t.category = 'first_quartile_outside_qpv' THEN NOT a.is_qpv "
        "WHEN t.category = 'non_first_quartile_in_qpv' THEN a.is_qpv "
        f"WHEN t.category = 'priority_per_reservataire' THEN {on_flow} ELSE false END"
    )
    numerator = (
        f"CASE t.category {by_criterion} "
        "WHEN 'collective_agreement' THEN t.programme = ANY(a.programmes) "
        "WHEN 'first_quartile_outside_qpv' THEN NOT a.is_qpv AND a.first_quartile IS TRUE "
        "WHEN 'non_first_quartile_in_qpv' THEN a.is_qpv AND a.first_quartile IS FALSE "
        f"WHEN 'priority_per_reservataire' THEN {on_flow} AND cardinality(a.criteria) > 0 "
        "WHEN 'prefet_share' THEN a.flow = 'reservataire' AND a.partner_kind = 'prefecture' "
        "ELSE false END"
    )
    return (
        "WITH att AS (SELECT true AS present, r.territory_id, r.is_qpv, sd.flow, sd.reserving_partner_id, "
        "pa.kind AS partner_kind, "
        "coalesce((SELECT array_agg(p.criterion) FROM allocations_applicationpriority p "
        "WHERE p.organization_id = %(org)s AND p.application_id = o.application_id), '{}') "
        "AS criteria, "
        "coalesce((SELECT array_agg(l.programme) FROM quotas_programmelabel l "
        "WHERE l.organization_id = %(org)s AND l.application_id = o.application_id), '{}') "
        "AS programmes, "
        "round(coalesce(a.verified_annual_income, a.declared_annual_income) "
        "/ (1 + 0.5 * (greatest(a.adults, 1) - 1) + 0.3 * a.children), 2) "
        "< coalesce(%(thresholds)s::jsonb ->> nullif(r.epci_code, ''), "
        "%(thresholds)s::jsonb ->> nullif(a.epci_code, ''), "
        "%(thresholds)s::jsonb ->> 'default')::numeric AS first_quartile "
        "FROM allocations_offer o "
        "JOIN allocations_sessiondwelling sd ON sd.id = o.session_dwelling_id "
        "JOIN housing_dwelling d ON d.id = sd.dwelling_id "
        "JOIN housing_residence r ON r.id = d.residence_id "
        "JOIN allocations_housingapplication a ON a.id = o.application_id "
        "LEFT JOIN housing_partner pa ON pa.id = sd.reserving_partner_id "
        "WHERE o.organization_id = %(org)s AND o.status = 'lease_signed' "
        "AND o.lease_signed_on BETWEEN %(start)s AND %(on)s), "
        "counted AS (SELECT t.kind, t.direction, t.value, "
        f"count(*) FILTER (WHERE a.present AND ({denominator})) AS den, "
        f"count(*) FILTER (WHERE a.present AND ({numerator})) AS num "
        "FROM quotas_quotatarget t LEFT JOIN att a ON a.territory_id = t.territory_id "
        "WHERE t.organization_id = %(org)s AND t.year = %(year)s "
        "GROUP BY t.id, t.kind, t.direction, t.value) "
        "SELECT "
        + _pct(
            "count(*) FILTER (WHERE CASE WHEN kind = 'count' THEN direction = 'at_least' "
            "AND num >= value WHEN den = 0 THEN false WHEN direction = 'at_least' "
            "THEN round(num * 100.0 / den, 1) >= value "
            "ELSE round(num * 100.0 / den, 1) <= value END)",
            "count(*)",
        )
        + " FROM counted"
    )


SQL |= {
    "quotas.dalo_attributions": Sql(f"SELECT count(*) FILTER (WHERE dalo) FROM ({ATTRIBUTIONS}) a"),
    "quotas.dalo_share": Sql(
        "SELECT " + _pct("count(*) FILTER (WHERE dalo)", "count(*)") + f" FROM ({ATTRIBUTIONS}) a"
    ),
    "quotas.shelter_leaver_attributions": Sql(
        f"SELECT count(*) FILTER (WHERE shelter) FROM ({ATTRIBUTIONS}) a"
    ),
    "quotas.priority_share": Sql(
        "SELECT "
        + _pct("count(*) FILTER (WHERE priority)", "count(*)")
        + f" FROM ({ATTRIBUTIONS}) a"
    ),
    "quotas.targets_met": Sql(_targets_met_sql()),
}

# --- Social action -------------------------------------------------------------------------------

SOCIAL_INTERVENTIONS = (
    f"SELECT * FROM cases_intervention WHERE {ORG} AND occurred_on {IN_YEAR} AND service = 'social'"
)
RUNNING_CASES = (
    f"SELECT * FROM cases_socialcase WHERE {ORG} AND opened_on <= %(end)s "
    "AND (closed_on IS NULL OR closed_on >= %(start)s)"
)
STUDIED = f"SELECT * FROM cases_adaptationrequest WHERE {ORG} AND studied_on {IN_YEAR}"
DELIVERED = (
    f"SELECT * FROM cases_adaptationrequest WHERE {ORG} AND status = 'delivered' "
    f"AND delivered_on {IN_YEAR}"
)

SQL |= {
    "social.interventions": Sql(f"SELECT count(*) FROM ({SOCIAL_INTERVENTIONS}) i"),
    "social.interventions_by_kind": Sql(
        f"SELECT kind, count(*) FROM ({SOCIAL_INTERVENTIONS}) i GROUP BY kind", "pairs"
    ),
    "social.evaluations": Sql(
        f"SELECT count(*) FROM cases_evaluation WHERE {ORG} AND evaluated_on {IN_YEAR}"
    ),
    "social.households_accompanied": Sql(
        f"SELECT count(DISTINCT household_id) FROM ({RUNNING_CASES}) c"
    ),
    "social.accompaniments_by_motive": Sql(
        f"SELECT m, count(DISTINCT c.household_id) FROM ({RUNNING_CASES}) c, "
        "unnest(c.motives) m GROUP BY m",
        "pairs",
    ),
    "social.home_visit_rate": Sql(
        "SELECT "
        + _pct("count(v.household_id)", "count(*)")
        + f" FROM (SELECT DISTINCT household_id FROM housing_lease WHERE {ORG} "
        "AND start_date <= %(end)s AND (end_date IS NULL OR end_date >= %(start)s)) t "
        "LEFT JOIN (SELECT DISTINCT household_id FROM cases_intervention "
        f"WHERE {ORG} AND kind = 'home_visit' AND occurred_on {IN_YEAR}) v "
        "ON v.household_id = t.household_id"
    ),
    "social.campaign_households_contacted": Sql(
        "SELECT count(*) FROM cases_campaigntarget t JOIN cases_outreachcampaign c "
        "ON c.id = t.campaign_id WHERE t.organization_id = %(org)s "
        f"AND c.starts_on {IN_YEAR} AND t.attempts > 0"
    ),
    "social.adaptation_requests": Sql(
        f"SELECT count(*) FROM cases_adaptationrequest WHERE {ORG} AND requested_on {IN_YEAR}"
    ),
    "social.adaptations_studied": Sql(f"SELECT count(*) FROM ({STUDIED}) r"),
    "social.adaptations_approved": Sql(
        f"SELECT count(*) FROM ({STUDIED}) r WHERE r.status IN ('approved', 'in_works', 'delivered')"
    ),
    "social.adaptation_amount": Sql(f"SELECT coalesce(sum(final_cost), 0) FROM ({DELIVERED}) r"),
    "social.adaptation_cofunded_amount": Sql(
        "SELECT coalesce(sum(f.amount), 0) FROM cases_adaptationfunding f "
        f"WHERE f.organization_id = %(org)s AND f.request_id IN (SELECT id FROM ({DELIVERED}) r)"
    ),
    "social.programme_households": Sql(
        "SELECT p.name || ' (objectif ' || (p.target_access + p.target_staying) || ')', "
        "count(e.id) FILTER (WHERE e.status IN ('accepted', 'ended') "
        "AND e.kind IN ('access', 'staying')) FROM cases_supportprogramme p "
        "LEFT JOIN cases_programmeenrolment e ON e.programme_id = p.id "
        "AND e.organization_id = %(org)s WHERE p.organization_id = %(org)s "
        "AND p.starts_on <= %(end)s AND (p.ends_on IS NULL OR p.ends_on >= %(start)s) "
        "GROUP BY p.id ORDER BY p.starts_on, p.id",
        "pairs",
    ),
}

# --- Arrears -------------------------------------------------------------------------------------

STATEMENTS = f"FROM arrears_accountstatement WHERE {ORG} AND month {IN_YEAR}"
# Each lease's last statement of the year, found by walking (organization, lease, -month).
LAST_STATEMENTS = (
    "FROM housing_lease l CROSS JOIN LATERAL (SELECT a.balance, a.billed, a.housing_benefit, "
    "a.tenant_departed FROM arrears_accountstatement a WHERE a.organization_id = %(org)s "
    f"AND a.lease_id = l.id AND a.month {IN_YEAR} ORDER BY a.month DESC LIMIT 1) s "
    "WHERE l.organization_id = %(org)s"
)
ARREARS_INTERVENTIONS = (
    f"SELECT kind FROM cases_intervention WHERE {ORG} AND service = 'arrears' "
    f"AND occurred_on {IN_YEAR}"
)
PLANS = (
    f"SELECT * FROM arrears_repaymentplan WHERE {ORG} AND signed_on {IN_YEAR} "
    "AND previous_id IS NULL"
)

SQL |= {
    "arrears.rate": Sql(
        "SELECT "
        + _pct(
            f"(SELECT coalesce(sum(s.balance) FILTER (WHERE s.balance > 0), 0) {LAST_STATEMENTS})",
            f"(SELECT sum(billed) {STATEMENTS})",
        )
    ),
    "arrears.unpaid": Sql(
        f"SELECT coalesce(sum(s.balance) FILTER (WHERE s.balance > 0), 0) {LAST_STATEMENTS}"
    ),
    "arrears.three_months_unpaid_rate": Sql(
        "SELECT "
        + _pct(
            "(SELECT count(*) FILTER (WHERE NOT s.tenant_departed "
            "AND (l.end_date IS NULL OR l.end_date >= %(end)s) "
            "AND s.billed - s.housing_benefit > 0 "
            f"AND s.balance >= 3 * (s.billed - s.housing_benefit)) {LAST_STATEMENTS})",
            f"(SELECT count(DISTINCT dwelling_id) FROM housing_lease WHERE {ORG} "
            "AND start_date <= %(end)s AND (end_date IS NULL OR end_date >= %(end)s))",
        )
    ),
    "arrears.plans_signed": Sql(f"SELECT count(*) FROM ({PLANS}) p"),
    "arrears.borloo_protocols": Sql(
        f"SELECT count(*) FROM ({PLANS}) p WHERE EXISTS (SELECT 1 FROM arrears_borlooprotocol b "
        "WHERE b.organization_id = %(org)s AND b.plan_id = p.id)"
    ),
    "arrears.fsl_families": Sql(
        f"SELECT count(DISTINCT household_id) FROM arrears_fslaid WHERE {ORG} "
        f"AND outcome = 'granted' AND decided_on {IN_YEAR}"
    ),
    "arrears.fsl_amount": Sql(
        f"SELECT coalesce(sum(amount_granted), 0) FROM arrears_fslaid WHERE {ORG} "
        f"AND outcome = 'granted' AND decided_on {IN_YEAR}"
    ),
    "arrears.write_off_families": Sql(
        f"SELECT count(DISTINCT household_id) FROM arrears_debtwriteoff WHERE {ORG} "
        f"AND written_off_on {IN_YEAR}"
    ),
    "arrears.write_off_amount": Sql(
        f"SELECT coalesce(sum(amount), 0) FROM arrears_debtwriteoff WHERE {ORG} "
        f"AND written_off_on {IN_YEAR}"
    ),
    "arrears.relocations": Sql(
        f"SELECT count(*) FROM arrears_relocationrequest WHERE {ORG} AND status = 'relocated' "
        f"AND relocated_on {IN_YEAR}"
    ),
    "arrears.calls": Sql(
        f"SELECT count(*) FROM ({ARREARS_INTERVENTIONS}) i WHERE kind IN ('phone_in', 'phone_out')"
    ),
    "arrears.meetings": Sql(
        f"SELECT count(*) FROM ({ARREARS_INTERVENTIONS}) i "
        "WHERE kind IN ('office_interview', 'home_visit')"
    ),
}

# --- Stock ---------------------------------------------------------------------------------------

ASSOCIATIVE_CURRENT = (
    f"SELECT * FROM housing_lease WHERE {ORG} AND {CURRENT} AND kind IN ('sublet', 'sliding')"
)

SQL |= {
    "stock.dwellings": Sql(f"SELECT count(*) FROM housing_dwelling WHERE {ORG}"),
    "stock.qpv_share": Sql(
        "SELECT "
        + _pct("count(*) FILTER (WHERE r.is_qpv)", "count(*)")
        + " FROM housing_dwelling d JOIN housing_residence r ON r.id = d.residence_id "
        "WHERE d.organization_id = %(org)s"
    ),
    "stock.by_typology": Sql(
        f"SELECT typology, count(*) FROM housing_dwelling WHERE {ORG} GROUP BY 1", "pairs"
    ),
    "stock.by_financing": Sql(
        f"SELECT financing, count(*) FROM housing_dwelling WHERE {ORG} GROUP BY 1", "pairs"
    ),
    "stock.associative_dwellings": Sql(
        f"SELECT count(DISTINCT dwelling_id) FROM ({ASSOCIATIVE_CURRENT}) l"
    ),
    "stock.sliding_leases": Sql(
        f"SELECT count(*) FROM housing_lease WHERE {ORG} AND {CURRENT} AND kind = 'sliding' "
        "AND slide_date IS NULL"
    ),
    "stock.slides": Sql(
        f"SELECT count(*) FROM housing_lease WHERE {ORG} AND kind = 'sliding' "
        f"AND slide_date {IN_YEAR}"
    ),
    "stock.partner_associations": Sql(
        f"SELECT count(DISTINCT lessee_partner_id) FROM ({ASSOCIATIVE_CURRENT}) l "
        "WHERE lessee_partner_id IS NOT NULL"
    ),
}


# --- Comparing and timing ------------------------------------------------------------------------


def normalize(value: Any) -> Any:
    """A comparable form of a figure: numbers as Decimal, breakdowns as {key: value} without
    the zero rows (the selectors list every category, GROUP BY only those present)."""
    if isinstance(value, list) and all(isinstance(r, dict) and "key" in r for r in value):
        value = {r["key"]: r["value"] for r in value}
    if isinstance(value, dict):
        return {str(k): normalize(v) for k, v in value.items() if v}
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    return value


def params_for(organization: Any, year: int) -> dict[str, Any]:
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.utils import timezone

    tz = ZoneInfo(settings.TIME_ZONE)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    params: dict[str, Any] = {
        "org": organization.pk,
        "year": year,
        "start": start,
        "end": end,
        "start_ts": datetime.datetime(year, 1, 1, tzinfo=tz),
        "next_ts": datetime.datetime(year + 1, 1, 1, tzinfo=tz),
        # As quotas.indicators.targets_met: the attributions up to today in the current year.
        "on": min(timezone.localdate(), end),
        "minima": [],
        "thresholds": "{}",
    }
    try:
        from housing.enums import MINIMA_SOCIAUX

        params["minima"] = sorted(str(k) for k in MINIMA_SOCIAUX)
    except ImportError:
        pass
    try:
        from core.context import organization_context
        from core.parameters import get_parameter

        with organization_context(organization):
            params["thresholds"] = json.dumps(
                get_parameter(
                    "allocations.first_quartile_thresholds", organization=organization, on=end
                ),
                default=str,
            )
    except Exception:  # noqa: S110 - no quotas/allocations parameter: targets_met is compared as is
        pass
    return params


def run_sql(spec: Sql, params: dict[str, Any]) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(spec.sql, params)
        rows = cursor.fetchall()
    if spec.kind == "pairs":
        return dict(rows)
    return rows[0][0] if rows else None


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median seconds of `repeat` runs after a warm-up (fewer runs when one takes seconds)."""
    started = time.perf_counter()
    value = function()
    first = time.perf_counter() - started
    if first > 5:
        repeat = 1
    elif first > 1:
        repeat = min(repeat, 3)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def report_year(as_of: datetime.date) -> int:
    """The year of the yearly report benchmark (bench/report.py)."""
    return as_of.year - (1 if as_of.month < 12 else 0)


def run(figures: Figures, ctx: dict[str, Any]) -> dict[str, Any]:
    """Returns {"values": {key: value}, "ratios": {...}, "mismatches": {key: (indicator, sql)},
    "uncovered": [...], "errors": {...}}."""
    try:
        from reporting.indicators import compute, registry
    except ImportError as error:
        figures.missing("indicators", f"reporting.indicators not there: {error}")
        return {}
    from core.context import organization_context

    organization = ctx["organization"]
    year = ctx.get("year") or report_year(ctx["as_of"])
    repeat = int(os.environ.get("BENCH_INDICATORS_REPEAT", "5"))
    params = params_for(organization, year)
    indicators = registry()
    figures.put("indicators.year", year)
    ratios: dict[str, float] = {}
    sql_times: dict[str, float] = {}
    values: dict[str, Any] = {}
    mismatches: dict[str, tuple[Any, Any]] = {}
    errors: dict[str, str] = {}
    uncovered = [key for key in indicators if key not in SQL]
    sql_total = 0.0
    for key, indicator in indicators.items():
        spec = SQL.get(key)
        if spec is None:
            continue

        def own(indicator: Any = indicator) -> Any:
            with organization_context(organization):
                return indicator.selector(organization=organization, year=year, territory=None)

        def hand(spec: Sql = spec) -> Any:
            with organization_context(organization):
                return run_sql(spec, params)

        try:
            seconds, value = timed(own, repeat)
            sql_seconds, sql_value = timed(hand, repeat)
        except Exception as error:  # one broken indicator or statement: reported, others go on
            errors[key] = f"{type(error).__name__}: {error}".splitlines()[0][:200]
            figures.missing(f"indicators.{key}", errors[key])
            continue
        sql_total += sql_seconds
        sql_times[key] = sql_seconds
        values[key] = normalize(value)
        ratio = seconds / sql_seconds if sql_seconds > 0 else float("nan")
        ratios[key] = ratio
        match = normalize(value) == normalize(sql_value)
        figures.put(f"indicators.{key}.ms", seconds * 1000)
        figures.put(f"indicators.{key}.sql_ms", sql_seconds * 1000)
        figures.put(f"indicators.{key}.ratio", ratio)
        figures.put(f"indicators.{key}.match", int(match))
        if not match:
            mismatches[key] = (normalize(value), normalize(sql_value))
            print(f"# indicators: {key} differs: indicator {value!r} vs SQL {sql_value!r}")

    # The registry's computation of them all at once (shared selector results, as a report).
    with organization_context(organization):
        started = time.perf_counter()
        compute([k for k in indicators if k in ratios], organization=organization, year=year)
        all_seconds = time.perf_counter() - started
    figures.put("indicators.all_ms", all_seconds * 1000)
    figures.put("indicators.all_sql_ms", sql_total * 1000)
    if sql_total > 0:
        figures.put("indicators.all_ratio", all_seconds / sql_total)

    valid = [r for r in ratios.values() if r > 0 and not math.isnan(r)]
    figures.put("indicators.covered", len(ratios))
    figures.put("indicators.uncovered", len(uncovered))
    if uncovered:
        print("# indicators without SQL here: " + ", ".join(uncovered))
    stale = sorted(set(SQL) - set(indicators))
    if stale:
        print("# SQL here for indicators no longer registered: " + ", ".join(stale))
    figures.put("indicators.mismatches", len(mismatches))
    if mismatches:
        figures.put("indicators.mismatched", ",".join(sorted(mismatches)))
    if valid:
        worst = max(ratios, key=lambda k: ratios[k])
        figures.put("indicators.ratio_geomean", geomean(valid))
        figures.put("indicators.ratio_max", ratios[worst])
        figures.put("indicators.ratio_worst", worst)
        figures.put("indicators.within_target", sum(1 for r in valid if r <= TARGET))
        figures.put("indicators.target", TARGET)
        # Where the database does real work (the SQL takes 10 ms or more), apart from the
        # figures whose indicator cost is mostly Python and ORM overhead.
        heavy = [r for k, r in ratios.items() if sql_times[k] >= HEAVY_SQL_SECONDS and r > 0]
        figures.put("indicators.heavy_count", len(heavy))
        if heavy:
            figures.put("indicators.heavy_ratio_geomean", geomean(heavy))
            figures.put("indicators.heavy_ratio_max", max(heavy))
    return {
        "values": values,
        "ratios": ratios,
        "mismatches": mismatches,
        "uncovered": uncovered,
        "errors": errors,
    }
