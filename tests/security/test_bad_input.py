"""Random and malicious input on every form: refused with 4xx or a form error, never a 500.

A refusal changes nothing in the database. Runs on SQLite and, with DATABASE_URL set, on
PostgreSQL (which refuses NUL characters in text, unlike SQLite).
"""

from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assessments.access import CURRENT_ORGANISATION_SESSION_KEY
from assessments.models import (
    Answer,
    AnswerChange,
    Assessment,
    AssessmentEvent,
    Invitation,
    Membership,
    Organisation,
)
from assessments.services import COMMENT_MAX_LENGTH, CSV_MAX_BYTES, assessment_submit
from maturity.input_rules import has_unstorable
from maturity.models import AnswerValue
from maturity.selectors import model_version_structure
from reports.models import ShareLink
from tests.conftest import answer_all
from tests.csv_import import import_csv
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    build_model_version,
)

pytestmark = pytest.mark.django_db

EXAMPLES = hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FEW_EXAMPLES = hypothesis_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

MALICIOUS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "'; DROP TABLE assessments_answer; --",
    "' OR '1'='1",
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    '@HYPERLINK("http://evil.example")',
    "{{ request.user }}{% debug %}",
    "%(count)d %s %n",
    "../../../../etc/passwd",
    "\x00",
    "abc\x00def",
    "\u202eevil\u202c",
    "ü€𝄞 Groeipad ✓ 日本語",
    "\r\n\r\nSet-Cookie: x=y",
    "",
    " ",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "x" * 2001,
    "y" * 70_000,
]
payloads = st.one_of(st.sampled_from(MALICIOUS), st.text(max_size=40))
# Letters that change under NFKC normalisation or when the case changes, many of them growing:
# ㌖ (6 characters after NFKC), ﷺ (18), ﬃ, ①, Ａ, ½, ẞ, İ (2 when lowercased), ß (SS when
# uppercased), Ω, K (Kelvin sign). Stored text is normalised or lowercased after the form checked
# its length, so this class of input is where a limit is checked on the wrong string.
SHIFTING_LETTERS = "\u3316\ufdfa\ufb03\u2460\uff21\u00bd\u1e9e\u0130\u00df\u2126\u212a"
shifting_text = st.text(
    alphabet=st.sampled_from(SHIFTING_LETTERS + "ab.-_"), min_size=1, max_size=160
)
huge_or_negative_numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str), st.sampled_from(MALICIOUS)
)


def answer_rows(assessment: Assessment) -> set[tuple]:
    return set(
        Answer.objects.filter(assessment=assessment).values_list(
            "criterion_id", "value", "comment", "revision"
        )
    )


def database_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Answer, AnswerChange, Assessment, AssessmentEvent, Invitation, Membership)
    } | {"User": get_user_model().objects.count()}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # assert on the English messages
    return client


@pytest.fixture
def step_keys(draft) -> dict[str, list[str]]:
    """Field names of step 1, of another step, and of another model's criteria."""
    structure = model_version_structure(version=draft.model_version)
    first = [c.key for c in structure.criteria_of_dimension(structure.dimensions[0])]
    other = [c.key for c in structure.criteria_of_dimension(structure.dimensions[1])]
    foreign = [
        c.key
        for c in model_version_structure(
            version=build_model_version(slug="ander-model", publish=False)
        ).criteria
    ]
    return {"first": first, "other": other, "foreign": foreign}


# --- the questionnaire -----------------------------------------------------------------------


@EXAMPLES
@given(data=st.data())
def test_questionnaire_step_survives_random_posts(people, draft, step_keys, data):
    keys = data.draw(
        st.lists(
            st.one_of(
                st.sampled_from(step_keys["first"] + step_keys["other"] + step_keys["foreign"]),
                st.text(max_size=20),
            ),
            max_size=6,
        )
    )
    post = {}
    for key in keys:
        post[f"{key}-value"] = data.draw(st.one_of(st.sampled_from(AnswerValue.values), payloads))
        post[f"{key}-comment"] = data.draw(payloads)
        post[f"{key}-revision"] = data.draw(huge_or_negative_numbers)
    post["action"] = data.draw(st.one_of(st.sampled_from(["save", "next", "review"]), payloads))
    before = answer_rows(draft)

    response = logged_in(people.respondent).post(
        reverse("assessments:step", args=[draft.pk, 1]), post
    )

    assert response.status_code in (302, 400, 409)
    after = answer_rows(draft)
    if response.status_code == 400:
        assert after == before
    step_one = set(
        Answer.objects.filter(criterion__key__in=step_keys["first"]).values_list(
            "criterion_id", flat=True
        )
    ) | {None}
    for criterion_id, value, comment, _revision in after - before:
        assert criterion_id in step_one, "only the posted step's criteria can change"
        assert value in AnswerValue.values or value == ""
        assert len(comment) <= COMMENT_MAX_LENGTH
        assert "\x00" not in comment


@pytest.mark.parametrize(
    ("suffix", "value", "message"),
    [
        ("value", "<script>alert(1)</script>", "Choose one of the answers"),
        ("value", "5", "Choose one of the answers"),
        ("comment", "x" * (COMMENT_MAX_LENGTH + 1), str(COMMENT_MAX_LENGTH)),
        ("comment", "abc\x00def", ""),
        ("revision", "-1", ""),
        ("revision", "1e5", ""),
    ],
)
def test_a_bad_field_is_a_form_error_and_saves_nothing(
    people, draft, step_keys, suffix, value, message
):
    key = step_keys["first"][0]
    post = {f"{key}-value": "3", f"{key}-comment": "", f"{key}-revision": "0", "action": "save"}
    post[f"{key}-{suffix}"] = value

    response = logged_in(people.respondent).post(
        reverse("assessments:step", args=[draft.pk, 1]), post
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Answer.objects.filter(assessment=draft).exists()


def test_a_huge_revision_is_a_conflict_not_a_crash(people, draft, step_keys):
    key = step_keys["first"][0]
    post = {f"{key}-value": "3", f"{key}-comment": "", f"{key}-revision": str(10**30)}

    response = logged_in(people.respondent).post(
        reverse("assessments:step", args=[draft.pk, 1]), post
    )

    assert response.status_code == 409
    assert not Answer.objects.filter(assessment=draft).exists()


def test_a_huge_id_in_the_url_is_a_404(people):
    response = logged_in(people.admin).get(f"/assessments/{10**30}/report/")
    assert response.status_code == 404


# --- review, reopen ----------------------------------------------------------------------------


@FEW_EXAMPLES
@given(post=st.dictionaries(payloads, payloads, max_size=4))
def test_submitting_an_incomplete_draft_is_refused_whatever_is_posted(people, draft, post):
    counts = database_counts()

    response = logged_in(people.respondent).post(
        reverse("assessments:review", args=[draft.pk]), post
    )

    # Refused before the view: a NUL (maturity/input_rules.py), or a field name longer than a
    # multipart header may be (Django's parser, once the middleware reads the form).
    if has_unstorable([*post, *post.values()]) or max(map(len, post), default=0) > 900:
        assert response.status_code == 400
    else:
        assert response.status_code == 200
        assert "still unanswered" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_draft
    assert database_counts() == counts


@FEW_EXAMPLES
@given(reason=payloads, role=st.sampled_from(["respondent", "viewer"]))
def test_only_an_admin_can_reopen_whatever_is_posted(people, submitted, reason, role):
    counts = database_counts()

    response = logged_in(getattr(people, role)).post(
        reverse("assessments:reopen", args=[submitted.pk]), {"reason": reason}
    )

    assert response.status_code == (400 if has_unstorable([reason]) else 403)
    submitted.refresh_from_db()
    assert not submitted.is_draft
    assert database_counts() == counts


@FEW_EXAMPLES
@given(reason=payloads)
def test_reopen_reason_of_any_shape_is_recorded_without_a_crash(people, submitted, reason):
    if Assessment.objects.get(pk=submitted.pk).is_draft:
        assessment_submit(assessment=submitted, user=people.respondent)

    response = logged_in(people.admin).post(
        reverse("assessments:reopen", args=[submitted.pk]), {"reason": reason}
    )

    if has_unstorable([reason]):
        assert response.status_code == 400
        return
    assert response.status_code == 302
    event = AssessmentEvent.objects.filter(
        assessment=submitted, kind=AssessmentEvent.Kind.REOPENED
    ).last()
    assert len(event.note) <= 300
    assert "\x00" not in event.note


# --- CSV import --------------------------------------------------------------------------------


def upload(client: Client, assessment: Assessment, content: bytes):
    """Upload and confirm (the preview is tested apart)."""
    return import_csv(client, assessment, content)


csv_cells = st.one_of(st.sampled_from(MALICIOUS[:-1]), st.text(max_size=30))


@EXAMPLES
@given(
    content=st.one_of(
        st.binary(max_size=2000),
        st.lists(st.lists(csv_cells, max_size=5), max_size=8).map(
            lambda rows: "\n".join(",".join(row) for row in rows).encode("utf-8")
        ),
    )
)
def test_csv_import_of_random_bytes_is_refused_and_changes_nothing(people, draft, content):
    before, counts = answer_rows(draft), database_counts()

    response = upload(logged_in(people.respondent), draft, content)

    assert response.status_code == 400
    assert answer_rows(draft) == before
    assert database_counts() == counts


@FEW_EXAMPLES
@given(comment=csv_cells, value=st.sampled_from(["", *AnswerValue.values]))
def test_csv_import_of_any_comment_on_a_real_criterion_never_crashes(
    people, draft, step_keys, comment, value
):
    quoted = comment.replace('"', '""')
    content = f'criterion_key,answer,comment\n{step_keys["first"][0]},{value},"{quoted}"\n'

    response = upload(logged_in(people.respondent), draft, content.encode("utf-8"))

    assert response.status_code in (302, 400)
    for stored in Answer.objects.filter(assessment=draft).values_list("comment", flat=True):
        assert "\x00" not in stored


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(
            b"criterion_key,answer,comment\nk,3," + b"x" * 200_000 + b"\n", id="huge-cell"
        ),
        pytest.param(b"criterion_key,answer,comment\n" + b"a," * 400_000, id="huge-line"),
        pytest.param(b"x" * (CSV_MAX_BYTES + 1), id="over-1-MB"),
        pytest.param(b"\xff\xfe\x00<\x00s\x00", id="utf-16"),
        pytest.param(b"criterion_key,answer,comment\n" + b"\n" * 10_000, id="only-blank-rows"),
        pytest.param(b'criterion_key,answer,comment\n"unclosed,3,x\n', id="unclosed-quote"),
    ],
)
def test_csv_import_of_a_pathological_file_is_refused(people, draft, content):
    before = answer_rows(draft)

    response = upload(logged_in(people.respondent), draft, content)

    assert response.status_code == 400
    assert answer_rows(draft) == before


def test_a_formula_comment_is_imported_as_text_and_exported_neutralised(people, draft, step_keys):
    key = step_keys["first"][0]
    content = f'criterion_key,answer,comment\n{key},3,"=HYPERLINK(""http://x"")"\n'
    client = logged_in(people.respondent)

    assert upload(client, draft, content.encode()).status_code == 302
    exported = client.get(reverse("assessments:answers_csv", args=[draft.pk])).content.decode()

    assert Answer.objects.get(assessment=draft).comment == '=HYPERLINK("http://x")'
    assert f'"{key}","3","\'=HYPERLINK(""http://x"")"' in exported


# --- starting an assessment, members, organisations, invitations, language --------------------


@EXAMPLES
@given(title=payloads)
def test_new_assessment_title_of_any_shape(people, default_model, title):
    counts = database_counts()

    # "Start anyway": an earlier example's draft is still running, which asks first (409).
    response = logged_in(people.respondent).post(
        reverse("assessments:new"), {"title": title, "start_anyway": "yes"}
    )

    if response.status_code in (200, 400):  # a form error, or refused characters
        assert database_counts() == counts
        return
    assert response.status_code == 302
    newest = Assessment.objects.order_by("-pk").first()
    assert newest.title == title.strip()
    assert len(newest.title) <= 200


@EXAMPLES
@given(
    email=st.one_of(payloads, st.emails(), st.sampled_from(["a" * 250 + "@example.org"])),
    role=st.one_of(st.sampled_from(Membership.Role.values), payloads),
)
def test_invitation_with_any_email_and_role(people, email, role):
    counts = database_counts()

    response = logged_in(people.admin).post(reverse("members"), {"email": email, "role": role})

    if response.status_code == 400:
        assert database_counts() == counts
        return
    assert response.status_code == 302
    invitation = Invitation.objects.order_by("-pk").first()
    assert invitation.role in Membership.Role.values
    assert invitation.organisation == people.organisation


@FEW_EXAMPLES
@given(email=st.emails(), role=st.sampled_from(Membership.Role.values))
def test_only_an_admin_can_invite(people, email, role):
    counts = database_counts()
    for user in (people.respondent, people.viewer):
        response = logged_in(user).post(reverse("members"), {"email": email, "role": role})
        assert response.status_code == 403
    assert database_counts() == counts


@EXAMPLES
@given(value=st.one_of(payloads, st.integers().map(str)))
def test_organisation_switch_with_garbage_is_a_404(people, value):
    client = logged_in(people.respondent)

    response = client.post(reverse("organisation_switch"), {"organisation": value})

    if has_unstorable([value]):
        assert response.status_code == 400
    elif value.strip() == str(people.organisation.pk):
        assert response.status_code == 302
    else:
        assert response.status_code == 404
        assert CURRENT_ORGANISATION_SESSION_KEY not in client.session


def test_organisation_switch_to_another_organisation_is_a_404(people):
    other = MembershipFactory(organisation=OrganisationFactory(), role="admin").organisation
    client = logged_in(people.respondent)

    response = client.post(reverse("organisation_switch"), {"organisation": other.pk})

    assert response.status_code == 404
    assert CURRENT_ORGANISATION_SESSION_KEY not in client.session


@EXAMPLES
@given(
    name=payloads,
    username=st.one_of(payloads, st.sampled_from(["nieuwe.collega", "a b", "<b>x</b>"])),
    password=st.one_of(payloads, st.sampled_from(["groeipad-is-fijn-2026"])),
)
def test_invitation_accept_with_garbage_account_data(people, name, username, password):
    invitation = Invitation.objects.create(
        organisation=people.organisation, email="nieuw@example.org", role="viewer"
    )
    counts = database_counts()

    response = Client().post(
        reverse("invitation_accept", args=[invitation.token]),
        {"name": name, "username": username, "password": password},
    )

    if response.status_code == 400:
        assert database_counts() == counts
        return
    assert response.status_code == 302
    user_model = get_user_model()
    user = user_model.objects.get(username=user_model.normalize_username(username.strip()))
    user.full_clean()  # the stored username obeys the user model's own rules
    assert Membership.objects.filter(user=user, organisation=people.organisation).exists()


@EXAMPLES
@given(username=shifting_text)
@example(username="\u3316" * 30)
def test_invitation_accept_with_a_username_that_changes_under_normalisation(people, username):
    invitation = Invitation.objects.create(
        organisation=people.organisation, email="nieuw@example.org", role="viewer"
    )
    counts = database_counts()

    response = Client().post(
        reverse("invitation_accept", args=[invitation.token]),
        {"name": "Nieuwe Collega", "username": username, "password": "groeipad-is-fijn-2026"},
    )

    if response.status_code == 400:
        assert database_counts() == counts
        return
    assert response.status_code == 302
    user_model = get_user_model()
    user = user_model.objects.get(username=user_model.normalize_username(username.strip()))
    user.full_clean()  # the stored username obeys the user model's own rules, its length too


@EXAMPLES
@given(local=shifting_text, labels=st.lists(shifting_text, min_size=1, max_size=12))
@example(local="a", labels=["\u0130" * 20] * 11 + ["be"])
def test_invitation_with_an_email_that_changes_when_lowercased(people, local, labels):
    email = f"{local}@{'.'.join(labels)}"
    counts = database_counts()

    response = logged_in(people.admin).post(reverse("members"), {"email": email, "role": "viewer"})

    if response.status_code == 400:
        assert database_counts() == counts
        return
    assert response.status_code == 302
    Invitation.objects.order_by("-pk").first().full_clean()  # stored as it was checked


control_characters = st.sampled_from(["\n", "\r", "\r\n", "\t", "\x00", "\x85", "\u2028"])


@FEW_EXAMPLES
@given(name=shifting_text, control=control_characters)
def test_an_organisation_name_with_a_line_break_is_refused_in_the_admin(name, control):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = logged_in(superuser)
    before = Organisation.objects.count()

    response = client.post(
        reverse("admin:assessments_organisation_add"),
        {
            "name": "Gemeente" + control + name[:150],
            "slug": "nieuwe-gemeente",
            "kind": "gemeente",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    # The form again with its error; a NUL is refused before the admin (maturity/input_rules.py).
    assert response.status_code == (400 if control == "\x00" else 200)
    assert Organisation.objects.count() == before


def test_an_organisation_name_with_a_newline_is_a_dutch_form_error():
    organisation = Organisation(name="Gemeente\nBcc: iedereen@example.org", slug="gemeente")

    with translation.override("nl-be"):
        with pytest.raises(ValidationError) as refused:
            organisation.full_clean()
        messages = refused.value.message_dict["name"]

    assert messages == ["Gebruik één regel zonder stuurtekens (geen regeleinden of tabs)."]


@FEW_EXAMPLES
@given(name=st.one_of(payloads, shifting_text), control=control_characters)
def test_an_invitation_mail_has_a_one_line_subject_whatever_the_organisation_name(
    people, name, control
):
    from django.core import mail

    # A name stored before the rule existed (or by the shell) must not break every invitation.
    type(people.organisation).objects.filter(pk=people.organisation.pk).update(
        name=(name + control + name).replace("\x00", "")[:200]
    )
    mail.outbox.clear()

    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = logged_in(people.admin).post(
            reverse("members"), {"email": "nieuw@example.org", "role": "viewer"}
        )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject


@FEW_EXAMPLES
@given(token=payloads.filter(lambda t: "/" not in t and t.strip()))
def test_invitation_accept_with_an_unknown_token_is_a_404(token):
    response = Client().get(f"/invitations/{quote(token, safe='')}/")

    assert response.status_code == (400 if has_unstorable([token]) else 404)


@pytest.mark.parametrize("language", ["MR", "fr", "nl", "EN", "nl-BE "])
def test_a_language_django_knows_but_groeipad_does_not_offer_is_not_stored(language):
    """Django's own switch would store Marathi ("MR"): it has a catalogue for it."""
    response = Client().post("/i18n/setlang/", {"language": language, "next": "/"})

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@EXAMPLES
@given(language=payloads, next_url=st.one_of(payloads, st.just("https://evil.example/")))
def test_set_language_with_an_unknown_language_or_foreign_next(language, next_url):
    response = Client().post("/i18n/setlang/", {"language": language, "next": next_url})

    if has_unstorable([language, next_url]):
        assert response.status_code == 400
        return
    assert response.status_code in (302, 204)
    cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie is not None:
        assert cookie.value in dict(settings.LANGUAGES)
    location = response.get("Location", "/")
    assert not location.startswith(("http:", "https:", "//")), location


# --- CSRF and output escaping ------------------------------------------------------------------


def test_a_post_without_csrf_token_gets_the_apps_403_page(people, draft, step_keys):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.respondent)
    key = step_keys["first"][0]

    response = client.post(
        reverse("assessments:step", args=[draft.pk, 1]),
        {f"{key}-value": "3", f"{key}-revision": "0"},
    )

    assert response.status_code == 403
    assert 'href="/"' in response.content.decode()  # our page, with the way back
    assert "CSRF verification failed" not in response.content.decode()
    assert not Answer.objects.filter(assessment=draft).exists()


def test_a_script_in_a_comment_is_shown_escaped(people, draft, step_keys):
    key = step_keys["first"][0]
    payload = "<script>alert(1)</script>"
    client = logged_in(people.admin)
    response = client.post(
        reverse("assessments:step", args=[draft.pk, 1]),
        {f"{key}-value": "3", f"{key}-comment": payload, f"{key}-revision": "0"},
    )
    assert response.status_code == 302
    for url in (
        reverse("reports:report", args=[draft.pk]),
        reverse("assessments:changes", args=[draft.pk]),
        reverse("assessments:step", args=[draft.pk, 1]),
    ):
        html = client.get(url).content.decode()
        assert payload not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def test_a_script_in_a_submitted_assessments_comment_is_escaped_in_the_report(
    people, default_model
):
    from assessments.services import AnswerInput, answers_save, assessment_create

    assessment = assessment_create(
        organisation=people.organisation, user=people.respondent, title="<b>Titel</b>"
    )
    answer_all(assessment, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
    criterion = model_version_structure(version=assessment.model_version).criteria[0]
    answers_save(
        assessment=assessment,
        user=people.respondent,
        answers=[
            AnswerInput(
                criterion=criterion,
                value="4",
                comment="<script>alert(1)</script>",
                loaded_revision=1,
            )
        ],
    )
    assessment_submit(assessment=assessment, user=people.respondent)
    client = logged_in(people.admin)

    for url in (
        reverse("reports:report", args=[assessment.pk]),
        reverse("assessments:changes", args=[assessment.pk]),
        reverse("dashboard"),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html, url
        assert "<b>Titel</b>" not in html, url


@EXAMPLES
@given(note=payloads, days=st.one_of(payloads, st.integers().map(str)))
def test_a_share_link_with_any_note_and_expiry(people, submitted, note, days):
    before = ShareLink.objects.count()

    response = logged_in(people.admin).post(
        reverse("reports:share", args=[submitted.pk]), {"note": note, "days": days}
    )

    if response.status_code == 400:  # a form error, or refused characters
        assert ShareLink.objects.count() == before
        return
    assert response.status_code == 200
    newest = ShareLink.objects.order_by("-pk").first()
    assert 1 <= (newest.expires_at - newest.created_at).days <= 90
    assert newest.note == note.strip() and len(newest.note) <= 200


@EXAMPLES
@given(content=st.one_of(st.binary(max_size=3000), st.sampled_from(MALICIOUS[:-1]).map(str.encode)))
def test_a_logo_of_random_bytes_is_refused_and_stores_nothing(people, content):
    response = logged_in(people.admin).post(
        "/organisation/logo/", {"logo": SimpleUploadedFile("logo.png", content)}
    )

    assert response.status_code == 400
    assert not Organisation.objects.get(pk=people.organisation.pk).logo
