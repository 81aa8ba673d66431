"""Encrypted backups of the whole database and their restore.

Format (one file)::

    b"NEARER-BACKUP-1\\n" + header JSON line + AES-256-GCM(gzip(JSON payload))

The header (authenticated as associated data, not secret) says how the key was derived: from
``NEARER_BACKUP_PASSPHRASE`` with scrypt and a random salt, or, when no passphrase is set, from the
key-ring key named ``kid`` with HKDF. The payload holds every table's rows exactly as stored
(encrypted text stays encrypted, so a backup is useless without the key ring as well) and a SHA-256
digest per table; restore inserts the rows into an empty, migrated database of the same engine and
the same migrations, then checks every digest again.

The archive is built in memory: fine for a practice (hundreds of people, years of entries); a
very large installation should use PostgreSQL's own tools (docs/operating.md).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import decimal
import gzip
import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from nearer.env import env_str

MAGIC = b"NEARER-BACKUP-1\n"
SKIP_TABLES = {"django_migrations"}
# Ephemeral tables: signed-in sessions, pending email-confirmation keys, the scheduler's leases and the
# worker heartbeat. A backup leaves them out (a restored site starts with everyone signed out and every
# periodic job due), and restore empties them.
EPHEMERAL_TABLES = {"django_session", "usersessions_usersession", "account_emailconfirmation", "ops_taskrun",
                    "ops_heartbeat"}
# Rows migrations create by themselves; restore replaces them with the backup's copies.
RECREATED_BY_MIGRATE = {"django_content_type", "auth_permission", "django_site"}


class BackupError(Exception):
    """A backup could not be read, decrypted or restored; the message is safe to show."""


# ------------------------------------------------------------------ values


def _enc(v: Any) -> Any:
    if v is None or isinstance(v, bool | int | str):
        return v
    if isinstance(v, float):
        return {"$f": repr(v)}
    if isinstance(v, bytes | memoryview | bytearray):
        return {"$b": base64.b64encode(bytes(v)).decode()}
    if isinstance(v, dt.datetime):
        return {"$dt": v.isoformat()}
    if isinstance(v, dt.date):
        return {"$d": v.isoformat()}
    if isinstance(v, dt.time):
        return {"$t": v.isoformat()}
    if isinstance(v, dt.timedelta):
        return {"$td": v.total_seconds()}
    if isinstance(v, decimal.Decimal):
        return {"$dec": str(v)}
    if isinstance(v, uuid.UUID):
        return {"$u": str(v)}
    if isinstance(v, dict | list):
        return {"$j": json.dumps(v, sort_keys=True)}
    raise BackupError(f"A column holds a value of an unexpected type ({type(v).__name__}).")


def _dec(v: Any) -> Any:
    if not isinstance(v, dict):
        return v
    (tag, raw), = v.items()
    if tag == "$f":
        return float(raw)
    if tag == "$b":
        return base64.b64decode(raw)
    if tag == "$dt":
        return dt.datetime.fromisoformat(raw)
    if tag == "$d":
        return dt.date.fromisoformat(raw)
    if tag == "$t":
        return dt.time.fromisoformat(raw)
    if tag == "$td":
        return dt.timedelta(seconds=raw)
    if tag == "$dec":
        return decimal.Decimal(raw)
    if tag == "$u":
        return uuid.UUID(raw)
    if tag == "$j":
        return json.loads(raw) if connection.vendor != "postgresql" else raw
    raise BackupError("The backup holds a value this version cannot read.")


def _param(v: Any) -> Any:
    """A decoded value as the database driver takes it on insert.

    The sqlite3 module has no adapter for ``datetime.time`` (Django's ORM turns times into text
    itself), so a raw insert has to do the same or a restore fails on the first time-of-day column.
    """
    value = _dec(v)
    if isinstance(value, dt.time):
        return connection.ops.adapt_timefield_value(value)
    return value


# ------------------------------------------------------------------ tables


def _tables(*, ephemeral: bool = False) -> dict[str, str]:
    """Every model table in the database with its primary-key column, in a stable order.

    Ephemeral tables (sessions, leases) are left out unless ``ephemeral`` is true.
    """
    existing = set(connection.introspection.table_names())
    skip = SKIP_TABLES if ephemeral else SKIP_TABLES | EPHEMERAL_TABLES
    out: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in existing and table not in skip and not model._meta.proxy and model._meta.managed:
            out[table] = model._meta.pk.column
    return dict(sorted(out.items()))


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def read_table(table: str, pk: str, cur: Any = None) -> tuple[list[str], list[list[Any]]]:
    """Every row of ``table`` in primary-key order, encoded for JSON; ``cur`` reads from a snapshot."""
    if cur is None:
        with connection.cursor() as own:
            return read_table(table, pk, own)
    cur.execute(f"SELECT * FROM {_q(table)} ORDER BY {_q(pk)}")  # noqa: S608 - names come from the model registry
    columns = [c[0] for c in cur.description]
    rows = [[_enc(v) for v in row] for row in cur.fetchall()]
    return columns, rows


@contextlib.contextmanager
def _snapshot() -> Iterator[Any]:
    """A cursor that sees the whole database as of one moment, whatever writers do meanwhile.

    * PostgreSQL: one ``REPEATABLE READ, READ ONLY`` transaction for the whole dump (what ``pg_dump``
      does): every table is read from the same snapshot, so a check-in is never present without
      the person it belongs to, and a risk event never without its check-in.
    * SQLite: the online backup API copies the file page by page into memory under one read lock
      (in WAL mode writers go on meanwhile); the dump reads that copy.

    Inside a transaction the caller already holds (tests, or a caller's ``atomic``) that transaction
    is the snapshot: it cannot change isolation level once it has started, and on SQLite the backup
    API cannot copy a database its own connection is writing.
    """
    if connection.in_atomic_block:
        with connection.cursor() as cur:
            yield cur
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield cur
        return
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        copy = sqlite3.connect(":memory:", detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
        try:
            connection.connection.backup(copy)
            cur = copy.cursor()
            try:
                yield cur
            finally:
                cur.close()
        finally:
            copy.close()
        return
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


def _digest(columns: list[str], rows: Iterable[list[Any]]) -> str:
    h = hashlib.sha256(json.dumps(columns).encode())
    for row in rows:
        h.update(json.dumps(row, sort_keys=True, separators=(",", ":")).encode())
        h.update(b"\n")
    return h.hexdigest()


def table_digests() -> dict[str, dict[str, Any]]:
    """{table: {"rows": n, "sha256": ...}} over every row as stored, ephemeral tables left out."""
    out = {}
    for table, pk in _tables().items():
        columns, rows = read_table(table, pk)
        out[table] = {"rows": len(rows), "sha256": _digest(columns, rows)}
    return out


def _applied_migrations(cur: Any = None) -> list[str]:
    if cur is not None:
        cur.execute("SELECT app, name FROM django_migrations")
        return sorted(f"{a}.{n}" for a, n in cur.fetchall())
    return sorted(f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations())


# ------------------------------------------------------------------ keys


@dataclass
class _Key:
    key: bytes
    header: dict[str, Any]


def _passphrase() -> str:
    return env_str("NEARER_BACKUP_PASSPHRASE", "")


def _new_key() -> _Key:
    phrase = _passphrase()
    if phrase:
        salt = os.urandom(16)
        key = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(phrase.encode())
        return _Key(key, {"kdf": "scrypt", "salt": base64.b64encode(salt).decode(), "n": 2**15, "r": 8, "p": 1})
    from nearer.privacy.crypto import key_ring

    ring = key_ring()
    salt = os.urandom(16)
    return _Key(_hkdf(ring.keys[ring.active_id], salt), {"kdf": "hkdf-keyring", "kid": ring.active_id,
                                                         "salt": base64.b64encode(salt).decode()})


def _hkdf(secret: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"nearer-backup-v1").derive(secret)


def _key_for(header: dict[str, Any]) -> bytes:
    salt = base64.b64decode(header["salt"])
    if header.get("kdf") == "scrypt":
        phrase = _passphrase()
        if not phrase:
            raise BackupError("This backup was made with a passphrase: set NEARER_BACKUP_PASSPHRASE.")
        return Scrypt(salt=salt, length=32, n=int(header["n"]), r=int(header["r"]), p=int(header["p"])).derive(phrase.encode())
    if header.get("kdf") == "hkdf-keyring":
        from nearer.privacy.crypto import key_ring

        secret = key_ring().keys.get(str(header.get("kid")))
        if secret is None:
            raise BackupError(f"This backup needs key {header.get('kid')!r} in NEARER_ENCRYPTION_KEYS.")
        return _hkdf(secret, salt)
    raise BackupError("Unknown key derivation in the backup header.")


# ------------------------------------------------------------------ backup / restore


def make_backup() -> tuple[bytes, dict[str, Any]]:
    """The encrypted archive and a summary (table and row counts)."""
    tables: dict[str, Any] = {}
    wanted = _tables()
    with _snapshot() as cur:
        for table, pk in wanted.items():
            columns, rows = read_table(table, pk, cur)
            tables[table] = {"pk": pk, "columns": columns, "rows": rows, "sha256": _digest(columns, rows)}
        migrations = _applied_migrations(cur)
    payload = {
        "format": 1,
        "vendor": connection.vendor,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "migrations": migrations,
        "tables": tables,
    }
    key = _new_key()
    nonce = os.urandom(12)
    header = {**key.header, "cipher": "AES-256-GCM", "nonce": base64.b64encode(nonce).decode(), "vendor": connection.vendor}
    header_line = json.dumps(header, sort_keys=True).encode() + b"\n"
    sealed = AESGCM(key.key).encrypt(nonce, gzip.compress(json.dumps(payload).encode(), 6), MAGIC + header_line)
    summary = {"tables": len(tables), "rows": sum(len(t["rows"]) for t in tables.values())}
    return MAGIC + header_line + sealed, summary


def open_backup(blob: bytes) -> dict[str, Any]:
    if not blob.startswith(MAGIC):
        raise BackupError("This is not a Nearer backup file.")
    rest = blob[len(MAGIC):]
    header_line, _, sealed = rest.partition(b"\n")
    try:
        header = json.loads(header_line)
    except ValueError:
        raise BackupError("The backup header is damaged.") from None
    key = _key_for(header)
    try:
        plain = AESGCM(key).decrypt(base64.b64decode(header["nonce"]), sealed, MAGIC + header_line + b"\n")
    except InvalidTag:
        raise BackupError("The backup could not be decrypted: wrong key or passphrase, or the file is damaged.") from None
    payload: dict[str, Any] = json.loads(gzip.decompress(plain))
    return payload


def _user_rows() -> int:
    from django.contrib.auth import get_user_model

    return int(get_user_model().objects.count())


def restore_backup(blob: bytes, *, force: bool = False) -> dict[str, Any]:
    """Restore into this (migrated, empty) database; verify every table digest afterwards."""
    payload = open_backup(blob)
    if payload.get("vendor") != connection.vendor:
        raise BackupError(f"This backup is from {payload.get('vendor')}; restore it into the same kind of database.")
    if payload.get("migrations") != _applied_migrations():
        raise BackupError("The database's migrations differ from the backup's: install the same version, "
                          "migrate, restore, then upgrade.")
    if _user_rows() and not force:
        raise BackupError("The database already has accounts; restore only into an empty database (or pass --force).")
    here = _tables()
    # Backups written before ephemeral tables were left out still carry sessions: never restore them.
    tables: dict[str, Any] = {t: d for t, d in payload["tables"].items() if t not in EPHEMERAL_TABLES}
    unknown = sorted(set(tables) - set(here))
    if unknown:
        raise BackupError(f"The backup has tables this database lacks: {', '.join(unknown)}")
    with connection.constraint_checks_disabled():
        with transaction.atomic():
            wipe(list(_tables(ephemeral=True)))
            for table, data in tables.items():
                cols = data["columns"]
                if not data["rows"]:
                    continue
                sql = (f"INSERT INTO {_q(table)} ({', '.join(_q(c) for c in cols)}) "  # noqa: S608
                       f"VALUES ({', '.join(['%s'] * len(cols))})")
                with connection.cursor() as cur:
                    cur.executemany(sql, [[_param(v) for v in row] for row in data["rows"]])
            connection.check_constraints(table_names=list(tables))
            _reset_sequences()
    after = table_digests()
    bad = sorted(t for t, d in tables.items() if after[t]["sha256"] != d["sha256"])
    if bad:
        raise BackupError(f"After restore these tables differ from the backup: {', '.join(bad)}")
    from django.core.cache import cache

    cache.clear()
    return {"tables": len(tables), "rows": sum(len(t["rows"]) for t in tables.values())}


def wipe(tables: list[str]) -> None:
    """Delete every row of ``tables`` (foreign keys are deferred or disabled by the caller)."""
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f"DELETE FROM {_q(table)}")  # noqa: S608 - names come from the model registry


def _reset_sequences() -> None:
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
