"""`core_activate(organization, user, partner_role)`: sets the transaction's organisation and user
(`app.organization_id`, `app.user_id`, read by the row-level policies and the audit trigger) and
switches to the partner role (`SET LOCAL ROLE`) when that organisation holds partner grants —
only then do the partner-access policies (privacy/rls.py) apply, so that no other organisation
pays for them. Back to the session's role otherwise. core/context.py calls it, in one round
trip. A session that is not a member of the partner role (the owner: migrations, scale data)
never switches."""

from django.db import migrations

from core.db import postgresql_only

FORWARD = r"""
CREATE OR REPLACE FUNCTION core_activate(organization text, usr text, partner_role text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    partner boolean := false;
BEGIN
    PERFORM set_config('app.organization_id', organization, true);
    PERFORM set_config('app.user_id', usr, true);
    IF organization <> '' AND to_regrole(partner_role) IS NOT NULL
       AND pg_has_role(session_user, partner_role, 'MEMBER')
       AND to_regclass('privacy_partneraccessgrant') IS NOT NULL THEN
        -- Dynamic: the grant table belongs to a later app (privacy).
        EXECUTE 'SELECT EXISTS (SELECT 1 FROM privacy_partneraccessgrant '
                'WHERE partner_organization_id = $1 AND revoked_at IS NULL)'
           INTO partner USING organization::bigint;
    END IF;
    PERFORM set_config('role', CASE WHEN partner THEN partner_role ELSE 'none' END, true);
END
$$;
"""
BACKWARD = "DROP FUNCTION IF EXISTS core_activate(text, text, text)"


class Migration(migrations.Migration):
    dependencies = [("core", "0005_partner_mandate")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
