"""The whole database and the stored files to one directory, and back: `make backup`/`restore`.

PostgreSQL: `pg_dump --format=custom` (any size, restored with `pg_restore --clean`), so the
PostgreSQL client tools of the server's major version must be installed. SQLite: Python's online
backup API (`sqlite3.Connection.backup`), a consistent copy while the app keeps running. The
stored files (`MEDIA_ROOT`, when set, and the evidence folder) are copied beside it. A restore
replaces the database and the files completely: stop the app servers first. Unlike
`manage.py backup` (JSON of the app's data, for another PostgreSQL version or another
database), this is exact and fast.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections

DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
FILES_DIRECTORY = "files"
# The evidence files behind answers, when they are on disk (`STORAGES["evidence"]`).
EVIDENCE_DIRECTORY = "evidence-files"


class BackupError(Exception):
    """A backup or restore could not be made; the message says why."""


def _connection_url(settings_dict: dict) -> str:
    """The libpq connection string of a database (the password travels in the environment)."""
    parts = {
        "host": settings_dict.get("HOST") or "",
        "port": str(settings_dict.get("PORT") or ""),
        "user": settings_dict.get("USER") or "",
        "dbname": settings_dict["NAME"],
    }
    return " ".join(f"{key}={value}" for key, value in parts.items() if value)


def _run(command: list[str], settings_dict: dict) -> None:
    environment = {**os.environ, "PGPASSWORD": settings_dict.get("PASSWORD") or ""}
    # A fixed program; its arguments come from the settings and the operator's directory.
    done = subprocess.run(  # noqa: S603
        command, env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def _media_root() -> Path | None:
    root = getattr(settings, "MEDIA_ROOT", "")
    return Path(root) if root else None


def _evidence_root() -> Path | None:
    """The evidence files' folder, when they are on disk (a bucket is backed up by its own)."""
    evidence = settings.STORAGES.get("evidence", {})
    location = evidence.get("OPTIONS", {}).get("location")
    if not evidence.get("BACKEND", "").endswith("FileSystemStorage") or not location:
        return None
    return Path(location)


def database_backup(*, target: Path, alias: str = "default") -> Path:
    """Write the database (and the stored files) into the directory `target`; returns the file."""
    target.mkdir(parents=True, exist_ok=True)
    connection = connections[alias]
    vendor, settings_dict = connection.vendor, connection.settings_dict
    if vendor not in DATABASE_FILES:
        raise BackupError(f"No backup for a {vendor} database.")
    file = target / DATABASE_FILES[vendor]
    if vendor == "postgresql":
        url = _connection_url(settings_dict)
        _run(["pg_dump", "--format=custom", f"--file={file}", f"--dbname={url}"], settings_dict)
    else:
        connection.ensure_connection()
        with sqlite3.connect(file) as copy:
            connection.connection.backup(copy)
        copy.close()
    media = _media_root()
    if media is not None and media.is_dir():
        shutil.copytree(media, target / FILES_DIRECTORY, dirs_exist_ok=True)
    evidence = _evidence_root()
    if evidence is not None and evidence.is_dir():
        shutil.copytree(evidence, target / EVIDENCE_DIRECTORY, dirs_exist_ok=True)
    return file


def database_restore(*, source: Path, alias: str = "default") -> None:
    """Replace the database (and the stored files) with the backup in the directory `source`."""
    connection = connections[alias]
    vendor, settings_dict = connection.vendor, connection.settings_dict
    file = source / DATABASE_FILES.get(vendor, "")
    if vendor not in DATABASE_FILES or not file.is_file():
        raise BackupError(f"No {vendor} backup in {source}.")
    if vendor == "postgresql":
        connection.close()
        url = _connection_url(settings_dict)
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run([*command, f"--dbname={url}", str(file)], settings_dict)
    else:
        connection.ensure_connection()
        with sqlite3.connect(file) as backup:
            backup.backup(connection.connection)
        backup.close()
    media, files = _media_root(), source / FILES_DIRECTORY
    if media is not None and files.is_dir():
        shutil.rmtree(media, ignore_errors=True)
        shutil.copytree(files, media)
    evidence, evidence_files = _evidence_root(), source / EVIDENCE_DIRECTORY
    if evidence is not None and evidence_files.is_dir():
        shutil.rmtree(evidence, ignore_errors=True)
        shutil.copytree(evidence_files, evidence)
