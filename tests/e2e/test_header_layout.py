"""The site header of an organisation admin (six links) at 1,280 and 800 px, in both languages:
the language switch and "Log out" on one line beside the brand, the links on one line of their
own under it (at 800 px at most two), and nothing wider than the window. At 375 px the existing
phone layout holds: no horizontal scroll."""

import pytest

from tests.e2e.conftest import login

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("language"),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

GEOMETRY = """() => {
  const box = s => document.querySelector(s).getBoundingClientRect();
  const links = [...document.querySelectorAll('.site-header .nav-link')]
    .map(a => a.getBoundingClientRect());
  return {
    brand: box('.navbar-brand'),
    language: box('#language-switch'),
    logout: box('form[action$="/accounts/logout/"] button'),
    linkTops: [...new Set(links.map(r => Math.round(r.top)))],
    firstLink: links[0],
    links: links.length,
    scroll: document.documentElement.scrollWidth > window.innerWidth,
  };
}"""


@pytest.mark.parametrize(("width", "link_rows"), [(1280, 1), (800, 2)])
def test_admin_header_has_its_buttons_on_one_line_and_the_links_under_them(
    page, live_server, demo_data, width, link_rows
):
    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server, "beheer", demo_data)
    page.goto(f"{live_server.url}/trajectories/")

    g = page.evaluate(GEOMETRY)

    assert g["links"] == 6
    assert not g["scroll"]
    assert abs(g["language"]["top"] - g["logout"]["top"]) < 2, "Log out fell under the switch"
    assert abs(g["language"]["top"] - g["brand"]["top"]) < 20
    assert g["firstLink"]["top"] >= g["brand"]["bottom"] - 1, "the links share the brand's line"
    assert len(g["linkTops"]) <= link_rows
    assert abs(g["firstLink"]["left"] - g["brand"]["left"]) < 2, "the links start under the brand"


def test_phone_header_does_not_scroll_sideways(page, live_server, demo_data):
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, live_server, "beheer", demo_data)
    page.goto(f"{live_server.url}/trajectories/")

    assert not page.evaluate(GEOMETRY)["scroll"]
