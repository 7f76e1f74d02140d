"""The Dutch (nl-BE) catalogue: complete, in step with the sources, compiled.

No database is needed. The check against the sources runs `makemessages` in a temporary copy
of the project, so the working tree is never touched.

When `test_catalogue_has_every_source_string` fails, refresh and translate the catalogue:

    .venv/bin/python manage.py makemessages -l nl_BE --no-location \\
        --ignore=.venv --ignore=node_modules --ignore=static/vendor --ignore=tests
    # translate the new entries in locale/nl_BE/LC_MESSAGES/django.po, then:
    .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules
"""

import ast
import gettext
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

BASE_DIR = Path(settings.BASE_DIR)
LOCALE = "nl_BE"
PO_PATH = BASE_DIR / "locale" / LOCALE / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# The same ignore patterns as the documented makemessages command.
MAKEMESSAGES_IGNORE = [".venv", "node_modules", "static/vendor", "tests"]
# Never copied into the temporary project: not sources, or large.
COPY_SKIP = {
    ".git",
    ".venv",
    "node_modules",
    "staticfiles",
    "locale",
    "tests",
    "__pycache__",
    ".hypothesis",
    ".ruff_cache",
    ".pytest_cache",
    "test-results",
    "screenshots",
    "db.sqlite3",
}

needs_gettext = pytest.mark.skipif(
    shutil.which("msgfmt") is None or shutil.which("xgettext") is None,
    reason="GNU gettext (msgfmt, xgettext) is not installed",
)

PLACEHOLDER_RE = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def label(self) -> str:
        return repr(self.msgid if self.msgctxt is None else f"{self.msgctxt}|{self.msgid}")


def parse_po(path: Path) -> list[Entry]:
    """A small .po parser: active entries, header included, obsolete (#~) entries left out."""
    entries: list[Entry] = []
    entry = Entry()
    started = False  # the current entry has a keyword line
    target: tuple[str, int] = ("msgid", 0)

    def finish() -> None:
        nonlocal entry, started
        if started:
            entries.append(entry)
        entry, started = Entry(), False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry.msgstr:  # a comment after a msgstr starts the next entry
                finish()
            if line.startswith("#,"):
                entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        match = re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")', line)
        if match:
            keyword, index, line = match.groups()
            if keyword in ("msgctxt", "msgid") and entry.msgstr:
                finish()
            started = True
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                entry.msgstr[target[1]] = ""
            else:
                target = (keyword, 0)
                setattr(entry, keyword, "")
        if not (started and line.startswith('"') and line.endswith('"')):
            raise ValueError(f"{path}:{number}: cannot parse {raw!r}")
        text = ast.literal_eval(line)
        if target[0] == "msgstr":
            entry.msgstr[target[1]] += text
        else:
            setattr(entry, target[0], getattr(entry, target[0]) + text)
    finish()
    return entries


def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid or e.msgctxt]


def header(entries: list[Entry]) -> dict[str, str]:
    head = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    fields = {}
    for line in head.msgstr[0].splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER_RE.findall(text))


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    assert PO_PATH.exists(), f"{PO_PATH} is missing"
    return parse_po(PO_PATH)


# --- the catalogue itself -------------------------------------------------------------------


def test_header(catalogue):
    head = header(catalogue)
    assert head["Language"] == LOCALE
    assert head["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "charset=UTF-8" in head["Content-Type"]
    assert "fuzzy" not in next(e for e in catalogue if e.msgid == "").flags


def test_every_entry_is_translated_and_not_fuzzy(catalogue):
    entries = messages(catalogue)
    assert len(entries) > 100, "the catalogue looks empty"
    fuzzy = [e.label() for e in catalogue if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    empty = []
    for e in entries:
        expected = {0, 1} if e.msgid_plural is not None else {0}
        if set(e.msgstr) != expected or not all(e.msgstr.values()):
            empty.append(e.label())
    assert not empty, f"untranslated entries: {empty}"


def test_placeholders_are_kept(catalogue):
    wrong = []
    for e in messages(catalogue):
        if "python-format" not in e.flags:
            continue
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        for index, source in enumerate(sources):
            if placeholders(e.msgstr.get(index, "")) != placeholders(source):
                wrong.append(f"{e.label()} msgstr[{index}]")
    assert not wrong, f"placeholders differ from the msgid: {wrong}"


def test_newlines_match(catalogue):
    wrong = [
        e.label()
        for e in messages(catalogue)
        for text in e.msgstr.values()
        if text.startswith("\n") != e.msgid.startswith("\n")
        or text.endswith("\n") != e.msgid.endswith("\n")
    ]
    assert not wrong, f"leading/trailing newline differs from the msgid: {wrong}"


@needs_gettext
def test_msgfmt_check_and_statistics():
    result = subprocess.run(
        [shutil.which("msgfmt"), "--check", "--statistics", "-o", "/dev/null", str(PO_PATH)],
        capture_output=True,
        text=True,
        check=False,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "translated message" in result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


# --- the compiled catalogue -----------------------------------------------------------------


def test_mo_is_compiled_from_the_current_po(catalogue):
    """The committed .mo holds exactly the .po's translations (`make messages` recompiles)."""
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run compilemessages"
    with MO_PATH.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)._catalog
    expected = {}
    for e in messages(catalogue):
        msgid = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            expected[msgid] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                expected[(msgid, index)] = text
    compiled = {k: v for k, v in compiled.items() if k != ""}
    missing = sorted(str(k) for k in expected.keys() - compiled.keys())
    extra = sorted(str(k) for k in compiled.keys() - expected.keys())
    changed = sorted(
        str(k) for k in expected.keys() & compiled.keys() if expected[k] != compiled[k]
    )
    assert not (missing or extra or changed), (
        f"the .mo is out of date (run compilemessages): missing {missing}, "
        f"extra {extra}, changed {changed}"
    )


def test_runtime_translation():
    with translation.override("nl-be"):
        assert translation.gettext("Log in") == "Aanmelden"
        assert translation.gettext("Skip to main content") == "Naar de hoofdinhoud"
        assert translation.gettext("Don't know") == "Weet niet"
        assert (
            translation.ngettext("%(count)d answer saved.", "%(count)d answers saved.", 2)
            % {"count": 2}
            == "2 antwoorden opgeslagen."
        )
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"


# --- the catalogue against the sources ------------------------------------------------------


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list[Entry]:
    """Run makemessages in a temporary copy of the project and parse the fresh catalogue."""
    project = tmp_path_factory.mktemp("makemessages") / "project"

    vendor = BASE_DIR / "static" / "vendor"

    def skip(directory: str, names: list[str]) -> set[str]:
        return {
            n
            for n in names
            if n in COPY_SKIP or n.endswith((".pyc", ".mo", ".po")) or Path(directory, n) == vendor
        }

    shutil.copytree(BASE_DIR, project, ignore=skip, symlinks=True)
    (project / "locale").mkdir()
    command = [sys.executable, "manage.py", "makemessages", "-l", LOCALE, "--no-location"]
    command += [f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORE]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    fresh = project / "locale" / LOCALE / "LC_MESSAGES" / "django.po"
    assert fresh.exists(), result.stdout + result.stderr
    return parse_po(fresh)


@needs_gettext
def test_catalogue_has_every_source_string(catalogue, extracted):
    have = {e.key for e in messages(catalogue)}
    missing = sorted(e.label() for e in messages(extracted) if e.key not in have)
    assert not missing, (
        f"{len(missing)} translatable string(s) in the code or templates are not in "
        f"locale/{LOCALE}/LC_MESSAGES/django.po; run makemessages and translate them: {missing}"
    )


@needs_gettext
def test_catalogue_has_no_stale_entries(catalogue, extracted):
    used = {e.key for e in messages(extracted)}
    stale = sorted(e.label() for e in messages(catalogue) if e.key not in used)
    assert not stale, (
        f"{len(stale)} entry(ies) are no longer used in the code or templates; "
        f"run makemessages to refresh the catalogue: {stale}"
    )


@needs_gettext
def test_extraction_flags_match(catalogue, extracted):
    """The python-format flag decides how % is read, so it must follow the sources."""
    flags = {e.key: "python-format" in e.flags for e in messages(catalogue)}
    wrong = sorted(
        e.label()
        for e in messages(extracted)
        if e.key in flags and flags[e.key] != ("python-format" in e.flags)
    )
    assert not wrong, f"python-format flag differs from the sources (run makemessages): {wrong}"


# --- every page in Dutch ----------------------------------------------------------------------

# Words of English UI text that are no Dutch words. A Dutch page showing one of them leaks
# English from Django or from our code.
ENGLISH_WORDS = frozenset(
    """
    the and with your you this that these those are was were has have not password change
    changes changed add added delete deleted save saved history search select selected action
    actions home view site welcome log out yes please enter must required field fields too short
    common submit cancel back next previous member members remove report answer answers question
    questions assessment assessments show all by for from to or version versions phase phases
    dimension dimensions statement weight advice draft published archived name role invite
    invitation organisation criterion preview reopen step when who before after source events
    language edit new current page pages close choose file upload import export recent my
    available none than least characters numeric similar users groups authentication
    authorization administration documentation
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Names and abbreviations that are the same in Dutch, and the language switcher's own name.
ALLOWED_WORDS = frozenset({"groeipad", "csv", "json", "pdf", "utf", "english", "django"})
# Data, not interface: what editors and respondents typed (English model texts included).
_DATA_RE = re.compile(
    r"<(script|style|textarea)\b.*?</\1>|<div class=\"readonly\">.*?</div>|<code>.*?</code>",
    re.S,
)
_ATTRIBUTE_RE = re.compile(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"')
_BUTTON_VALUE_RE = re.compile(r'<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"')


def english_words(html: str) -> set[str]:
    """The English interface words in a page's visible text and labelling attributes."""
    import html as html_module

    html = _DATA_RE.sub(" ", html)
    texts = [re.sub(r"<[^>]+>", " ", html)]
    texts += _ATTRIBUTE_RE.findall(html) + _BUTTON_VALUE_RE.findall(html)
    # criterion_key and the like are machine names, explained in Dutch where they appear.
    words = set(re.findall(r"[A-Za-z_]+", html_module.unescape(" ".join(texts))))
    return {w for w in words if w.lower() in ENGLISH_WORDS and w.lower() not in ALLOWED_WORDS}


@pytest.fixture
def dutch_pages(default_model, people, submitted, draft, client):
    """(name, client, url) for every page our people and model editors open."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from assessments.models import Membership
    from assessments.services import assessment_reopen, assessment_submit, invitation_create
    from maturity.services import model_version_new_draft
    from tests.conftest import answer_all

    invitation_create(
        organisation=people.organisation,
        invited_by=people.admin,
        email="nieuw@example.org",
        role=Membership.Role.VIEWER,
        accept_url="http://testserver/invitations/TOKEN/",
    )
    reopened = submitted.__class__.objects.get(pk=submitted.pk)
    assessment_reopen(assessment=reopened, user=people.admin, reason="Foutje")
    answer_all(reopened, people.admin, {1: "4", 2: "3", 3: "2", 4: "1"})
    assessment_submit(assessment=reopened, user=people.admin)
    new_draft = model_version_new_draft(source=default_model)
    criterion = new_draft.criteria.first()
    superuser = get_user_model().objects.create_superuser("beheerder", "b@example.org", "x" * 12)

    def logged_in(user) -> Client:
        browser = Client()
        browser.force_login(user)
        return browser

    admin, org_admin, anonymous = logged_in(superuser), logged_in(people.admin), Client()
    pages = [
        ("login", anonymous, reverse("login")),
        ("growth path", anonymous, reverse("maturity:growth_path")),
        ("reset", anonymous, reverse("password_reset")),
        ("reset sent", anonymous, reverse("password_reset_done")),
        ("reset link", anonymous, reverse("password_reset_confirm", args=["MQ", "x-y"])),
        ("reset done", anonymous, reverse("password_reset_complete")),
        ("dashboard", org_admin, reverse("dashboard")),
        ("members", org_admin, reverse("members")),
        ("new", org_admin, reverse("assessments:new")),
        ("step", org_admin, reverse("assessments:step", args=[draft.pk, 1])),
        ("review", org_admin, reverse("assessments:review", args=[draft.pk])),
        ("import", org_admin, reverse("assessments:import", args=[draft.pk])),
        ("report", org_admin, reverse("reports:report", args=[submitted.pk])),
        ("draft report", org_admin, reverse("reports:report", args=[draft.pk])),
        ("changes", org_admin, reverse("assessments:changes", args=[submitted.pk])),
        ("preview", admin, reverse("model_version_preview", args=[new_draft.pk])),
        ("admin index", admin, reverse("admin:index")),
        ("admin app", admin, reverse("admin:app_list", args=["maturity"])),
        ("version", admin, reverse("admin:maturity_modelversion_change", args=[default_model.pk])),
        (
            "draft version",
            admin,
            reverse("admin:maturity_modelversion_change", args=[new_draft.pk]),
        ),
        (
            "publish review",
            admin,
            reverse("admin:maturity_modelversion_publish", args=[new_draft.pk]),
        ),
        ("version add", admin, reverse("admin:maturity_modelversion_add")),
        ("criterion", admin, reverse("admin:maturity_criterion_change", args=[criterion.pk])),
        ("criterion add", admin, reverse("admin:maturity_criterion_add")),
        ("history", admin, reverse("admin:maturity_criterion_history", args=[criterion.pk])),
        ("password change", admin, reverse("admin:password_change")),
    ]
    for model in ("modelversion", "criterion"):
        pages.append((f"{model} list", admin, reverse(f"admin:maturity_{model}_changelist")))
    for model in ("organisation", "invitation", "assessment"):
        pages.append((f"{model} list", admin, reverse(f"admin:assessments_{model}_changelist")))
    pages.append(
        (
            "organisation",
            admin,
            reverse("admin:assessments_organisation_change", args=[people.organisation.pk]),
        )
    )
    pages.append(
        ("assessment", admin, reverse("admin:assessments_assessment_change", args=[submitted.pk]))
    )
    return pages


@pytest.mark.django_db
def test_every_page_in_dutch_shows_no_english(dutch_pages):
    leaks = {}
    for name, browser, url in dutch_pages:
        response = browser.get(url)
        assert response.status_code == 200, f"{name}: {url} answered {response.status_code}"
        assert (
            'lang="nl-BE"' in response.content.decode()
            or 'lang="nl-be"' in response.content.decode()
        ), name
        found = english_words(response.content.decode())
        if found:
            leaks[f"{name} ({url})"] = sorted(found)
    assert not leaks, f"English words on Dutch pages: {leaks}"


@pytest.mark.django_db
def test_publishing_from_the_list_and_its_history_show_no_english(default_model, client):
    """The list's review of drafts (a POST, so not in dutch_pages) and the history it writes."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from maturity.models import ModelVersion

    client.force_login(get_user_model().objects.create_superuser("b", "b@example.org", "x" * 12))
    changelist = reverse("admin:maturity_modelversion_changelist")
    client.post(changelist, {"action": "make_new_draft", "_selected_action": [default_model.pk]})
    draft = ModelVersion.objects.get(status=ModelVersion.Status.DRAFT)
    review = client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    assert review.status_code == 200
    assert english_words(review.content.decode()) == set()
    fingerprint = review.context["reviews"][0].diff.fingerprint
    client.post(
        changelist,
        {
            "action": "publish",
            "post": "yes",
            "_selected_action": [draft.pk],
            f"reviewed-{draft.pk}": fingerprint,
        },
    )
    history = client.get(reverse("admin:maturity_modelversion_history", args=[draft.pk]))
    page = history.content.decode()
    assert "Nieuw concept op basis van versie 1" in page and "Gepubliceerd" in page
    assert english_words(page) == set()


def test_the_english_word_check_finds_english():
    assert english_words('<p>Change password</p><button title="Delete">x</button>') == {
        "Change",
        "password",
        "Delete",
    }
    assert english_words("<p>Wijzig het wachtwoord van Groeipad (CSV)</p>") == set()
    assert english_words("<textarea>The statement in English</textarea>") == set()


@pytest.mark.django_db
def test_numbers_are_formatted_per_language(people, submitted, client):
    from django.conf import settings as django_settings
    from django.urls import reverse

    from assessments.services import assessment_reopen

    index = submitted.maturity_index
    assert index is not None and index != index.to_integral_value()
    client.force_login(people.admin)
    report = reverse("reports:report", args=[submitted.pk])
    dutch = client.get(report).content.decode()
    assert f"<td>{index:.1f}</td>".replace(".", ",") in dutch
    assessment_reopen(assessment=submitted, user=people.admin, reason="Foutje")
    changes = client.get(reverse("assessments:changes", args=[submitted.pk])).content.decode()
    assert f"index vooraf: {index:.1f}".replace(".", ",") in changes
    assert f"(index {index}" not in changes

    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("assessments:changes", args=[submitted.pk])).content.decode()
    assert f"index before: {index:.1f}" in english
    assert f"<td>{index:.1f}</td>" in client.get(report).content.decode()
