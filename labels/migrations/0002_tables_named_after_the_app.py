"""The tables, renamed from catalog_<model> to labels_<model> (Django renames them, and the tables of
the products relations, on every database); tasks waiting in the outbox follow the move."""

from django.db import migrations

MOVED_TASKS = {"catalog.tasks.label_decision_email_send": "labels.tasks.label_decision_email_send"}


def outbox_tasks_rename(names):
    """Tasks waiting in the outbox under the name they had before the move keep running."""

    def rename(apps, schema_editor):
        messages = apps.get_model("outbox", "OutboxMessage").objects.using(schema_editor.connection.alias)
        for old, new in names.items():
            messages.filter(task=old).update(task=new)

    return rename


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0015_label_models_moved_to_labels'),
        ('outbox', '0001_outbox_messages'),
        ('labels', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='certificatesequence',
            table=None,
        ),
        migrations.AlterModelTable(
            name='labelapplication',
            table=None,
        ),
        migrations.AlterModelTable(
            name='labelcertificate',
            table=None,
        ),
        migrations.AlterModelTable(
            name='labelcriterion',
            table=None,
        ),
        migrations.AlterModelTable(
            name='labelcriterionverdict',
            table=None,
        ),
        migrations.AlterModelTable(
            name='labelevent',
            table=None,
        ),
        migrations.AlterModelTable(
            name='labelevidence',
            table=None,
        ),
        migrations.AlterModelTable(
            name='labelinspection',
            table=None,
        ),
        migrations.AlterModelTable(
            name='labellevel',
            table=None,
        ),
        migrations.AlterModelTable(
            name='labelscheme',
            table=None,
        ),
        migrations.RunPython(outbox_tasks_rename(MOVED_TASKS), outbox_tasks_rename({new: old for old, new in MOVED_TASKS.items()})),
    ]
