"""The dwellings and residences of the households granted to the organisation in context, and
the grants made to it, as set-returning functions (like core_granted_household_ids). Written as subqueries over the
leases in the read policies, they had a startup cost the planner charged to every index probe:
every join to housing_dwelling became a sequential scan of all organisations' dwellings (10 to
20 ms at size M on the commission session, the arrears dashboard, the leases list…;
docs/performance.md). An organisation that was granted nothing gets an empty set at once."""

from django.db import migrations

from core.db import postgresql_only

FORWARD = r"""
CREATE OR REPLACE FUNCTION core_granted_dwelling_ids(permission text) RETURNS SETOF bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    households bigint[] := ARRAY(SELECT g FROM core_granted_household_ids(permission) AS g);
BEGIN
    IF cardinality(households) = 0 THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT DISTINCT l.dwelling_id FROM housing_lease l WHERE l.household_id = ANY (households);
END
$$;

-- plpgsql: its body is checked when called (core_current_organization_id() is created after
-- the migrations, by core/db.py).
CREATE OR REPLACE FUNCTION core_partner_grant_ids() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN QUERY
    SELECT g.id FROM privacy_partneraccessgrant g
     WHERE g.partner_organization_id = core_current_organization_id();
END
$$;

CREATE OR REPLACE FUNCTION core_granted_residence_ids(permission text) RETURNS SETOF bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    dwellings bigint[] := ARRAY(SELECT g FROM core_granted_dwelling_ids(permission) AS g);
BEGIN
    IF cardinality(dwellings) = 0 THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT DISTINCT d.residence_id FROM housing_dwelling d WHERE d.id = ANY (dwellings);
END
$$;
"""
BACKWARD = """
DROP FUNCTION IF EXISTS core_granted_residence_ids(text);
DROP FUNCTION IF EXISTS core_partner_grant_ids();
DROP FUNCTION IF EXISTS core_granted_dwelling_ids(text);
"""


class Migration(migrations.Migration):
    dependencies = [("privacy", "0004_partner_functions_parallel_safe")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
