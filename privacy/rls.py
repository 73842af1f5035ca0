"""Partner access under mandate, in the database: the partner organisation reads exactly the
households granted to it (and their file), through core_granted_household_ids(permission)
(privacy/migrations/0002_partner_access.py). Reads only: a partner never writes the landlord's
rows (WITH CHECK stays "own organisation"). Collected by core/db.py.policy_condition."""

READ_FILE = "core_granted_household_ids('read_file')"

EXTRA_CONDITIONS = {
    "housing_household": f"id IN (SELECT {READ_FILE})",
    "housing_person": f"household_id IN (SELECT {READ_FILE})",
    "housing_lease": f"household_id IN (SELECT {READ_FILE})",
    "core_timelineevent": f"household_id IN (SELECT {READ_FILE})",
}
