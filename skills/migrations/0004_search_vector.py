"""A stored tsvector for the catalogue's full-text search, on PostgreSQL.

Ranking over an expression index re-parses every matching document; a stored vector is parsed
once, when the skill is written. A trigger keeps it from `search_document` on every insert and
update (bulk writes included), and a GIN index over it replaces the expression index of 0002.
"""

import django.contrib.postgres.search
from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS skill_search_document_gin",
    "CREATE INDEX IF NOT EXISTS skill_search_vector_gin ON skills_skill USING gin (search_vector)",
    """
    CREATE OR REPLACE FUNCTION skills_skill_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector := to_tsvector('english'::regconfig, COALESCE(NEW.search_document, ''));
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS skills_skill_search_vector ON skills_skill",
    """
    CREATE TRIGGER skills_skill_search_vector
    BEFORE INSERT OR UPDATE OF search_document ON skills_skill
    FOR EACH ROW EXECUTE FUNCTION skills_skill_search_vector()
    """,
    "UPDATE skills_skill SET search_vector = "
    "to_tsvector('english'::regconfig, COALESCE(search_document, ''))",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS skills_skill_search_vector ON skills_skill",
    "DROP FUNCTION IF EXISTS skills_skill_search_vector()",
    "DROP INDEX IF EXISTS skill_search_vector_gin",
    "CREATE INDEX IF NOT EXISTS skill_search_document_gin ON skills_skill USING gin "
    "(to_tsvector('english'::regconfig, COALESCE(search_document, '')))",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("skills", "0003_matrix_state")]

    operations = [
        migrations.AddField(
            model_name="skill",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forward, backward),
    ]
