"""Encrypted backups of the whole database and their restore.

Format (one file)::

    b"NEARER-BACKUP-1\\n" + header JSON line + AES-256-GCM(gzip(JSON payload))

The header (authenticated as associated data, not secret) says how the sealing key was derived:
from ``NEARER_BACKUP_PASSPHRASE`` with scrypt and a random salt, from ``NEARER_BACKUP_KEY`` with HKDF,
or, when neither is set, from the key-ring key named ``kid`` with HKDF; and which data-key ids the
backup carries. The payload holds every table's rows exactly as stored (encrypted text stays
encrypted), a SHA-256 digest per table, and a copy of every data key its values were written with,
so the backup still opens and decrypts after key rotation retired those keys. Sessions and other
ephemeral tables are left out.

The rows come from one consistent snapshot (see ``_snapshot``). Restore inserts them into an empty,
migrated database of the same engine and the same migrations, checks every digest, and re-encrypts
values whose keys today's ring no longer holds under today's active key, all in one transaction.

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
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from nearer.env import env_str
from nearer.privacy.crypto import DecryptionError, KeyRing, key_ring, parse_key_ring

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
            lite = copy.cursor()
            try:
                yield lite
            finally:
                lite.close()
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


def _backup_ring() -> KeyRing | None:
    """``NEARER_BACKUP_KEY``: a key ring of its own for sealing backups (``id:base64``, first seals).

    Key rotation (``nearer rotate-keys``) never touches it, so backups sealed with it stay readable
    after the data keys they hold were retired from ``NEARER_ENCRYPTION_KEYS``.
    """
    spec = env_str("NEARER_BACKUP_KEY", "").strip()
    if not spec:
        return None
    try:
        return parse_key_ring(spec)
    except ImproperlyConfigured as exc:
        raise BackupError(str(exc).replace("NEARER_ENCRYPTION_KEYS", "NEARER_BACKUP_KEY")) from None


def sealing() -> str:
    """How a backup made now would be sealed: ``passphrase``, ``backup-key`` or ``key-ring``."""
    if _passphrase():
        return "passphrase"
    if env_str("NEARER_BACKUP_KEY", "").strip():
        return "backup-key"
    return "key-ring"


def _new_key(*, allow_key_ring: bool = True) -> _Key:
    phrase = _passphrase()
    salt = os.urandom(16)
    b64salt = base64.b64encode(salt).decode()
    if phrase:
        key = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(phrase.encode())
        return _Key(key, {"kdf": "scrypt", "salt": b64salt, "n": 2**15, "r": 8, "p": 1})
    bring = _backup_ring()
    if bring is not None:
        return _Key(_hkdf(bring.keys[bring.active_id], salt), {"kdf": "hkdf-backup-key", "bkid": bring.active_id,
                                                               "salt": b64salt})
    if not allow_key_ring:
        raise BackupError("Set NEARER_BACKUP_KEY (`nearer backup --generate-key` prints one) or "
                          "NEARER_BACKUP_PASSPHRASE: a backup sealed with the encryption key ring becomes "
                          "unreadable when that key is retired.")
    ring = key_ring()
    return _Key(_hkdf(ring.keys[ring.active_id], salt), {"kdf": "hkdf-keyring", "kid": ring.active_id,
                                                         "salt": b64salt})


def _hkdf(secret: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"nearer-backup-v1").derive(secret)


def _key_for(header: dict[str, Any]) -> bytes:
    salt = base64.b64decode(header["salt"])
    if header.get("kdf") == "scrypt":
        phrase = _passphrase()
        if not phrase:
            raise BackupError("This backup was made with a passphrase: set NEARER_BACKUP_PASSPHRASE.")
        return Scrypt(salt=salt, length=32, n=int(header["n"]), r=int(header["r"]), p=int(header["p"])).derive(phrase.encode())
    if header.get("kdf") == "hkdf-backup-key":
        bring = _backup_ring()
        secret = bring.keys.get(str(header.get("bkid"))) if bring else None
        if secret is None:
            raise BackupError(f"This backup was sealed with backup key {header.get('bkid')!r}: "
                              "put it in NEARER_BACKUP_KEY.")
        return _hkdf(secret, salt)
    if header.get("kdf") == "hkdf-keyring":
        secret = key_ring().keys.get(str(header.get("kid")))
        if secret is None:
            raise BackupError(f"This backup needs key {header.get('kid')!r} in NEARER_ENCRYPTION_KEYS "
                              "(it was sealed with the key ring).")
        return _hkdf(secret, salt)
    raise BackupError("Unknown key derivation in the backup header.")


# ------------------------------------------------------------------ data keys carried in a backup

_KID = re.compile(r"enc1:([^:\s\\\",]+):")


def data_key_ids(payload: dict[str, Any]) -> set[str]:
    """Ids of the key-ring keys the encrypted values in ``payload`` were written with."""
    found: set[str] = set()
    for data in payload["tables"].values():
        for row in data["rows"]:
            for v in row:
                text = v.get("$j") if isinstance(v, dict) else v
                if isinstance(text, str) and "enc1:" in text:
                    found.update(_KID.findall(text))
    return found


def _carried_keys(payload: dict[str, Any]) -> dict[str, bytes]:
    return {kid: base64.b64decode(b64) for kid, b64 in (payload.get("data_keys") or {}).items()}


def _ring_for(payload: dict[str, Any]) -> tuple[KeyRing, set[str], set[str]]:
    """The key ring that reads ``payload``: today's keys, plus those the backup carries.

    Returns the ring (today's active key first), the key ids whose values must be re-encrypted
    under today's active key on restore (not in today's ring, or a different key under that id), and
    the key ids nobody has.
    """
    ring = key_ring()
    carried = _carried_keys(payload)
    used = data_key_ids(payload)
    keys = dict(ring.keys)
    rewrap: set[str] = set()
    for kid, key in carried.items():
        if ring.keys.get(kid) != key:
            keys[kid] = key
            rewrap.add(kid)
    if ring.active_id in rewrap:  # today's active key must encrypt; give the carried one another id
        raise BackupError(f"The backup carries a different key under today's active key id {ring.active_id!r}.")
    missing = {kid for kid in used if kid not in keys}
    return KeyRing(active_id=ring.active_id, keys=keys), rewrap & used, missing


def _encrypted_columns() -> dict[str, list[tuple[str, bytes]]]:
    """{table: [(column, associated data)]} for every encrypted column, MFA secrets included."""
    from nearer.accounts.adapter import _MFA_AAD
    from nearer.privacy.fields import encrypted_fields

    out: dict[str, list[tuple[str, bytes]]] = {}
    for model in apps.get_models():
        for field in encrypted_fields(model):
            out.setdefault(model._meta.db_table, []).append((field.column, field.aad()))
    out.setdefault("mfa_authenticator", []).append(("data", _MFA_AAD))
    return out


def _encrypted_values(payload: dict[str, Any]) -> Iterator[tuple[str, str, bytes]]:
    """(table, stored value, associated data) for every encrypted value in the payload."""
    for table, cols in _encrypted_columns().items():
        data = payload["tables"].get(table)
        if not data:
            continue
        for column, aad in cols:
            if column not in data["columns"]:
                continue
            i = data["columns"].index(column)
            for row in data["rows"]:
                v = row[i]
                if isinstance(v, dict) and "$j" in v:  # MFA data: a JSON object with encrypted members
                    obj = json.loads(v["$j"])
                    for item in (obj.values() if isinstance(obj, dict) else []):
                        if isinstance(item, str) and item.startswith("enc1:"):
                            yield table, item, aad
                elif isinstance(v, str) and v.startswith("enc1:"):
                    yield table, v, aad


# ------------------------------------------------------------------ backup / restore


def _seal(payload: dict[str, Any], *, allow_key_ring: bool = True) -> bytes:
    key = _new_key(allow_key_ring=allow_key_ring)
    nonce = os.urandom(12)
    header = {**key.header, "cipher": "AES-256-GCM", "nonce": base64.b64encode(nonce).decode(),
              "vendor": payload.get("vendor"), "format": 2,
              # Which data keys the backup carries (ids only; the keys are inside, sealed).
              "data_keys": sorted(payload.get("data_keys") or {})}
    header_line = json.dumps(header, sort_keys=True).encode() + b"\n"
    sealed = AESGCM(key.key).encrypt(nonce, gzip.compress(json.dumps(payload).encode(), 6), MAGIC + header_line)
    return MAGIC + header_line + sealed


def _carry_keys(payload: dict[str, Any]) -> list[str]:
    """Put a copy of every data key the payload's values use into it; returns ids nobody has."""
    ring = key_ring()
    carried = payload.setdefault("data_keys", {})
    missing = []
    for kid in sorted(data_key_ids(payload)):
        if kid in carried:
            continue
        if kid in ring.keys:
            carried[kid] = base64.b64encode(ring.keys[kid]).decode()
        else:
            missing.append(kid)
    return missing


def make_backup() -> tuple[bytes, dict[str, Any]]:
    """The encrypted archive and a summary (table and row counts, how it is sealed)."""
    tables: dict[str, Any] = {}
    wanted = _tables()
    with _snapshot() as cur:
        for table, pk in wanted.items():
            columns, rows = read_table(table, pk, cur)
            tables[table] = {"pk": pk, "columns": columns, "rows": rows, "sha256": _digest(columns, rows)}
        migrations = _applied_migrations(cur)
    payload: dict[str, Any] = {
        "format": 2,
        "vendor": connection.vendor,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "migrations": migrations,
        "tables": tables,
        "data_keys": {},
    }
    missing = _carry_keys(payload)
    blob = _seal(payload)
    summary = {"tables": len(tables), "rows": sum(len(t["rows"]) for t in tables.values()),
               "sealing": sealing(), "data_keys": sorted(payload["data_keys"]), "missing_keys": missing}
    return blob, summary


def read_header(blob: bytes) -> dict[str, Any]:
    """The backup's plain header (how it is sealed, which data keys it carries); no key needed."""
    if not blob.startswith(MAGIC):
        raise BackupError("This is not a Nearer backup file.")
    header_line = blob[len(MAGIC):].partition(b"\n")[0]
    try:
        header: dict[str, Any] = json.loads(header_line)
    except ValueError:
        raise BackupError("The backup header is damaged.") from None
    if not isinstance(header, dict) or "salt" not in header or "nonce" not in header:
        raise BackupError("The backup header is damaged.")
    return header


def open_backup(blob: bytes) -> dict[str, Any]:
    header = read_header(blob)
    header_line, _, sealed = blob[len(MAGIC):].partition(b"\n")
    key = _key_for(header)
    try:
        plain = AESGCM(key).decrypt(base64.b64decode(header["nonce"]), sealed, MAGIC + header_line + b"\n")
    except InvalidTag:
        raise BackupError("The backup could not be decrypted: wrong key or passphrase, or the file is damaged.") from None
    payload: dict[str, Any] = json.loads(gzip.decompress(plain))
    return payload


def check_backup(blob: bytes) -> dict[str, Any]:
    """Verify a backup without restoring it (``nearer restore --check``).

    Opens it, recomputes every table's digest, and decrypts every encrypted value with the data
    keys the backup carries plus today's key ring. ``ok`` is true when all of that holds;
    ``problems`` says what does not, in words safe to print (no values, no keys).
    """
    header = read_header(blob)
    payload = open_backup(blob)
    problems: list[str] = []
    bad = sorted(t for t, d in payload["tables"].items() if _digest(d["columns"], d["rows"]) != d["sha256"])
    if bad:
        problems.append(f"tables whose rows do not match their digest: {', '.join(bad)}")
    ring, _rewrap, missing = _ring_for(payload)
    if missing:
        problems.append(f"values were written with keys nobody has: {', '.join(sorted(missing))}")
    values = failed = 0
    for _table, stored, aad in _encrypted_values(payload):
        values += 1
        if KeyRing.key_id_of(stored) in missing:
            failed += 1
            continue
        try:
            ring.decrypt(stored, aad)
        except DecryptionError:
            failed += 1
    if failed:
        problems.append(f"{failed} of {values} encrypted values do not decrypt")
    carried = set(payload.get("data_keys") or {})
    used = data_key_ids(payload)
    return {
        "ok": not problems,
        "problems": problems,
        "created_at": payload.get("created_at"),
        "vendor": payload.get("vendor"),
        "tables": len(payload["tables"]),
        "rows": sum(len(t["rows"]) for t in payload["tables"].values()),
        "encrypted_values": values,
        "sealed_with": {"scrypt": "passphrase", "hkdf-backup-key": "backup-key"}.get(header.get("kdf", ""), "key-ring"),
        "data_keys_used": sorted(used),
        "self_contained": used <= carried and header.get("kdf") != "hkdf-keyring",
        "same_migrations": payload.get("migrations") == _applied_migrations(),
    }


def rekey_backup(blob: bytes) -> tuple[bytes, dict[str, Any]]:
    """The same backup, carrying every data key it uses and sealed with the backup key or passphrase.

    Opens ``blob`` with whatever opens it today (key ring, passphrase or backup key), so run it
    while the keys being retired are still in ``NEARER_ENCRYPTION_KEYS``.
    """
    payload = open_backup(blob)
    missing = _carry_keys(payload)
    if missing:
        raise BackupError(f"Values in this backup were written with keys not in NEARER_ENCRYPTION_KEYS: "
                          f"{', '.join(missing)}. Add them back, then re-key.")
    payload["format"] = 2
    return _seal(payload, allow_key_ring=False), {"data_keys": sorted(payload["data_keys"]), "sealing": sealing()}


def _user_rows() -> int:
    from django.contrib.auth import get_user_model

    return int(get_user_model().objects.count())


def restore_backup(blob: bytes, *, force: bool = False) -> dict[str, Any]:
    """Restore into this (migrated, empty) database; verify every table digest afterwards.

    Values written with data keys that today's key ring no longer holds are decrypted with the
    copies the backup carries and re-encrypted under today's active key, in the same transaction.
    """
    payload = open_backup(blob)
    if payload.get("vendor") != connection.vendor:
        raise BackupError(f"This backup is from {payload.get('vendor')}; restore it into the same kind of database.")
    if payload.get("migrations") != _applied_migrations():
        raise BackupError("The database's migrations differ from the backup's: install the same version, "
                          "migrate, restore, then upgrade.")
    if _user_rows() and not force:
        raise BackupError("The database already has accounts; restore only into an empty database (or pass --force).")
    ring, rewrap, missing = _ring_for(payload)
    if missing:
        raise BackupError(f"Values in this backup were written with keys that neither the backup nor "
                          f"NEARER_ENCRYPTION_KEYS holds: {', '.join(sorted(missing))}. Add them to "
                          "NEARER_ENCRYPTION_KEYS (after the active key) and restore again.")
    here = _tables()
    # Backups written before ephemeral tables were left out still carry sessions: never restore them.
    tables: dict[str, Any] = {t: d for t, d in payload["tables"].items() if t not in EPHEMERAL_TABLES}
    unknown = sorted(set(tables) - set(here))
    if unknown:
        raise BackupError(f"The backup has tables this database lacks: {', '.join(unknown)}")
    rewrapped = 0
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
            if rewrap:
                from nearer.privacy.rotation import rotate_all

                report = rotate_all(ring=ring, only_kids=rewrap)
                if report.failures:
                    raise BackupError(f"{report.failures} encrypted values could not be re-encrypted; nothing was restored.")
                rewrapped = report.rewritten
    from django.core.cache import cache

    cache.clear()
    return {"tables": len(tables), "rows": sum(len(t["rows"]) for t in tables.values()), "rewrapped": rewrapped}


# ------------------------------------------------------------------ the backup folder


def backup_dir() -> Path:
    from django.conf import settings

    return Path(settings.NEARER_BACKUP_DIR)


def backups_needing_keys(retiring: set[str] | None = None) -> list[tuple[Path, str]]:
    """Backups in the backup folder that would become unreadable when ``retiring`` keys go.

    ``retiring`` defaults to every key in the ring except the active one (what ``rotate-keys``
    retires). Returns (file, reason) pairs; reasons name key ids, never keys.
    """
    ring = key_ring()
    retiring = set(ring.keys) - {ring.active_id} if retiring is None else retiring
    out: list[tuple[Path, str]] = []
    folder = backup_dir()
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.backup")):
        try:
            with path.open("rb") as fh:
                head = fh.read(len(MAGIC) + 4096)
            header = read_header(head)
        except (OSError, BackupError):
            continue
        if header.get("kdf") == "hkdf-keyring" and header.get("kid") in retiring:
            out.append((path, f"sealed with key {header.get('kid')!r}"))
        elif header.get("format") != 2:
            out.append((path, "carries no copy of the data keys its values use"))
    return out

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
