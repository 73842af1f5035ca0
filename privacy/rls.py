"""Partner access under mandate, in the database. Collected by core/db.py (`wanted_policies`).

Reads (`FOR SELECT` policies): the partner organisation reads exactly the households granted to
it and their file (`read_file`: members, leases with their dwelling and residence, timeline);
the social follow-up of those households — accompaniments,
evaluations, interventions, with their notes — only with `read_notes`; the interventions its
own staff logged under a grant while the household is still granted to it; the access-log
events of its own staff (core.AccessEvent.rls_extra_condition).

Inserts (`FOR INSERT` policies): under a grant with `log_interventions`, an intervention in the
landlord's file — with a note only under `write_notes`, never attached to one of the
landlord's accompaniments or campaigns — and its timeline event; the access-log event of a
read by its staff, in the landlord's log.

Nothing here admits an UPDATE or a DELETE: those commands only have the organisation policy,
so a partner can never change, move or remove a row of the landlord, even one it may read.
Functions: privacy migrations 0002, 0003 (parallel safe: 0004) and 0005.
"""

from __future__ import annotations


def granted(permission: str, column: str = "household_id") -> str:
    # The set-returning function in FROM (not in the select list) and PARALLEL SAFE (migration
    # 0004): the policy then leaves the planner free to scan in parallel.
    return f"{column} IN (SELECT g FROM core_granted_household_ids('{permission}') AS g)"


READ_FILE = granted("read_file")
READ_NOTES = granted("read_notes")
CURRENT = "core_current_organization_id()"

EXTRA_CONDITIONS = {
    "housing_household": granted("read_file", "id"),
    "housing_person": READ_FILE,
    "housing_lease": READ_FILE,
    "core_timelineevent": READ_FILE,
    # The dwelling and residence of a granted household's leases (its address, its references),
    # through set-returning functions (privacy migration 0005) the planner does not cost as a
    # subquery on every index probe.
    "housing_dwelling": "id IN (SELECT g FROM core_granted_dwelling_ids('read_file') AS g)",
    "housing_residence": "id IN (SELECT g FROM core_granted_residence_ids('read_file') AS g)",
    "cases_socialcase": READ_NOTES,
    "cases_evaluation": READ_NOTES,
    "cases_intervention": (
        f"({READ_NOTES}) OR (mandate_id IS NOT NULL AND {READ_FILE} AND mandate_id IN "
        "(SELECT g FROM core_partner_grant_ids() AS g))"
    ),
}

EXTRA_INSERT_CONDITIONS = {
    "cases_intervention": (
        "mandate_id IS NOT NULL AND social_case_id IS NULL AND campaign_target_id IS NULL"
        " AND author_id = core_current_user_id()"
        " AND core_partner_grant_allows(mandate_id, organization_id, household_id, 'log_interventions')"
        " AND (note = '' OR core_partner_grant_allows("
        "mandate_id, organization_id, household_id, 'write_notes'))"
    ),
    "core_timelineevent": (
        "actor_id = core_current_user_id()"
        " AND core_partner_may_write(organization_id, household_id, 'log_interventions')"
    ),
    "core_accessevent": (
        f"acting_organization_id = {CURRENT} AND user_id = core_current_user_id()"
        " AND organization_id IN (SELECT core_partner_landlord_ids())"
    ),
}
