"""Documents below every app: the blocks of a document, its ODT and DOCX writers, and the one
render lifecycle of every worker-rendered document (`renders`, on the abstract model of
`models`; the answers of a document's address in `waiting`).

Plain Python, the writers' libraries (odfpy, python-docx) and Django, no app import, so that
every app may compose and render a document: `reports` its report, `trajectories` a session's
agenda.
"""

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
