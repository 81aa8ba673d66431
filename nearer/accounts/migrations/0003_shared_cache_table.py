"""The database cache table that sign-in throttling shares across processes when Redis is not
configured (issue 16 item 9). ``createcachetable`` is idempotent and does nothing for Redis."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_api_token_expiry")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
