"""Household search under row-level security. The trigram operators (LIKE, <%) are not
LEAKPROOF, so PostgreSQL may not evaluate them through an index before the row-level policy:
as the application role the search would scan the whole table. `housing_search_ids` runs the
indexed search as the owner (SECURITY DEFINER), restricted to the organisation set in the
transaction (`core_current_organization_id()`, as the policy), and returns ids only; the
application then reads those rows under row-level security as usual. A no-op on SQLite."""

from django.db import migrations

from core.db import postgresql_only

FORWARD = r"""
CREATE OR REPLACE FUNCTION housing_search_ids(patterns text[], fuzzy_terms text[], fuzzy boolean)
RETURNS TABLE(id bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    conditions text := '';
    i integer;
BEGIN
    IF core_current_organization_id() IS NULL OR coalesce(array_length(patterns, 1), 0) = 0 THEN
        RETURN;
    END IF;
    FOR i IN 1 .. array_length(patterns, 1) LOOP
        conditions := conditions || ' AND (h.search_norm LIKE ' || quote_literal(patterns[i]);
        IF fuzzy AND fuzzy_terms[i] IS NOT NULL THEN
            conditions := conditions || ' OR ' || quote_literal(fuzzy_terms[i])
                || ' <% h.search_norm';
        END IF;
        conditions := conditions || ')';
    END LOOP;
    RETURN QUERY EXECUTE
        'SELECT h.id FROM housing_household h WHERE h.organization_id = $1' || conditions
        USING core_current_organization_id();
END
$$;
"""
BACKWARD = "DROP FUNCTION IF EXISTS housing_search_ids(text[], text[], boolean)"


class Migration(migrations.Migration):
    dependencies = [("housing", "0005_search_norm_column")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
