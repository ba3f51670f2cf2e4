"""The audit log is append-only in the database too, not only in the model.

PostgreSQL refuses UPDATE and DELETE of a row; SQLite refuses UPDATE (a DELETE
trigger would also stop the test runner's table flush, so there the model and
queryset guards stand alone against deletes).
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION web_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '审计日志只增不改（% 被拒绝）', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER web_auditlog_append_only BEFORE UPDATE OR DELETE ON web_auditlog
    FOR EACH ROW EXECUTE FUNCTION web_auditlog_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS web_auditlog_append_only ON web_auditlog;
DROP FUNCTION IF EXISTS web_auditlog_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER web_auditlog_no_update BEFORE UPDATE ON web_auditlog
BEGIN SELECT RAISE(ABORT, '审计日志只增不改'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS web_auditlog_no_update;"


def guard(apps, schema_editor):
    sql = {"postgresql": PG_UP, "sqlite": SQLITE_UP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.connection.cursor().execute(sql)


def unguard(apps, schema_editor):
    sql = {"postgresql": PG_DOWN, "sqlite": SQLITE_DOWN}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.connection.cursor().execute(sql)


class Migration(migrations.Migration):
    dependencies = [("web", "0001_initial")]
    operations = [migrations.RunPython(guard, unguard)]
