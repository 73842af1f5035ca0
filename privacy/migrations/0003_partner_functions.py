"""Partner access under mandate, in the database (privacy/rls.py uses these functions).

- `core_local_date()`: today in the project's time zone, so that a grant "until 31/12" ends at
  midnight in France, as the application computes it (timezone.localdate()).
- `core_granted_household_ids(permission)`: replaced to use it.
- `core_partner_grant_allows(grant, landlord, household, permission)`: the grant is made by
  `landlord` to the organisation in context, valid today, not revoked, includes `permission`
  and covers `household`. The insert policies of the rows a partner writes under mandate
  (interventions, their timeline event) check it.
- `core_partner_may_write(landlord, household, permission)`: the same, for any of the grants.
- `core_partner_landlord_ids()`: the organisations that granted the one in context an access
  valid today (its staff's reads are logged in the landlord's access log).

All are SECURITY INVOKER: they read the grant tables under their own row-level security, where
a partner sees only the grants made to it. plpgsql bodies are checked when called, not when
created. PostgreSQL only: the SQLite demo has no row-level security.
"""

from django.conf import settings
from django.db import migrations

from core.db import postgresql_only

ACTIVE = """
       g.partner_organization_id = core_current_organization_id()
       AND g.revoked_at IS NULL
       AND g.valid_from <= core_local_date()
       AND (g.valid_until IS NULL OR g.valid_until >= core_local_date())
"""

FORWARD = rf"""
CREATE OR REPLACE FUNCTION core_local_date() RETURNS date
LANGUAGE sql STABLE AS $$ SELECT (now() AT TIME ZONE '{settings.TIME_ZONE}')::date $$;

CREATE OR REPLACE FUNCTION core_granted_household_ids(permission text) RETURNS SETOF bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
    SELECT h.household_id
      FROM privacy_partneraccessgranthousehold h
      JOIN privacy_partneraccessgrant g ON g.id = h.grant_id
     WHERE h.partner_organization_id = core_current_organization_id()
       AND {ACTIVE}
       AND permission = ANY (g.permissions);
END
$$;

CREATE OR REPLACE FUNCTION core_partner_grant_allows(
    p_grant bigint, p_landlord bigint, p_household bigint, p_permission text
) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1
          FROM privacy_partneraccessgrant g
          JOIN privacy_partneraccessgranthousehold h ON h.grant_id = g.id
         WHERE g.id = p_grant
           AND g.organization_id = p_landlord
           AND h.household_id = p_household
           AND h.partner_organization_id = core_current_organization_id()
           AND {ACTIVE}
           AND p_permission = ANY (g.permissions)
    );
END
$$;

CREATE OR REPLACE FUNCTION core_partner_may_write(
    p_landlord bigint, p_household bigint, p_permission text
) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1
          FROM privacy_partneraccessgrant g
          JOIN privacy_partneraccessgranthousehold h ON h.grant_id = g.id
         WHERE g.organization_id = p_landlord
           AND h.household_id = p_household
           AND h.partner_organization_id = core_current_organization_id()
           AND {ACTIVE}
           AND p_permission = ANY (g.permissions)
    );
END
$$;

CREATE OR REPLACE FUNCTION core_partner_landlord_ids() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
    SELECT DISTINCT g.organization_id
      FROM privacy_partneraccessgrant g
     WHERE {ACTIVE};
END
$$;
"""

BACKWARD = """
DROP FUNCTION IF EXISTS core_partner_landlord_ids();
DROP FUNCTION IF EXISTS core_partner_may_write(bigint, bigint, text);
DROP FUNCTION IF EXISTS core_partner_grant_allows(bigint, bigint, bigint, text);
"""


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_partner_access")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
