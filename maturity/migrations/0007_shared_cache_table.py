"""The table of the "shared" cache when no Redis is configured (maturity/settings/base.py)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Creates the table of every DatabaseCache in CACHES that does not exist yet; nothing with Redis.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("maturity", "0006_outgoing_mail")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
