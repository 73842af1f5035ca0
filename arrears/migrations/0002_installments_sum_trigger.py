"""The instalments of a repayment plan add up exactly to its debt at signature.

A deferred constraint trigger (checked at commit, once the whole schedule is written): the
invariant spans rows, so a CheckConstraint cannot hold it. The check reads under the row's
own organisation (row-level security is forced, and the request's context may already be
reset when the transaction commits), then restores the previous setting.
"""

from django.db import migrations

from core.db import postgresql_only

SQL = r"""
CREATE OR REPLACE FUNCTION arrears_installments_sum_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    pid bigint;
    org bigint;
    previous text := current_setting('app.organization_id', true);
    debt numeric;
    total numeric;
BEGIN
    IF TG_TABLE_NAME = 'arrears_repaymentplan' THEN
        pid := NEW.id; org := NEW.organization_id;
    ELSIF TG_OP = 'DELETE' THEN
        pid := OLD.plan_id; org := OLD.organization_id;
    ELSE
        pid := NEW.plan_id; org := NEW.organization_id;
    END IF;
    PERFORM set_config('app.organization_id', org::text, true);
    SELECT debt_at_signature INTO debt FROM arrears_repaymentplan WHERE id = pid;
    SELECT coalesce(sum(amount), 0) INTO total FROM arrears_installment WHERE plan_id = pid;
    PERFORM set_config('app.organization_id', coalesce(previous, ''), true);
    IF debt IS NOT NULL AND total <> debt THEN
        RAISE EXCEPTION 'Les échéances du plan % totalisent % € au lieu de la dette de % €.',
            pid, total, debt USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER arrears_installments_sum
AFTER INSERT OR UPDATE OF amount, plan_id OR DELETE ON arrears_installment
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION arrears_installments_sum_check();

CREATE CONSTRAINT TRIGGER arrears_plan_debt_sum
AFTER UPDATE OF debt_at_signature ON arrears_repaymentplan
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION arrears_installments_sum_check();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS arrears_plan_debt_sum ON arrears_repaymentplan;
DROP TRIGGER IF EXISTS arrears_installments_sum ON arrears_installment;
DROP FUNCTION IF EXISTS arrears_installments_sum_check();
"""


class Migration(migrations.Migration):
    dependencies = [("arrears", "0001_initial")]

    operations = [postgresql_only(SQL, REVERSE)]
