"""Whoever had turned on "show my mood on our trend page" keeps that choice as the new
"mood_talk_days" scope on their own partner link (issue 16 item 2)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Membership = apps.get_model("together", "Membership")
    Link = apps.get_model("accounts", "Link")
    people = Membership.objects.filter(mood_compare=True, couple__ended_at__isnull=True).values_list("person_id", flat=True)
    for link in Link.objects.filter(owner_id__in=list(people), kind="partner", revoked_at__isnull=True):
        if "mood_talk_days" not in (link.scopes or []):
            link.scopes = sorted(set(link.scopes or []) | {"mood_talk_days"})
            link.save(update_fields=["scopes"])


class Migration(migrations.Migration):
    dependencies = [
        ("together", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
