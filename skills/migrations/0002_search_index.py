"""The catalogue's full-text index, on PostgreSQL only (SQLite searches without one).

Its expression matches the one `skills.selectors.skill_search` filters on, so the planner uses it.
"""

from django.db import migrations

INDEX = "skill_search_document_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON skills_skill USING gin "
            "(to_tsvector('english'::regconfig, COALESCE(search_document, '')))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("skills", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
