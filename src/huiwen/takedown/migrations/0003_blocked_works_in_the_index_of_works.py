# Written for issue 18 (point 3): a blocked work's signature and band keys move into the newsroom's
# index of works (a print of kind "blocked"), which story matching searches with the same matcher.

from typing import Any

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
import django.db.models.deletion
from django.db import migrations, models

# Blocked signatures were stored only for texts long enough to fingerprint; their feature count
# was not kept, and this is the least such a text has (text.fingerprint.MIN_FEATURES).
MIN_FEATURES = 8


# `apps` is Any: the historical models it gives have the fields of this point in history, which the
# django-stubs plugin would check against today's models.
def into_the_index(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    BlockedWork = apps.get_model('takedown', 'BlockedWork')
    BlockedBand = apps.get_model('takedown', 'BlockedBand')
    Fingerprint = apps.get_model('newsroom', 'Fingerprint')
    FingerprintBand = apps.get_model('newsroom', 'FingerprintBand')
    db = schema_editor.connection.alias
    for work in list(BlockedWork.objects.using(db).exclude(signature=b'')):
        if not work.signature:
            continue
        stored = Fingerprint.objects.using(db).create(kind='blocked', signature=bytes(work.signature), features=MIN_FEATURES)
        keys = BlockedBand.objects.using(db).filter(blocked_id=work.pk).values_list('key', flat=True)
        FingerprintBand.objects.using(db).bulk_create(
            [FingerprintBand(fingerprint_id=stored.pk, kind='blocked', key=key) for key in set(keys)])
        BlockedWork.objects.using(db).filter(pk=work.pk).update(fingerprint_id=stored.pk)
    _checked_now(schema_editor)


def out_of_the_index(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    BlockedWork = apps.get_model('takedown', 'BlockedWork')
    BlockedBand = apps.get_model('takedown', 'BlockedBand')
    Fingerprint = apps.get_model('newsroom', 'Fingerprint')
    FingerprintBand = apps.get_model('newsroom', 'FingerprintBand')
    db = schema_editor.connection.alias
    for work in list(BlockedWork.objects.using(db).exclude(fingerprint_id=None)):
        stored = Fingerprint.objects.using(db).get(pk=work.fingerprint_id)
        keys = FingerprintBand.objects.using(db).filter(fingerprint_id=stored.pk).values_list('key', flat=True)
        BlockedBand.objects.using(db).bulk_create([BlockedBand(blocked_id=work.pk, key=key) for key in keys])
        BlockedWork.objects.using(db).filter(pk=work.pk).update(signature=bytes(stored.signature), fingerprint_id=None)
    FingerprintBand.objects.using(db).filter(kind='blocked').delete()
    Fingerprint.objects.using(db).filter(kind='blocked').delete()
    _checked_now(schema_editor)


def _checked_now(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """PostgreSQL checks the foreign keys just written at commit; an ALTER TABLE of the same table in
    this transaction would fail on those pending checks ("pending trigger events"): run them now."""
    if schema_editor.connection.vendor == 'postgresql':
        schema_editor.execute('SET CONSTRAINTS ALL IMMEDIATE')
        schema_editor.execute('SET CONSTRAINTS ALL DEFERRED')


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0015_one_index_of_works'),
        ('takedown', '0002_notice_reach_and_upkeep'),
    ]

    operations = [
        migrations.AddField(
            model_name='blockedwork',
            name='fingerprint',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='newsroom.fingerprint', verbose_name='文本指纹'),
        ),
        migrations.RunPython(into_the_index, out_of_the_index),
        migrations.RemoveField(
            model_name='blockedwork',
            name='signature',
        ),
        migrations.DeleteModel(
            name='BlockedBand',
        ),
    ]
