"""Reading a page's form the way a browser submits it."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    """Collects what a browser would submit from the questionnaire's inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "select" and name and name.endswith("-confidence"):
            # A browser sends the selected option, else the first one.
            self._select = name
        elif tag == "option" and self._select:
            if self._select not in self.values or "selected" in attributes:
                self.values[self._select] = attributes.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "input" and name and name.rsplit("-", 1)[-1] in ("value", "revision"):
            if attributes.get("type") == "hidden":
                self.values[name] = attributes.get("value", "")
            elif attributes.get("type") == "radio":
                self.values.setdefault(name, "")
                if "checked" in attributes:
                    self.values[name] = attributes.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        if tag == "select":
            self._select = None


def loaded_form(response) -> dict[str, str]:
    """What the browser sends back for the page as it was loaded: every field's current value."""
    parser = _FormFields()
    parser.feed(response.content.decode())
    return parser.values
