"""The organisation revision: a row per organisation that database triggers bump whenever the
data a group board shows of it changes (its actions, its submitted assessments).

Triggers, not signals or service calls, as for the benchmark revision
(benchmarks/migrations/0002): no write path (the admin, a bulk create, a raw update, a restore)
can change what a board shows without changing the key its cached copy is kept under.
"""

from django.db import migrations, models

TABLE = "trajectories_organisationrevision"
UPSERT = {
    "postgresql": (
        f"INSERT INTO {TABLE} (organisation_id, counter, epoch) "
        "SELECT id, 1, md5(random()::text || clock_timestamp()::text) "
        "FROM (SELECT DISTINCT unnest(ids) AS id) AS changed "
        f"ON CONFLICT (organisation_id) DO UPDATE SET counter = {TABLE}.counter + 1"
    ),
    "sqlite": (
        f"INSERT INTO {TABLE} (organisation_id, counter, epoch) "
        "VALUES ({row}.organisation_id, 1, lower(hex(randomblob(16)))) "
        "ON CONFLICT (organisation_id) DO UPDATE SET counter = counter + 1"
    ),
}
SUBMITTED = {
    "INSERT": "NEW.status = 'submitted'",
    "UPDATE": "OLD.status = 'submitted' OR NEW.status = 'submitted'",
    "DELETE": "OLD.status = 'submitted'",
}
# (trigger, event, table, condition): every change of an action; of a submitted assessment.
TRIGGERS = [
    *(
        (f"trajectories_action_{event.lower()}", event, "actions_action", "")
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
    *(
        (f"trajectories_assessment_{event.lower()}", event, "assessments_assessment", condition)
        for event, condition in SUBMITTED.items()
    ),
]
# The rows a trigger bumps: an update counts for the organisation before and after.
ROWS = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}

POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION trajectories_bump_organisation_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE ids bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN ids := ARRAY[NEW.organisation_id];
  ELSIF TG_OP = 'DELETE' THEN ids := ARRAY[OLD.organisation_id];
  ELSE ids := ARRAY[OLD.organisation_id, NEW.organisation_id];
  END IF;
  {UPSERT["postgresql"]};
  RETURN NULL;
END $$
"""


def _statements(vendor: str) -> list[str]:
    if vendor not in UPSERT:
        raise NotImplementedError(f"Organisation revision triggers are written for {sorted(UPSERT)}.")
    statements = [POSTGRESQL_FUNCTION] if vendor == "postgresql" else []
    for name, event, table, condition in TRIGGERS:
        when = f"WHEN ({condition})" if condition else ""
        if vendor == "postgresql":
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {when} "
                "EXECUTE FUNCTION trajectories_bump_organisation_revision()"
            )
        else:
            body = " ".join(f"{UPSERT[vendor].format(row=row)};" for row in ROWS[event])
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {when} "
                f"BEGIN {body} END"
            )
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
        schema_editor.execute("DROP FUNCTION IF EXISTS trajectories_bump_organisation_revision()")


class Migration(migrations.Migration):

    dependencies = [
        ("actions", "0002_mail_preference"),
        ("assessments", "0012_organisation_require_mfa"),
        ("trajectories", "0003_agenda_render"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrganisationRevision",
            fields=[
                ("organisation_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("counter", models.BigIntegerField(default=0)),
                ("epoch", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
