"""Background work for the diary. Plain functions: the production scheduler calls them nightly.

The population prior is refitted here only, by the nightly job (``loop_refit`` in
:mod:`nearer.ops.tasks`) and on demand by ``nearer loop refit``; pages read the stored prior
however old it is, so no request ever refits (it took about 1 s for 300 people x 1 year, and
grows with the clinic).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from nearer.analysis.loop import PriorSource, fit_loop
from nearer.diary.models import CheckIn, LoopPopulation

#: Rows fetched per round trip where COPY is not available (SQLite).
FETCH_ROWS = 50_000

# PostgreSQL binary COPY of (person int8, day int4, mood int2, closeness int2): every row is
# 2 (field count) + 4 + 8 + 4 + 4 + 4 + 2 + 4 + 2 = 34 bytes (no NULLs: the columns are NOT NULL).
_COPY_ROW = np.dtype([("nf", ">i2"), ("l0", ">i4"), ("person", ">i8"), ("l1", ">i4"), ("day", ">i4"),
                      ("l2", ">i4"), ("mood", ">i2"), ("l3", ">i4"), ("closeness", ">i2")])
_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"


@dataclass(frozen=True)
class CheckInArrays:
    """Every check-in's person, day (ordinal) and answers as narrow numpy arrays (16 bytes a row)."""

    person: np.ndarray  # int32 (person ids), or int64 when an id does not fit
    day: np.ndarray  # int32 date ordinals
    mood: np.ndarray  # float32
    closeness: np.ndarray  # float32

    @property
    def n(self) -> int:
        return int(self.person.shape[0])


class _Grow:
    """Column arrays filled chunk by chunk; capacity from a row count taken first, grown if rows arrive meanwhile."""

    def __init__(self, capacity: int) -> None:
        self.n = 0
        self.cols: list[np.ndarray] = [np.empty(capacity, np.int64), np.empty(capacity, np.int32),
                     np.empty(capacity, np.float32), np.empty(capacity, np.float32)]

    def add(self, person: np.ndarray, day: np.ndarray, mood: np.ndarray, closeness: np.ndarray) -> None:
        k = person.shape[0]
        if self.n + k > self.cols[0].shape[0]:
            size = max(self.n + k, int(self.cols[0].shape[0] * 1.25) + 1024)
            self.cols = [np.resize(c, size) for c in self.cols]
        for col, part in zip(self.cols, (person, day, mood, closeness), strict=True):
            col[self.n : self.n + k] = part
        self.n += k

    def done(self) -> CheckInArrays:
        person, day, mood, clos = (c[: self.n] for c in self.cols)
        if self.n and int(person.max()) < 2**31 and int(person.min()) >= -(2**31):
            person = person.astype(np.int32)
        return CheckInArrays(person, day, mood, clos)


def checkin_arrays() -> CheckInArrays:
    """All check-ins, read in bulk without a model object (or a Python tuple) per row.

    PostgreSQL: one binary ``COPY``, parsed 8 MB at a time with a fixed-width numpy dtype.
    Other databases: a plain cursor, ``FETCH_ROWS`` rows at a time.  The arrays are then sorted
    by person and day in numpy, so the loop engine reads them in place.
    """
    table = CheckIn._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - table name from the model
        grow = _Grow(int(cur.fetchone()[0]))
        if connection.vendor == "postgresql":
            _copy_postgres(cur.cursor, table, grow)
        else:
            day = ("CAST(julianday(local_date) - 1721424.5 AS INTEGER)" if connection.vendor == "sqlite"
                   else "local_date")
            cur.execute(f"SELECT person_id, {day}, mood, closeness FROM {table}")  # noqa: S608
            while rows := cur.fetchmany(FETCH_ROWS):
                if connection.vendor != "sqlite":
                    rows = [(p, d.toordinal(), m, c) for p, d, m, c in rows]
                arr = np.array(rows, dtype=np.int64).reshape(-1, 4)
                grow.add(arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3])
    return _sort_by_person_and_day(grow.done())


#: Bytes of COPY data gathered before they are parsed in one numpy call (blocks arrive in ~64 KB).
_PARSE_BYTES = 1 << 23


def _copy_postgres(raw_cursor: object, table: str, grow: _Grow) -> None:
    # No ORDER BY: in a real table rows lie in the order they were written (day by day), so an
    # index scan in person order would jump around the heap; numpy sorts afterwards instead.
    sql = (f"COPY (SELECT person_id::int8, (local_date - DATE '0001-01-01' + 1)::int4, mood::int2, "  # noqa: S608
           f"closeness::int2 FROM {table}) TO STDOUT (FORMAT binary)")
    size = _COPY_ROW.itemsize
    blocks: list[bytes] = []
    held = 0
    rest = b""
    header_done = False

    def parse(data: bytes) -> bytes:
        whole = len(data) // size * size
        if whole:
            rows = np.frombuffer(data, dtype=_COPY_ROW, count=whole // size)
            grow.add(rows["person"], rows["day"], rows["mood"], rows["closeness"])
        return data[whole:]

    with raw_cursor.copy(sql) as copy:  # type: ignore[attr-defined]
        for block in copy:
            blocks.append(bytes(block))
            held += len(block)
            if not header_done:
                head = b"".join(blocks)
                if len(head) < 19:
                    continue
                if head[:11] != _COPY_SIGNATURE:
                    raise RuntimeError("unexpected COPY header")
                ext = struct.unpack(">I", head[15:19])[0]
                if len(head) < 19 + ext:
                    continue
                blocks, held, header_done = [head[19 + ext :]], len(head) - 19 - ext, True
            if held >= _PARSE_BYTES:
                rest = parse(rest + b"".join(blocks))
                blocks, held = [], 0
    rest = parse(rest + b"".join(blocks))
    # What is left is the two-byte trailer (-1): shorter than a row, so never parsed as one.
    if rest not in (b"\xff\xff", b""):
        raise RuntimeError("unexpected end of COPY data")


def _sort_by_person_and_day(a: CheckInArrays) -> CheckInArrays:
    """The rows in (person, day) order, so the engine reads them in place; a no-op when already sorted."""
    if a.n < 2:
        return a
    p, d = a.person, a.day
    if np.all((p[1:] > p[:-1]) | ((p[1:] == p[:-1]) & (d[1:] > d[:-1]))):
        return a
    d0 = int(d.min())
    key = (p.astype(np.int64) - int(p.min())) * (int(d.max()) - d0 + 1) + (d - d0)
    order = np.argsort(key)
    del key
    return CheckInArrays(p[order], d[order], a.mood[order], a.closeness[order])


@transaction.atomic
def refit_loops() -> LoopPopulation:
    """Refit the population prior across everyone's check-ins and store it (no personal data kept).

    With too few people for a population estimate the row stores ``data=None`` and the loop pages
    use the engine's built-in weakly informative prior.
    """
    rows = checkin_arrays()
    data = None
    n_people = 0
    if rows.n:
        fit = fit_loop(rows.person, rows.day, rows.mood, rows.closeness)
        n_people = int(fit.person_ids.shape[0])
        if fit.population is not None and fit.population.source == PriorSource.FITTED:
            data = fit.population.to_dict()
    row = LoopPopulation.objects.create(fitted_at=timezone.now(), n_people=n_people, data=data)
    # Keep a short history only.
    old = LoopPopulation.objects.order_by("-fitted_at").values_list("pk", flat=True)[5:]
    LoopPopulation.objects.filter(pk__in=list(old)).delete()
    return row
