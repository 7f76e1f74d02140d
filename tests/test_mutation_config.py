"""`make mutation` names modules and test files that exist: a move must update tests/mutation.py."""

from pathlib import Path

from django.apps import apps
from django.conf import settings

from tests.mutation import ALSO_COPY, MODULES, packages


def test_every_mutated_module_and_its_test_files_exist():
    missing = [
        path
        for module, tests in MODULES.items()
        for path in (module, *tests)
        if not (settings.BASE_DIR / path).is_file()
    ]
    assert not missing


def test_the_mutants_copy_holds_every_app_and_what_django_reads():
    copied = set(packages()) | set(ALSO_COPY)
    ours = {
        Path(config.path).relative_to(settings.BASE_DIR).parts[0]
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
    } - {".venv"}
    assert ours and ours <= copied
    assert {"maturity", "templates", "locale", "manage.py"} <= copied
