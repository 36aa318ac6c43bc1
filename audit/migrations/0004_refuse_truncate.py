"""On PostgreSQL, the database also refuses TRUNCATE of the audit log.

0002's row trigger holds against UPDATE and DELETE, but TRUNCATE fires no row trigger, so
``TRUNCATE audit_auditevent`` (or a ``TRUNCATE ... CASCADE`` that reaches the table) emptied
the log. A statement trigger refuses it.

The test runner empties tables with TRUNCATE between transactional tests (Django's flush), so
the trigger lets it through when the session says ``dx.allow_truncate = on``. Only the test
settings set it, on their own connections (``config/settings/test.py``); production never
does, and a session that sets it by hand is a deliberate act by someone who can already drop
the trigger as the table's owner (see the README on a separate database role).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_event_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('dx.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_refuse_truncate();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_unit_in_org")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
