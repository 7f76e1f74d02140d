"""Editable documents below every app: the blocks of a document and its ODT and DOCX writers.

Plain Python and the writers' libraries (odfpy, python-docx), no model and no app import, so
that every app may compose a document: `reports` its report, `trajectories` a session's agenda.
"""

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
