"""The URL walk's hostile-value pass: every GET parameter and form field it finds, sent hostile.

For one page it reads the forms (fields and their current values) and the links with a query
string, then sends each hostile value in every GET parameter at once and in every form field
one at a time (the others as the page had them, so a service behind a valid form is reached).
Anything 500 or worse, or an exception, is a problem. Values travel already percent-encoded, so
broken encodings and lone surrogates reach the server as a browser or a script could send them.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

from django.test import Client

# name -> the value as it travels in a query string or a form body.
HOSTILE_VALUES: dict[str, str] = {
    "NUL": "%00",
    "NUL inside": "a%00b",
    "lone surrogate": "%ED%A0%80",
    "broken UTF-8": "%E9t%C3",
    "bad %-escape": "%zz%",
    "RTL override": quote("\u202eevil\u202c.exe"),
    "control characters": quote("a\x0bb\x1bc\u2028d\ne\x7f"),
    "1 MB": "x" * 1_000_000,
}
SKIPPED_INPUT_TYPES = {"submit", "button", "file", "image", "reset"}
# What a person types into an empty field, so that the other fields of a form are valid and a
# hostile value in one field reaches the service behind the form.
TYPED = {"email": "walk@example.org", "number": "1", "date": "2030-01-01", "password": ""}
TYPED_TEXT = "Groeipad"
# The page header's forms: posting logout would end the walk's session; the language switch
# (Django's set_language) is tested with hostile input in tests/security/test_bad_input.py.
SKIPPED_ACTIONS = ("/accounts/logout/", "/i18n/setlang/")


@dataclass
class PageForm:
    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)


class _PageReader(HTMLParser):
    """The forms of a page (field names and what a browser would send) and its query links."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[PageForm] = []
        self.query_names: set[str] = set()
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_chosen = False

    def handle_starttag(self, tag, attrs):
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(
                PageForm(attributes.get("method", "get").lower(), attributes.get("action", ""))
            )
        elif tag == "a" and "?" in attributes.get("href", ""):
            query = urlsplit(attributes["href"]).query
            self.query_names |= {name for name, _value in parse_qsl(query)}
        if not self.forms:
            return
        fields = self.forms[-1].fields
        if tag == "option" and self._select:
            # A browser sends the selected option, or the first one.
            if not self._select_chosen and (
                "selected" in attributes or fields.get(self._select) is None
            ):
                fields[self._select] = attributes.get("value", "")
                self._select_chosen = "selected" in attributes
            return
        name = attributes.get("name")
        if not name:
            return
        if tag == "input" and attributes.get("type", "text") not in SKIPPED_INPUT_TYPES:
            if attributes.get("type") in ("checkbox", "radio"):
                fields.setdefault(name, "")
                if "checked" in attributes:
                    fields[name] = attributes.get("value", "on")
            else:
                kind = attributes.get("type", "text")
                typed = TYPED.get(kind, TYPED_TEXT) if kind != "hidden" else ""
                fields[name] = attributes.get("value") or typed
        elif tag == "textarea":
            self._textarea = name
            fields[name] = ""
        elif tag == "select":
            self._select = name
            self._select_chosen = False
            fields[name] = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self.forms and not self.forms[-1].fields[self._textarea].strip():
                self.forms[-1].fields[self._textarea] = TYPED_TEXT
            self._textarea = None
        elif tag == "select":
            self._select = None


def read_page(content: str) -> _PageReader:
    reader = _PageReader()
    reader.feed(content)
    return reader


def _encoded(fields: dict[str, str | None]) -> str:
    return "&".join(f"{quote(name)}={quote(value or '')}" for name, value in fields.items())


def _status(send) -> int:
    try:
        return send().status_code
    except Exception as error:
        return 500 if not isinstance(error, AssertionError) else 599


def hostile_problems(client: Client, url: str) -> list[str]:
    """Every hostile request to the page at `url` (its parameters and forms) that gave a 5xx."""
    page = client.get(url)
    problems = []
    if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
        return problems
    reader = read_page(page.content.decode())
    get_names = set(reader.query_names) | {"model", "q", "next"}
    for form in reader.forms:
        if form.method == "get":
            get_names |= set(form.fields)
    for label, value in HOSTILE_VALUES.items():
        query = "&".join(f"{quote(name)}={value}" for name in sorted(get_names))
        status = _status(lambda query=query: client.get(f"{url}?{query}"))
        if status >= 500:
            problems.append(f"GET {url} with {label} in {sorted(get_names)}: {status}")
    for form in reader.forms:
        if form.method != "post" or form.action.startswith(SKIPPED_ACTIONS):
            continue
        target = form.action or url
        for name in form.fields:
            others = {key: value for key, value in form.fields.items() if key != name}
            for label, value in HOSTILE_VALUES.items():
                body = "&".join(filter(None, (_encoded(others), f"{quote(name)}={value}")))
                status = _status(
                    lambda body=body, target=target: client.post(
                        target, body, content_type="application/x-www-form-urlencoded"
                    )
                )
                if status >= 500:
                    problems.append(f"POST {target} with {label} in {name!r}: {status}")
    return problems
