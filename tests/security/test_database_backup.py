"""`make backup` / `make restore` (maturity/database_backup.py): nothing lost after a crash.

The database with the demo data is backed up (pg_dump custom format on PostgreSQL, SQLite's
online backup API on SQLite), wiped, restored, and every table's row count and a checksum of the
answers and the stored results must be what they were. Runs on both databases (DATABASE_URL).
"""

import hashlib
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from assessments.models import Answer, Assessment, Evidence
from assessments.services.evidence import evidence_storage

pytestmark = pytest.mark.django_db(transaction=True)


def table_counts() -> dict[str, int]:
    """Every table of every installed model, with its number of rows."""
    tables = sorted({model._meta.db_table for model in apps.get_models()})
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def checksum() -> str:
    """A digest of every answer and every stored result, in a fixed order."""
    answers = list(
        Answer.objects.order_by("pk").values_list(
            "pk", "assessment_id", "criterion_id", "value", "comment", "revision"
        )
    )
    results = list(
        Assessment.objects.order_by("pk").values_list("pk", "status", "maturity_index", "result")
    )
    text = json.dumps([answers, results], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def test_backup_wipe_restore_gives_back_every_row(tmp_path):
    call_command("load_default_model", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    before = (table_counts(), checksum())
    assert before[0]["assessments_answer"] > 100  # the demo data is really there

    stored = sorted(Evidence.objects.filter(kind="file").values_list("stored_name", flat=True))
    assert stored  # the demo's evidence files

    call_command("backup_database", str(tmp_path), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    for name in stored:
        evidence_storage().delete(name)
    assert table_counts()["assessments_answer"] == 0
    call_command("restore_database", str(tmp_path), verbosity=0)

    assert (table_counts(), checksum()) == before
    assert all(evidence_storage().exists(name) for name in stored)


def test_a_restore_without_a_backup_says_so(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"No .* backup in"):
        call_command("restore_database", str(tmp_path), verbosity=0)
