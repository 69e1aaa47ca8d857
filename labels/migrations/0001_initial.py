"""The quality labels' models, moved here from the catalog app with their tables and data."""

import django.core.validators
import django.db.models.deletion
import modelcluster.fields
import sellers.models
from django.conf import settings
from django.db import migrations, models


MOVED_MODELS = ['labelscheme', 'labelcriterion', 'labellevel', 'labelapplication', 'labelcertificate', 'labelinspection', 'labelcriterionverdict', 'labelevidence', 'certificatesequence', 'labelevent']


def content_types_move(source, target):
    """Points the content types (and so the permissions given to groups, and the audit log) of the moved
    models at their new app."""

    def move(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
        for model in MOVED_MODELS:
            if content_types.filter(app_label=source, model=model).exists():
                # A content type of the new app made before this ran (by a post_migrate) holds nothing yet.
                content_types.filter(app_label=target, model=model).delete()
                content_types.filter(app_label=source, model=model).update(app_label=target)

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('catalog', '0014_label_level_names_translated'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('sellers', '0009_onboarding_alternate_name_and_held_uploads'),
        ('wagtailimages', '0027_image_description'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist already (made by the migrations of the app the models come from): only Django's
        # picture of them moves here. 0002 then renames the tables after this app.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LabelCriterion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('text', models.CharField(max_length=300, verbose_name='criterion')),
                        ('required', models.BooleanField(default=True, help_text='A required criterion must be met to approve.', verbose_name='required')),
                    ],
                    options={
                        'verbose_name': 'criterion',
                        'verbose_name_plural': 'criteria',
                        'db_table': 'catalog_labelcriterion',
                        'ordering': ['sort_order'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='CertificateSequence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('country', models.CharField(max_length=2)),
                        ('scheme_code', models.CharField(max_length=5)),
                        ('year', models.PositiveSmallIntegerField()),
                        ('last', models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        'db_table': 'catalog_certificatesequence',
                        'constraints': [models.UniqueConstraint(fields=('country', 'scheme_code', 'year'), name='certificate_sequence_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='LabelApplication',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('submitted', 'submitted'), ('assigned', 'assigned to an inspector'), ('approved', 'approved'), ('rejected', 'rejected')], db_index=True, default='submitted', max_length=20, verbose_name='status')),
                        ('submitted_at', models.DateTimeField(auto_now_add=True, verbose_name='submitted at')),
                        ('statement', models.TextField(blank=True, help_text="How the products are made and why they meet the scheme's criteria.", verbose_name='statement')),
                        ('events_head', models.CharField(blank=True, max_length=64)),
                        ('events_count', models.PositiveIntegerField(default=0)),
                        ('applicant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='applicant')),
                        ('inspector', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='inspector')),
                        ('products', models.ManyToManyField(related_name='label_applications', to='catalog.product', verbose_name='products')),
                        ('seller', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='label_applications', to='sellers.seller', verbose_name='seller')),
                    ],
                    options={
                        'verbose_name': 'label application',
                        'verbose_name_plural': 'label applications',
                        'db_table': 'catalog_labelapplication',
                        'ordering': ['submitted_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='LabelCertificate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.CharField(max_length=32, unique=True, verbose_name='number')),
                        ('level', models.CharField(blank=True, max_length=60, verbose_name='level')),
                        ('valid_from', models.DateField(verbose_name='valid from')),
                        ('valid_until', models.DateField(verbose_name='valid until')),
                        ('status', models.CharField(choices=[('active', 'active'), ('suspended', 'suspended'), ('revoked', 'revoked'), ('expired', 'expired')], db_index=True, default='active', max_length=20, verbose_name='status')),
                        ('status_reason', models.TextField(blank=True, verbose_name='reason for the status')),
                        ('revocation_reason', models.TextField(blank=True, verbose_name='reason for revocation')),
                        ('application', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='certificate', to='labels.labelapplication')),
                        ('products', models.ManyToManyField(related_name='label_certificates', to='catalog.product', verbose_name='products')),
                        ('revocation_requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='revocation requested by')),
                        ('seller', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='label_certificates', to='sellers.seller')),
                    ],
                    options={
                        'verbose_name': 'label certificate',
                        'verbose_name_plural': 'label certificates',
                        'db_table': 'catalog_labelcertificate',
                        'ordering': ['-valid_from', 'number'],
                    },
                ),
                migrations.AddField(
                    model_name='labelapplication',
                    name='renews',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='renewals', to='labels.labelcertificate', verbose_name='renews certificate'),
                ),
                migrations.CreateModel(
                    name='LabelInspection',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('visit_date', models.DateField(verbose_name='visit date')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='inspections', to='labels.labelapplication')),
                        ('inspector', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='inspector')),
                    ],
                    options={
                        'verbose_name': 'inspection',
                        'verbose_name_plural': 'inspections',
                        'db_table': 'catalog_labelinspection',
                        'ordering': ['recorded_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='LabelEvidence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(storage=sellers.models.seller_document_storage, upload_to='label-evidence/%Y/%m/', verbose_name='file')),
                        ('original_name', models.CharField(max_length=255, verbose_name='file name')),
                        ('content_type', models.CharField(max_length=60, verbose_name='content type')),
                        ('size', models.PositiveIntegerField(verbose_name='size (bytes)')),
                        ('sha256', models.CharField(max_length=64)),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded at')),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='labels.labelapplication')),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('inspection', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='labels.labelinspection')),
                    ],
                    options={
                        'verbose_name': 'evidence',
                        'verbose_name_plural': 'evidence',
                        'db_table': 'catalog_labelevidence',
                        'ordering': ['uploaded_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='LabelCriterionVerdict',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('criterion_text', models.CharField(max_length=300, verbose_name='criterion')),
                        ('required', models.BooleanField(verbose_name='required')),
                        ('verdict', models.CharField(choices=[('met', 'met'), ('not_met', 'not met'), ('not_applicable', 'not applicable')], max_length=20, verbose_name='verdict')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('criterion', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='labels.labelcriterion')),
                        ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='verdicts', to='labels.labelinspection')),
                    ],
                    options={
                        'verbose_name': 'verdict',
                        'verbose_name_plural': 'verdicts',
                        'db_table': 'catalog_labelcriterionverdict',
                        'ordering': ['inspection', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='LabelScheme',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=150, verbose_name='name (English)')),
                        ('name_fr', models.CharField(blank=True, max_length=150, verbose_name='name (French)')),
                        ('name_ar', models.CharField(blank=True, max_length=150, verbose_name='name (Arabic)')),
                        ('kind', models.CharField(choices=[('national_label', 'national label'), ('collective_mark', 'collective mark'), ('geographical_indication', 'geographical indication')], max_length=30, verbose_name='kind')),
                        ('code', models.CharField(help_text='Used in certificate numbers, e.g. MA-LNA-2026-000123.', max_length=5, unique=True, validators=[django.core.validators.RegexValidator('^[A-Z]{2,5}$', 'Two to five capital letters, e.g. LNA.')], verbose_name='code')),
                        ('country', models.CharField(choices=[('MA', 'Morocco'), ('CM', 'Cameroon')], max_length=2, verbose_name='country')),
                        ('issuing_body', models.CharField(max_length=200, verbose_name='issuing body')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('validity_months', models.PositiveSmallIntegerField(help_text='How long a certificate is valid before it must be renewed.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(120)], verbose_name='validity (months)')),
                        ('logo', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='logo')),
                    ],
                    options={
                        'verbose_name': 'label scheme',
                        'verbose_name_plural': 'label schemes',
                        'db_table': 'catalog_labelscheme',
                        'ordering': ['country', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='LabelLevel',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('name', models.CharField(max_length=60, verbose_name='level (English)')),
                        ('name_fr', models.CharField(blank=True, max_length=60, verbose_name='level (French)')),
                        ('name_ar', models.CharField(blank=True, max_length=60, verbose_name='level (Arabic)')),
                        ('scheme', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='levels', to='labels.labelscheme')),
                    ],
                    options={
                        'verbose_name': 'level',
                        'verbose_name_plural': 'levels',
                        'db_table': 'catalog_labellevel',
                        'ordering': ['sort_order'],
                        'abstract': False,
                    },
                ),
                migrations.AddField(
                    model_name='labelcriterion',
                    name='scheme',
                    field=modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='criteria', to='labels.labelscheme'),
                ),
                migrations.AddField(
                    model_name='labelcertificate',
                    name='scheme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='certificates', to='labels.labelscheme', verbose_name='scheme'),
                ),
                migrations.AddField(
                    model_name='labelapplication',
                    name='scheme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='labels.labelscheme', verbose_name='scheme'),
                ),
                migrations.CreateModel(
                    name='LabelEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveIntegerField()),
                        ('action', models.CharField(max_length=30)),
                        ('public_data', models.JSONField(blank=True, default=dict)),
                        ('private_data', models.JSONField(blank=True, default=dict)),
                        ('created_at', models.DateTimeField()),
                        ('previous_hash', models.CharField(max_length=64)),
                        ('hash', models.CharField(max_length=64, unique=True)),
                        ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='labels.labelapplication')),
                    ],
                    options={
                        'db_table': 'catalog_labelevent',
                        'ordering': ['application_id', 'position'],
                        'constraints': [models.UniqueConstraint(fields=('application', 'position'), name='label_event_unique_position')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_move('catalog', 'labels'), content_types_move('labels', 'catalog')),
    ]
