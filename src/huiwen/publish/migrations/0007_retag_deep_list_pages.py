"""Published deep list pages depend on listdeep:<pk> from now on (newsroom.tags.list_page_tag).

Files written before depend on list:<pk>; without this, the first new article after the upgrade
would delete and rewrite every deep page of its channel tree at once, which is what the change
avoids (about 100,000 files on a site of a million articles).
"""

import re

from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import Value
from django.db.models.functions import Concat, Substr

DEEP_PAGE = re.compile(r"index_(\d+)\.html$")


def retag(apps: Apps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    FileTag = apps.get_model("publish", "FileTag")
    first = settings.PUBLISH["FIRST_LIST_PAGES"]
    rows = (FileTag.objects.filter(tag__startswith="list:").exclude(tag="list:all")
            .values_list("pk", "file__path").iterator(chunk_size=5000))
    deep = [pk for pk, path in rows if (match := DEEP_PAGE.search(path)) and int(match.group(1)) > first]
    for start in range(0, len(deep), 5000):  # list:<pk> -> listdeep:<pk>
        FileTag.objects.filter(pk__in=deep[start:start + 5000]).update(
            tag=Concat(Value("listdeep:"), Substr("tag", len("list:") + 1)))


class Migration(migrations.Migration):

    dependencies = [
        ("publish", "0006_stale_list_pages"),
    ]

    operations = [migrations.RunPython(retag, migrations.RunPython.noop)]
