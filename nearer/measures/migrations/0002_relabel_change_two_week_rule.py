"""Relabel stored change with the rules of issue 15: compare answers at least 14 days apart, and
report response and remission only from a clinical baseline. Scores and answers are untouched.

Uses the historical model (not services) so it keeps working when later migrations change the table.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import migrations

TWO_WEEK_RECALL = {"phq9", "gad7", "phq2"}


def relabel(apps, schema_editor):  # type: ignore[no-untyped-def]
    from nearer.measures.change import ChangeError, reliable_change_for
    from nearer.measures.definitions import InstrumentError, get_instrument

    Administration = apps.get_model("measures", "Administration")
    keys = Administration.objects.values_list("person_id", "instrument_id", "instrument_version").distinct()
    for person_id, instrument_id, version in list(keys):
        try:
            inst = get_instrument(instrument_id)
        except InstrumentError:
            continue
        if (inst.version or "") != version or inst.change is None:
            continue
        gap = timedelta(days=14 if instrument_id in TWO_WEEK_RECALL else 0)
        series = list(Administration.objects.filter(person_id=person_id, instrument_id=instrument_id,
                                                    instrument_version=version).order_by("completed_at", "pk"))
        for i, adm in enumerate(series):
            fields = {"rci": None, "change_label": "", "rci_previous": None, "change_label_previous": "",
                      "recovered": False, "response": None, "remission": None}
            if i > 0 and adm.completed_at - series[0].completed_at >= gap:
                earlier = [a for a in series[:i] if adm.completed_at - a.completed_at >= gap]
                try:
                    base = reliable_change_for(inst, series[0].total, adm.total)
                    prev = reliable_change_for(inst, earlier[-1].total, adm.total)
                except ChangeError:
                    continue
                fields.update(rci=base.index, change_label=base.label, rci_previous=prev.index,
                              change_label_previous=prev.label, recovered=base.recovered,
                              response=base.response, remission=base.remission)
            for k, v in fields.items():
                setattr(adm, k, v)
            adm.save(update_fields=list(fields))


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]
    operations = [migrations.RunPython(relabel, migrations.RunPython.noop)]
