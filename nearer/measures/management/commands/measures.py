"""``nearer measures add FILE.json [--clinic NAME] [--replace]`` | ``list`` | ``mark-missed``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nearer.measures import InstrumentError


class Command(BaseCommand):
    help = "Manage questionnaires: add a clinic definition, list instruments, record missed measures."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{add,list,mark-missed}")
        add = sub.add_parser("add", help="Check a definition file and store it (nothing is stored if it is broken).")
        add.add_argument("file", help="A JSON file: {\"questionnaire\": ..., \"scoring\": ...}")
        add.add_argument("--clinic", help="The clinic's exact name; without it, every clinic on this server can use it.")
        add.add_argument("--replace", action="store_true", help="Replace a stored instrument with the same id.")
        sub.add_parser("list", help="List built-in and clinic instruments.")
        sub.add_parser("mark-missed", help="Create due measures and record closed windows as missed (run hourly).")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        if action == "add":
            self._add(opts["file"], opts.get("clinic"), opts.get("replace", False))
        elif action == "list":
            self._list()
        else:
            from nearer.measures.services import mark_missed

            counts = mark_missed()
            self.stdout.write(f"created {counts['created']} due measure(s); recorded {counts['missed']} as missed")

    def _add(self, file: str, clinic_name: str | None, replace: bool) -> None:
        from nearer.accounts.models import Clinic
        from nearer.measures.services import add_clinic_instrument

        path = Path(file)
        try:
            raw = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from None
        clinic = None
        if clinic_name:
            matches = list(Clinic.objects.filter(name=clinic_name))
            if len(matches) != 1:
                raise CommandError(f"no single clinic is named {clinic_name!r}")
            clinic = matches[0]
        try:
            definition = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{file}: the definition is not valid JSON (line {exc.lineno})") from None
        try:
            row = add_clinic_instrument(definition, clinic=clinic, replace=replace)
        except InstrumentError as exc:
            raise CommandError(f"{file}: not added: {exc}") from None
        where = f" for {clinic.name}" if clinic else " for every clinic"
        self.stdout.write(f"added {row.instrument_id} ({row.title}){where}")

    def _list(self) -> None:
        from nearer.measures import list_instruments
        from nearer.measures.models import ClinicInstrument
        from nearer.measures.services import ensure_clinic_instruments

        ensure_clinic_instruments()
        clinics = {r.instrument_id: (r.clinic.name if r.clinic else "all clinics")
                   for r in ClinicInstrument.objects.filter(active=True).select_related("clinic")}
        for inst in list_instruments():
            kind = "built-in" if inst.builtin else f"clinic: {clinics.get(inst.id, '?')}"
            self.stdout.write(f"{inst.id}\t{inst.version or '-'}\t{kind}\t{inst.title}")
