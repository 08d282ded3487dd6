"""The audit log is append-only at the database level: UPDATE and DELETE raise.

A trigger (not just application discipline) so that no code path, admin shell or bug can rewrite
history. TRUNCATE is also refused.
"""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION ffs_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'accounts_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_auditevent_no_update
    BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION ffs_audit_append_only();
CREATE TRIGGER accounts_auditevent_no_truncate
    BEFORE TRUNCATE ON accounts_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION ffs_audit_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS accounts_auditevent_no_update ON accounts_auditevent;
DROP TRIGGER IF EXISTS accounts_auditevent_no_truncate ON accounts_auditevent;
DROP FUNCTION IF EXISTS ffs_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
