"""The quality labels' models moved to their own app (labels)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('labels', '0001_initial'),
        ('catalog', '0014_label_level_names_translated'),
    ]

    operations = [
        # Only Django's picture of the models leaves this app; the tables and their rows stay (see labels 0001).
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.DeleteModel(
                    name='CertificateSequence',
                ),
                migrations.RemoveField(
                    model_name='labelevent',
                    name='application',
                ),
                migrations.RemoveField(
                    model_name='labelcertificate',
                    name='application',
                ),
                migrations.RemoveField(
                    model_name='labelinspection',
                    name='application',
                ),
                migrations.RemoveField(
                    model_name='labelevidence',
                    name='application',
                ),
                migrations.RemoveField(
                    model_name='labelcertificate',
                    name='products',
                ),
                migrations.RemoveField(
                    model_name='labelcertificate',
                    name='revocation_requested_by',
                ),
                migrations.RemoveField(
                    model_name='labelcertificate',
                    name='scheme',
                ),
                migrations.RemoveField(
                    model_name='labelcertificate',
                    name='seller',
                ),
                migrations.RemoveField(
                    model_name='labelcriterion',
                    name='scheme',
                ),
                migrations.RemoveField(
                    model_name='labelcriterionverdict',
                    name='criterion',
                ),
                migrations.RemoveField(
                    model_name='labelcriterionverdict',
                    name='inspection',
                ),
                migrations.RemoveField(
                    model_name='labelevent',
                    name='actor',
                ),
                migrations.RemoveField(
                    model_name='labelevidence',
                    name='inspection',
                ),
                migrations.RemoveField(
                    model_name='labelevidence',
                    name='uploaded_by',
                ),
                migrations.RemoveField(
                    model_name='labelinspection',
                    name='inspector',
                ),
                migrations.RemoveField(
                    model_name='labellevel',
                    name='scheme',
                ),
                migrations.RemoveField(
                    model_name='labelscheme',
                    name='logo',
                ),
                migrations.DeleteModel(
                    name='LabelApplication',
                ),
                migrations.DeleteModel(
                    name='LabelCertificate',
                ),
                migrations.DeleteModel(
                    name='LabelCriterion',
                ),
                migrations.DeleteModel(
                    name='LabelCriterionVerdict',
                ),
                migrations.DeleteModel(
                    name='LabelEvent',
                ),
                migrations.DeleteModel(
                    name='LabelEvidence',
                ),
                migrations.DeleteModel(
                    name='LabelInspection',
                ),
                migrations.DeleteModel(
                    name='LabelLevel',
                ),
                migrations.DeleteModel(
                    name='LabelScheme',
                ),
        ], database_operations=[]),
    ]
