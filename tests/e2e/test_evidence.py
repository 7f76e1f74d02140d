"""Evidence in the browser on a phone (375 px): a file and a link attached to a question, shown
on the step with their count; axe on the evidence page and the step."""

import pytest
from playwright.sync_api import expect

from assessments.evidence_models import Evidence
from assessments.services import assessment_create
from maturity.selectors import model_version_structure
from tests import evidence_samples as samples
from tests.e2e.conftest import assert_accessible, login

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PHONE = {"width": 375, "height": 800}
NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_a_file_and_a_link_are_attached_on_a_phone(
    page, live_server, default_model, people, password
):
    draft = assessment_create(
        organisation=people.organisation, user=people.respondent, title="Meting 2027"
    )
    structure = model_version_structure(version=draft.model_version)
    key = structure.criteria_of_dimension(structure.dimensions[0])[0].key
    page.set_viewport_size(PHONE)
    login(page, live_server, people.respondent.username, password)
    page.goto(f"{live_server.url}/assessments/{draft.pk}/step/1/")
    question = page.locator(f"#criterion-{key}")
    with page.expect_navigation():
        question.get_by_role("button", name="Bewijs toevoegen").click()
    assert page.url.endswith(f"/evidence/{key}/")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert_accessible(page, "the evidence page at 375 px")

    page.locator("#id_file-file").set_input_files(
        {
            "name": "socialemediastrategie.pdf",
            "mimeType": "application/pdf",
            "buffer": samples.pdf(),
        }
    )
    page.locator("#id_file-description").fill("Goedgekeurde strategie")
    with page.expect_navigation():
        page.get_by_role("button", name="Bestand opladen").click()
    expect(page.get_by_text("Bestand toegevoegd.")).to_be_visible()
    expect(page.get_by_role("link", name="Goedgekeurde strategie")).to_have_attribute(
        "download", ""
    )

    page.locator("#id_link-url").fill("https://www.gemeente.be/raad/besluit-12")
    page.locator("#id_link-description").fill("Raadsbesluit")
    with page.expect_navigation():
        page.get_by_role("button", name="Deze link toevoegen").click()
    link = page.get_by_role("link", name="Raadsbesluit")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(page.locator(".evidence-list")).to_contain_text("(gemeente.be)")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert_accessible(page, "the evidence page with a file and a link at 375 px")
    assert Evidence.objects.filter(answer__assessment=draft).count() == 2

    with page.expect_navigation():
        page.get_by_role("link", name="Terug naar de vragenlijst").click()
    expect(page.locator(f"#evidence-{key}")).to_contain_text("Bewijs (2)")
    expect(page.locator(f"#evidence-{key}")).to_contain_text("(gemeente.be)")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert_accessible(page, "the step with evidence at 375 px")


def test_a_refused_file_says_why_on_a_phone(
    page, live_server, default_model, people, password, console_errors
):
    draft = assessment_create(
        organisation=people.organisation, user=people.respondent, title="Meting 2027"
    )
    key = model_version_structure(version=draft.model_version).criteria[0].key
    page.set_viewport_size(PHONE)
    login(page, live_server, people.respondent.username, password)
    page.goto(f"{live_server.url}/assessments/{draft.pk}/evidence/{key}/")
    page.locator("#id_file-file").set_input_files(
        {"name": "foto.png", "mimeType": "image/png", "buffer": samples.html()}
    )
    with page.expect_response(lambda r: r.url.endswith("/upload/")) as response:
        page.get_by_role("button", name="Bestand opladen").click()
    assert response.value.status == 400
    # The browser logs the refusal's status itself; that is the point here.
    console_errors.allow("status of 400")
    expect(page.get_by_text("Dit bestandstype wordt niet aanvaard")).to_be_visible()
    assert_accessible(page, "the refused file at 375 px")
    assert not Evidence.objects.exists()
