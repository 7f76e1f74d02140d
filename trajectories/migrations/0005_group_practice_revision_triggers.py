"""The organisation revision also counts what a report shows of its groups: the practices that
members of its trajectories share, who takes part, and the names shown beside a practice.

A submitted assessment's report page shows, with its advice, the practices of the groups its
organisation takes part in (`trajectories.selectors.practices_for_advice`): their title and
criterion, the sharing organisation's name and the trajectory's name. The page's cached
sections are keyed on the organisation revision (`reports.page`), so every write that changes
any of that bumps the revision of every organisation of the trajectory concerned: a practice
shared, changed or withdrawn; a member invited, joining, leaving or removed; a trajectory
renamed; an organisation renamed (in the trajectories it belongs to). Triggers, as in 0004, so
no write path (the admin, a bulk update, a raw update) can leave a cached report stale.
"""

from django.db import migrations

# Every SQL string below is made of this module's constants (table names, NEW and OLD): no input
# reaches it, hence the S608 exemptions.

TABLE = "trajectories_organisationrevision"
MEMBERS = "trajectories_trajectorymember"

# What a changed row of each table bumps: the organisations of the trajectories it belongs to
# (the inside of `trajectory_id IN (…)`, over the row NEW or OLD) and the organisation of the
# row itself, which a member that is deleted no longer lists (SQL over the row, or None).
AFFECTED = {
    "trajectories_practice": (
        lambda row: f"SELECT trajectory_id FROM {MEMBERS} WHERE id = {row}.member_id",  # noqa: S608
        None,
    ),
    MEMBERS: (lambda row: f"{row}.trajectory_id", lambda row: f"{row}.organisation_id"),
    "trajectories_trajectory": (lambda row: f"{row}.id", None),
    "assessments_organisation": (
        lambda row: f"SELECT trajectory_id FROM {MEMBERS} WHERE organisation_id = {row}.id",  # noqa: S608
        lambda row: f"{row}.id",
    ),
}
EVERY_CHANGE = (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",)))
RENAMED = "OLD.name <> NEW.name"
# (trigger, event, table, rows, condition)
TRIGGERS = [
    *(
        (f"trajectories_practice_{event.lower()}", event, "trajectories_practice", rows, "")
        for event, rows in EVERY_CHANGE
    ),
    *(
        (f"trajectories_member_{event.lower()}", event, MEMBERS, rows, "")
        for event, rows in EVERY_CHANGE
    ),
    ("trajectories_trajectory_rename", "UPDATE", "trajectories_trajectory", ("NEW",), RENAMED),
    ("trajectories_organisation_rename", "UPDATE", "assessments_organisation", ("NEW",), RENAMED),
]


def _organisations(table: str, rows: tuple[str, ...]) -> str:
    """The organisations whose revision the change bumps, each once (UNION)."""
    trajectories, itself = AFFECTED[table]
    parts = [
        f"SELECT organisation_id AS id FROM {MEMBERS} WHERE trajectory_id IN ({trajectories(row)})"  # noqa: S608
        for row in rows
    ]
    if itself is not None:
        parts += [f"SELECT {itself(row)}" for row in rows]
    return " UNION ".join(parts)


def _upsert(vendor: str, organisations: str) -> str:
    if vendor == "postgresql":
        return (
            f"INSERT INTO {TABLE} (organisation_id, counter, epoch) "  # noqa: S608
            "SELECT id, 1, md5(random()::text || clock_timestamp()::text) "
            f"FROM ({organisations}) AS changed "
            f"ON CONFLICT (organisation_id) DO UPDATE SET counter = {TABLE}.counter + 1"
        )
    # SQLite: "WHERE true" tells its parser the ON CONFLICT belongs to the INSERT, not a join.
    return (
        f"INSERT INTO {TABLE} (organisation_id, counter, epoch) "  # noqa: S608
        f"SELECT id, 1, lower(hex(randomblob(16))) FROM ({organisations}) WHERE true "
        "ON CONFLICT (organisation_id) DO UPDATE SET counter = counter + 1"
    )


def _statements(vendor: str) -> list[str]:
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(
            "Organisation revision triggers are written for PostgreSQL and SQLite."
        )
    statements = []
    for name, event, table, rows, condition in TRIGGERS:
        upsert = _upsert(vendor, _organisations(table, rows))
        when = f"WHEN ({condition})" if condition else ""
        if vendor == "postgresql":
            statements.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {upsert}; RETURN NULL; END $$"
            )
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {when} "
                f"EXECUTE FUNCTION {name}()"
            )
        else:
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {when} "
                f"BEGIN {upsert}; END"
            )
    return statements


def create_triggers(apps, schema_editor) -> None:
    for statement in _statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for name, _event, table, *_rest in TRIGGERS:
        on = f" ON {table}" if vendor == "postgresql" else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")
        if vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0004_organisation_revision_and_triggers"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
