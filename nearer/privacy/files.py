"""Files that hold personal data or keys are readable by their owner only (0600), from birth.

The SQLite database (and its -wal/-shm companions) and the generated development key file are
created with mode 0600 inside a 0700 folder, and an existing file with wider modes is narrowed the
next time Nearer opens it. Creating the file ourselves first closes the window in which the
process umask (usually 022) would leave a new database world-readable.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

OWNER_ONLY = 0o600
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def create_owner_only(path: Path, text: str | None = None) -> None:
    """Create ``path`` with mode 0600 (no-op when it exists); write ``text`` when given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        if text is not None:
            fh.write(text)
    os.chmod(path, OWNER_ONLY)  # the umask may have narrowed further; never wider


def narrow(path: Path) -> None:
    """Take group and other permissions away from an existing file."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & 0o077:
        os.chmod(path, mode & 0o700)


def sqlite_path(settings_dict: dict[str, object]) -> Path | None:
    name = str(settings_dict.get("NAME") or "")
    if settings_dict.get("ENGINE") != "django.db.backends.sqlite3" or not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def prepare_sqlite(settings_dict: dict[str, object]) -> None:
    """Before the first connection: create the database file 0600 so SQLite never creates it wider."""
    path = sqlite_path(settings_dict)
    if path is None:
        return
    create_owner_only(path)
    secure_sqlite(path)


def secure_sqlite(path: Path) -> None:
    for suffix in SQLITE_COMPANIONS:
        narrow(Path(str(path) + suffix))


def on_connection_created(sender: object, connection: object, **kwargs: object) -> None:
    path = sqlite_path(getattr(connection, "settings_dict", {}))
    if path is not None:
        secure_sqlite(path)
