"""Model files: export and import round-trip, the commands, and refusals that write nothing."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from maturity.model_file import MODEL_FORMAT, model_version_validate_file
from maturity.models import Criterion, ModelVersion, Phase
from maturity.services import (
    ModelImportError,
    model_version_export,
    model_version_import,
    model_version_new_draft,
)
from tests.factories import build_model_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Problems are asserted in English, the source language, whatever the catalogue holds."""
    with translation.override("en"):
        yield


def without_version_and_status(data: dict) -> dict:
    return {key: value for key, value in data.items() if key not in ("version", "status")}


def write(tmp_path, data, name="model.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def stored_rows() -> tuple[int, int, int]:
    return ModelVersion.objects.count(), Phase.objects.count(), Criterion.objects.count()


def refused_import(tmp_path, data) -> str:
    """Import `data` through the command; assert nothing was written and return the message."""
    before = stored_rows()

    with pytest.raises(CommandError) as error:
        call_command("import_model", str(write(tmp_path, data)), stdout=StringIO())

    assert stored_rows() == before
    return str(error.value)


# --- Round trip ------------------------------------------------------------------------------


def test_export_then_import_then_export_gives_the_same_model(default_model):
    first = model_version_export(version=default_model)

    imported = model_version_import(data=first)

    second = model_version_export(version=imported)
    assert without_version_and_status(second) == without_version_and_status(first)


def test_the_short_advice_titles_travel_through_export_and_import(default_model_data):
    imported = model_version_import(data=default_model_data)

    exported = model_version_export(version=imported)

    by_key = {c["key"]: c for c in exported["criteria"]}
    assert by_key["webcare-antwoordtermijn"]["advice_title"] == {
        "nl": "Een antwoordtermijn afspreken",
        "en": "Agree on a response time",
    }
    assert all(c["advice_title"]["nl"] for c in exported["criteria"])


def test_a_file_without_short_advice_titles_still_imports(default_model_data):
    for criterion in default_model_data["criteria"]:
        del criterion["advice_title"]

    imported = model_version_import(data=default_model_data)

    assert set(imported.criteria.values_list("advice_title_nl", flat=True)) == {""}


def test_a_short_advice_title_longer_than_an_action_title_allows_is_refused(default_model_data):
    default_model_data["criteria"][0]["advice_title"] = {"nl": "x" * 121}

    problems = model_version_validate_file(data=default_model_data)

    assert any("criteria[0].advice_title.nl" in problem for problem in problems)


def test_an_imported_model_is_a_new_draft_version(default_model):
    imported = model_version_import(data=model_version_export(version=default_model))

    assert (imported.slug, imported.version, imported.status) == (
        default_model.slug,
        2,
        ModelVersion.Status.DRAFT,
    )


def test_the_default_model_file_round_trips_through_the_database(default_model_data):
    imported = model_version_import(data=default_model_data)

    exported = model_version_export(version=imported)

    assert len(exported["criteria"]) == len(default_model_data["criteria"])
    assert {c["key"] for c in exported["criteria"]} == {
        c["key"] for c in default_model_data["criteria"]
    }
    assert [p["name"] for p in exported["phases"]] == [
        p["name"] for p in default_model_data["phases"]
    ]


def test_an_export_names_its_format_version_and_status(default_model):
    exported = model_version_export(version=default_model)

    assert (exported["format"], exported["version"], exported["status"]) == (
        MODEL_FORMAT,
        1,
        "published",
    )


def test_an_exported_file_passes_the_import_checks(default_model):
    assert model_version_validate_file(data=model_version_export(version=default_model)) == []


def test_a_copied_draft_exports_like_its_source():
    source = build_model_version()

    draft = model_version_new_draft(source=source)

    assert without_version_and_status(
        model_version_export(version=draft)
    ) == without_version_and_status(model_version_export(version=source))


# --- The import command ----------------------------------------------------------------------


def test_the_import_command_creates_a_draft_from_a_file(tmp_path, default_model_data):
    out = StringIO()

    call_command("import_model", str(write(tmp_path, default_model_data)), stdout=out)

    version = ModelVersion.objects.get()
    assert version.status == ModelVersion.Status.DRAFT
    assert version.criteria.count() == len(default_model_data["criteria"])
    assert f"Imported {version.slug} as draft version 1." in out.getvalue()


def test_importing_the_same_file_twice_makes_version_two(tmp_path, default_model_data):
    path = write(tmp_path, default_model_data)
    call_command("import_model", str(path), stdout=StringIO())

    call_command("import_model", str(path), stdout=StringIO())

    assert list(ModelVersion.objects.values_list("version", flat=True)) == [2, 1]


def test_the_import_command_refuses_malformed_json_and_names_the_line(tmp_path):
    message = refused_import(tmp_path, '{\n  "format": "groeipad-model/1",\n  "slug": \n}')

    assert "line 4" in message


def test_the_import_command_refuses_a_missing_file(tmp_path):
    before = stored_rows()

    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_model", str(tmp_path / "missing.json"), stdout=StringIO())

    assert stored_rows() == before


def test_an_unknown_phase_key_is_refused_and_named(tmp_path, default_model_data):
    default_model_data["criteria"][5]["phase"] = "zweven"

    message = refused_import(tmp_path, default_model_data)

    assert "criteria[5].phase: “zweven” is not a known key" in message


def test_an_unknown_dimension_key_is_refused_and_named(tmp_path, default_model_data):
    default_model_data["criteria"][3]["dimension"] = "radio"

    message = refused_import(tmp_path, default_model_data)

    assert "criteria[3].dimension: “radio” is not a known key" in message


def test_a_duplicate_criterion_key_is_refused_and_named(tmp_path, default_model_data):
    key = default_model_data["criteria"][0]["key"]
    default_model_data["criteria"][7]["key"] = key

    message = refused_import(tmp_path, default_model_data)

    assert f"criteria[7].key: “{key}” is used twice" in message


def test_a_duplicate_phase_key_is_refused_and_named(tmp_path, default_model_data):
    default_model_data["phases"][3]["key"] = default_model_data["phases"][2]["key"]

    message = refused_import(tmp_path, default_model_data)

    assert "phases[3].key" in message


def test_a_weight_of_zero_is_refused_and_named(tmp_path, default_model_data):
    default_model_data["criteria"][2]["weight"] = "0"

    message = refused_import(tmp_path, default_model_data)

    assert "criteria[2].weight: must be greater than 0" in message


def test_a_weight_that_is_not_a_number_is_refused_and_named(tmp_path, default_model_data):
    default_model_data["criteria"][2]["weight"] = "1,5"

    message = refused_import(tmp_path, default_model_data)

    assert "criteria[2].weight" in message


def test_a_threshold_above_one_is_refused_and_named(tmp_path, default_model_data):
    default_model_data["phases"][1]["threshold"] = "1.5"

    message = refused_import(tmp_path, default_model_data)

    assert "phases[1].threshold: must be greater than 0 and at most 1" in message


def test_a_missing_statement_is_refused_and_named(tmp_path, default_model_data):
    del default_model_data["criteria"][4]["statement"]

    message = refused_import(tmp_path, default_model_data)

    assert "criteria[4].statement: is missing" in message


def test_a_missing_dutch_phase_name_is_refused_and_named(tmp_path, default_model_data):
    default_model_data["phases"][0]["name"]["nl"] = ""

    message = refused_import(tmp_path, default_model_data)

    assert "phases[0].name.nl: is missing" in message


def test_a_wrong_format_marker_is_refused_and_named(tmp_path, default_model_data):
    default_model_data["format"] = "groeipad-model/2"

    message = refused_import(tmp_path, default_model_data)

    assert "format: must be “groeipad-model/1”" in message


def test_a_model_with_three_phases_is_refused(tmp_path, default_model_data):
    removed = default_model_data["phases"].pop()["key"]
    default_model_data["criteria"] = [
        c for c in default_model_data["criteria"] if c["phase"] != removed
    ]

    message = refused_import(tmp_path, default_model_data)

    assert "phases: a model needs exactly four phases, this file has 3" in message


def test_a_phase_without_criteria_is_refused_and_named(tmp_path, default_model_data):
    default_model_data["criteria"] = [
        c for c in default_model_data["criteria"] if c["phase"] != "samenwerken"
    ]

    message = refused_import(tmp_path, default_model_data)

    assert "phases[3]: phase “samenwerken” has no criteria" in message


def test_a_file_that_is_not_an_object_is_refused(tmp_path):
    message = refused_import(tmp_path, "[]")

    assert "(file): must be an object" in message


def test_a_phase_reference_that_is_not_a_key_is_refused_and_named(tmp_path, default_model_data):
    default_model_data["criteria"][1]["phase"] = {"nl": "Ontdekken"}

    message = refused_import(tmp_path, default_model_data)

    assert "criteria[1].phase" in message


def test_a_dimension_order_that_is_not_a_number_is_refused_and_named(tmp_path, default_model_data):
    default_model_data["dimensions"][2]["order"] = {"nl": "3"}

    message = refused_import(tmp_path, default_model_data)

    assert "dimensions[2].order: must be a whole number" in message


def test_every_problem_of_a_file_is_reported_at_once(default_model_data):
    default_model_data["format"] = "x"
    default_model_data["criteria"][0]["weight"] = "0"
    del default_model_data["criteria"][1]["statement"]

    with pytest.raises(ModelImportError) as error:
        model_version_import(data=default_model_data)

    assert [problem.split(":")[0] for problem in error.value.problems] == [
        "format",
        "criteria[0].weight",
        "criteria[1].statement",
    ]


def test_the_refusal_says_nothing_was_written(tmp_path, default_model_data):
    default_model_data["format"] = "x"

    message = refused_import(tmp_path, default_model_data)

    assert "nothing was written" in message


# --- The export command ----------------------------------------------------------------------


def test_the_export_command_writes_the_newest_version_as_json(default_model):
    newest = model_version_new_draft(source=default_model)
    out = StringIO()

    call_command("export_model", default_model.slug, stdout=out)

    assert json.loads(out.getvalue()) == model_version_export(version=newest)


def test_the_export_command_picks_the_version_asked_for(default_model):
    model_version_new_draft(source=default_model)
    out = StringIO()

    call_command("export_model", default_model.slug, "--version", "1", stdout=out)

    exported = json.loads(out.getvalue())
    assert (exported["version"], exported["status"]) == (1, "published")


def test_the_export_command_refuses_an_unknown_slug(default_model):
    with pytest.raises(CommandError, match="No model version bestaat-niet"):
        call_command("export_model", "bestaat-niet", stdout=StringIO())


def test_the_export_command_refuses_an_unknown_version_number(default_model):
    with pytest.raises(CommandError, match="No model version"):
        call_command("export_model", default_model.slug, "--version", "9", stdout=StringIO())


def test_an_exported_file_imports_through_the_command(tmp_path, default_model):
    out = StringIO()
    call_command("export_model", default_model.slug, stdout=out)

    call_command("import_model", str(write(tmp_path, out.getvalue())), stdout=StringIO())

    imported = ModelVersion.objects.get(version=2)
    assert without_version_and_status(
        model_version_export(version=imported)
    ) == without_version_and_status(model_version_export(version=default_model))


# --- load_default_model ----------------------------------------------------------------------


def test_load_default_model_loads_and_publishes_the_model(db):
    call_command("load_default_model", stdout=StringIO())

    version = ModelVersion.objects.get()
    assert version.status == ModelVersion.Status.PUBLISHED


def test_load_default_model_leaves_a_loaded_model_alone(db):
    call_command("load_default_model", stdout=StringIO())

    call_command("load_default_model", stdout=StringIO())

    assert ModelVersion.objects.count() == 1


def test_a_statement_longer_than_the_field_is_refused_and_named(tmp_path, default_model_data):
    default_model_data["criteria"][2]["statement"]["nl"] = "x" * 301

    message = refused_import(tmp_path, default_model_data)

    assert "criteria[2].statement.nl" in message
    assert "300" in message


def test_dimensions_numbered_with_a_gap_are_refused(tmp_path, default_model_data):
    default_model_data["dimensions"][-1]["order"] = 99

    assert "dimensions: the dimensions must be numbered 1 to" in refused_import(
        tmp_path, default_model_data
    )


def test_two_criteria_with_the_same_order_in_a_dimension_are_refused(tmp_path, default_model_data):
    first, second = default_model_data["criteria"][0], default_model_data["criteria"][1]
    second["dimension"] = first["dimension"]
    second["order"] = first["order"]

    assert "criteria[1].order" in refused_import(tmp_path, default_model_data)
