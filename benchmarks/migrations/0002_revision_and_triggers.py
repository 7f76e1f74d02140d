"""The benchmark revision: one row that database triggers bump whenever a benchmark input changes.

The inputs: who takes part (benchmarks_participation), an organisation's kind, population or
region, and submitted assessments (a submit, a reopen, a delete). Triggers, not signals or
service calls, so that no write path (the admin, a raw update, a restore) can change what a
benchmark shows without changing the key its cached figures are kept under.
"""

from django.db import migrations, models

UPSERT = {
    "postgresql": (
        "INSERT INTO benchmarks_revision (id, counter, epoch) "
        "VALUES (1, 1, md5(random()::text || clock_timestamp()::text)) "
        "ON CONFLICT (id) DO UPDATE SET counter = benchmarks_revision.counter + 1"
    ),
    "sqlite": (
        "INSERT INTO benchmarks_revision (id, counter, epoch) "
        "VALUES (1, 1, lower(hex(randomblob(16)))) "
        "ON CONFLICT (id) DO UPDATE SET counter = counter + 1"
    ),
}
DIFFERS = {"postgresql": "IS DISTINCT FROM", "sqlite": "IS NOT"}

# (trigger, event, table, condition)
TRIGGERS = [
    ("benchmarks_participation_inserted", "INSERT", "benchmarks_participation", ""),
    ("benchmarks_participation_updated", "UPDATE", "benchmarks_participation", ""),
    ("benchmarks_participation_deleted", "DELETE", "benchmarks_participation", ""),
    (
        "benchmarks_organisation_updated",
        "UPDATE",
        "assessments_organisation",
        "OLD.kind {differs} NEW.kind OR OLD.population {differs} NEW.population "
        "OR OLD.region {differs} NEW.region",
    ),
    ("benchmarks_assessment_inserted", "INSERT", "assessments_assessment", "NEW.status = 'submitted'"),
    (
        "benchmarks_assessment_updated",
        "UPDATE",
        "assessments_assessment",
        "OLD.status = 'submitted' OR NEW.status = 'submitted'",
    ),
    ("benchmarks_assessment_deleted", "DELETE", "assessments_assessment", "OLD.status = 'submitted'"),
]


def _statements(vendor: str) -> list[str]:
    if vendor not in UPSERT:
        raise NotImplementedError(f"Benchmark revision triggers are written for {sorted(UPSERT)}.")
    statements = []
    if vendor == "postgresql":
        statements.append(
            "CREATE OR REPLACE FUNCTION benchmarks_bump_revision() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {UPSERT[vendor]}; RETURN NULL; END $$"
        )
    for name, event, table, condition in TRIGGERS:
        when = f"WHEN ({condition.format(differs=DIFFERS[vendor])})" if condition else ""
        if vendor == "postgresql":
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {when} "
                "EXECUTE FUNCTION benchmarks_bump_revision()"
            )
        else:
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {when} "
                f"BEGIN {UPSERT[vendor]}; END"
            )
    # The data already there counts as one change: the row exists from now on.
    statements.append(UPSERT[vendor])
    return statements


def create_triggers(apps, schema_editor) -> None:
    for statement in _statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for name, _event, table, _condition in TRIGGERS:
        on = f" ON {table}" if vendor == "postgresql" else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS benchmarks_bump_revision()")


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0003_labels_and_constraint_messages"),
        ("benchmarks", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Revision",
            fields=[
                ("id", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("counter", models.BigIntegerField(default=0)),
                ("epoch", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
