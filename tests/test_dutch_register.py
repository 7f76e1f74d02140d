"""The Dutch interface speaks to people with "je", everywhere: pages, e-mails and the PDF.

"je" is the project's register (docs/architecture.md, "Words and formats"): Groeipad is a tool
for a municipality's own team, used among colleagues, and Flemish government style guides
advise the informal register for such tools. One register, so no page mixes "u" and "je".
"""

import re

from tests.test_translations import PO_PATH, messages, parse_po

# The formal pronouns as whole words: "u", "uw", "uzelf" (and capitalised), not inside a word
# ("uur", "aub") or a hyphenated one.
FORMAL = re.compile(r"(?<![\w-])(?:u|uw|uzelf)(?![\w-])", re.IGNORECASE)


def formal_forms(text: str) -> list[str]:
    # Placeholders are not words: "%(count)u" does not occur, "%(name)s" holds no pronoun.
    return FORMAL.findall(re.sub(r"%\([^)]*\)[a-z]", " ", text))


def test_the_formal_check_finds_formal_forms():
    assert formal_forms("U werkt voor de gemeente.") == ["U"]
    assert formal_forms("Kijk uw e-mail na; hebt u hem?") == ["uw", "u"]
    assert formal_forms("Je werkt voor de gemeente, binnen 24 uur.") == []
    assert formal_forms("Vraag het aan je beheerder (u-bocht).") == []


def test_the_dutch_catalogue_uses_je_and_never_u():
    formal = {
        entry.msgid: text
        for entry in messages(parse_po(PO_PATH))
        for text in entry.msgstr.values()
        if formal_forms(text)
    }

    assert not formal, f"formal “u”/“uw” in the Dutch catalogue; write “je”/“jouw”: {formal}"
