"""The reviewers' permission moves from Comment (where it waited) to Proposal.

Its full name stays "proposals.review_proposal", and the row moves rather than being recreated,
so every group and user that holds it (the "Reviewers" group above all) keeps it.
"""

from django.db import migrations

CODENAME = "review_proposal"


def move(apps, schema_editor, *, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    old_type, _ = ContentType.objects.get_or_create(app_label="proposals", model=source)
    new_type, _ = ContentType.objects.get_or_create(app_label="proposals", model=target)
    old = Permission.objects.filter(content_type=old_type, codename=CODENAME).first()
    if old is None:
        return
    new = Permission.objects.filter(content_type=new_type, codename=CODENAME).first()
    if new is None:
        old.content_type = new_type
        old.save(update_fields=["content_type"])
        return
    # Both exist (post_migrate ran in between): keep the new row, with every grant of the old.
    for group in old.group_set.all():
        group.permissions.add(new)
    for user in old.user_set.all():
        user.user_permissions.add(new)
    old.delete()


def forwards(apps, schema_editor):
    move(apps, schema_editor, source="comment", target="proposal")


def backwards(apps, schema_editor):
    move(apps, schema_editor, source="proposal", target="comment")


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0003_proposal"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
