# Written for issue 18 (point 3): the fingerprints become one index of works with a kind ("story":
# a collected article's, "blocked": a work withdrawn on a takedown notice, moved here by takedown
# 0003). A band key now belongs to a print, not to an article, and repeats its kind.

from typing import Any

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

KINDS = [('story', '报道'), ('blocked', '禁止再采集')]


# `apps` is Any: the historical models it gives have the fields of this point in history, which the
# django-stubs plugin would check against today's models.
def bands_to_prints(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Each story band key points at its article's print (one statement)."""
    Fingerprint = apps.get_model('newsroom', 'Fingerprint')
    FingerprintBand = apps.get_model('newsroom', 'FingerprintBand')
    db = schema_editor.connection.alias
    FingerprintBand.objects.using(db).update(fingerprint_id=Subquery(
        Fingerprint.objects.using(db).filter(article_id=OuterRef('article_id')).values('pk')[:1]))
    FingerprintBand.objects.using(db).filter(fingerprint__isnull=True).delete()  # a key without its print finds nothing
    _checked_now(schema_editor)


def bands_to_articles(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Back: each band key points at its print's article (blocked prints left with takedown 0003's reverse)."""
    Fingerprint = apps.get_model('newsroom', 'Fingerprint')
    FingerprintBand = apps.get_model('newsroom', 'FingerprintBand')
    db = schema_editor.connection.alias
    FingerprintBand.objects.using(db).exclude(kind='story').delete()
    Fingerprint.objects.using(db).exclude(kind='story').delete()
    FingerprintBand.objects.using(db).update(article_id=Subquery(
        Fingerprint.objects.using(db).filter(pk=OuterRef('fingerprint_id')).values('article_id')[:1]))
    _checked_now(schema_editor)


def _checked_now(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """PostgreSQL checks the foreign keys just written at commit; an ALTER TABLE of the same table in
    this transaction would fail on those pending checks ("pending trigger events"): run them now."""
    if schema_editor.connection.vendor == 'postgresql':
        schema_editor.execute('SET CONSTRAINTS ALL IMMEDIATE')
        schema_editor.execute('SET CONSTRAINTS ALL DEFERRED')


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0014_fingerprints'),
    ]

    operations = [
        migrations.AddField(
            model_name='fingerprint',
            name='kind',
            field=models.CharField(choices=KINDS, default='story', max_length=8, verbose_name='类别'),
        ),
        migrations.AlterField(
            model_name='fingerprint',
            name='article',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='fingerprint', to='newsroom.article'),
        ),
        migrations.AddConstraint(
            model_name='fingerprint',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('article__isnull', False), ('kind', 'story')), models.Q(('article__isnull', True), ('kind', 'blocked')), _connector='OR'), name='fingerprint_kind_has_its_article'),
        ),
        migrations.AddField(
            model_name='fingerprintband',
            name='kind',
            field=models.CharField(choices=KINDS, default='story', max_length=8, verbose_name='类别'),
        ),
        migrations.AddField(
            model_name='fingerprintband',
            name='fingerprint',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='bands', to='newsroom.fingerprint'),
        ),
        migrations.AlterField(
            model_name='fingerprintband',
            name='article',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='fingerprint_bands', to='newsroom.article'),
        ),
        migrations.RunPython(bands_to_prints, bands_to_articles),
        migrations.RemoveConstraint(
            model_name='fingerprintband',
            name='fingerprint_band_once',
        ),
        migrations.RemoveField(
            model_name='fingerprintband',
            name='article',
        ),
        migrations.AlterField(
            model_name='fingerprintband',
            name='fingerprint',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bands', to='newsroom.fingerprint'),
        ),
        migrations.AddConstraint(
            model_name='fingerprintband',
            constraint=models.UniqueConstraint(fields=('fingerprint', 'key'), name='fingerprint_band_once'),
        ),
    ]
