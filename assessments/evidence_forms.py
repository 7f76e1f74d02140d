"""The evidence page's two forms (a link, a file) and the upload handler that bounds a file.

The handler is put in front of Django's own by the upload view before the body is read: it
counts the bytes of the file as they arrive and stops the upload past the limit, so an upload
that is too large is never stored whole (the view refuses it at once when ``Content-Length``
says so already). It also keeps the file name as sent: Django cuts a name down to its last
path part before anyone sees it, and a name with a path is refused, not quietly changed.
"""

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParser
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assessments.evidence_files import (
    FILE_TOO_LARGE,
    EvidenceFileError,
    file_type_detect,
    filename_check,
    link_check,
)
from assessments.evidence_models import EVIDENCE_DESCRIPTION_MAX_LENGTH, EVIDENCE_URL_MAX_LENGTH
from maturity.input_rules import SingleLineFieldsMixin

# Room for the form's other fields and the multipart boundaries around the file.
MULTIPART_OVERHEAD = 64 * 1024
UPLOAD_SUFFIX = "/upload/"
UPLOAD_URL_NAMES = ("evidence_upload", "perspective_evidence_upload")


class EvidenceUploadHandler(FileUploadHandler):
    """Counts the file's bytes and stops the upload at ``limit``; keeps the names as sent."""

    def __init__(self, request, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large = False
        self.sent_names: list[str] = []

    def receive_data_chunk(self, raw_data: bytes, start: int):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            # Discards the rest of the body (bounded by the Content-Length check) and the
            # part of the file already received: nothing of it is kept.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int):
        return None  # the next handler (memory or temporary file) makes the file


class _NamesKeepingParser(MultiPartParser):
    """Django's parser, telling the evidence handler each file name before it is cut down."""

    def sanitize_file_name(self, file_name):
        for handler in self._upload_handlers:
            if isinstance(handler, EvidenceUploadHandler):
                handler.sent_names.append(str(file_name))
        return super().sanitize_file_name(file_name)


class EvidenceUploadMiddleware:
    """Before anything reads the body of an evidence upload: refuse it when its declared length
    is over the limit (413, the body unread), else put the bounding handler in front.

    It must come before every middleware that reads ``request.POST`` (the unstorable-input
    check, CSRF): after the first read, upload handlers can no longer change.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info.endswith(UPLOAD_SUFFIX):
            match = _resolve(request.path_info)
            if match is not None and match.url_name in UPLOAD_URL_NAMES:
                refused = _declared_too_large(request)
                if refused is not None:
                    return refused
                request.evidence_upload_handler = evidence_upload_prepare(
                    request, limit=settings.EVIDENCE_MAX_FILE_BYTES
                )
        return self.get_response(request)


def _resolve(path: str):
    try:
        return resolve(path)
    except Resolver404:
        return None


def _declared_too_large(request) -> HttpResponse | None:
    limit = settings.EVIDENCE_MAX_FILE_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared <= limit + MULTIPART_OVERHEAD:
        return None
    context = {
        "language": get_language(),
        "message": FILE_TOO_LARGE % {"limit": limit // (1024 * 1024)},
        "back_url": request.path_info.removesuffix("upload/"),
    }
    response = HttpResponse(render_to_string("errors/413_evidence.html", context), status=413)
    add_never_cache_headers(response)
    # The body is left unread: the connection is not reused for another request.
    response["Connection"] = "close"
    return response


def evidence_upload_prepare(request, *, limit: int) -> EvidenceUploadHandler:
    """Before the body is read: the bounding handler first, and a parser that keeps names."""
    handler = EvidenceUploadHandler(request, limit=limit)
    request.upload_handlers.insert(0, handler)

    def parse_file_upload(meta, post_data):
        parser = _NamesKeepingParser(meta, post_data, request.upload_handlers, request.encoding)
        return parser.parse()

    request.parse_file_upload = parse_file_upload
    return handler


class EvidenceLinkForm(SingleLineFieldsMixin, forms.Form):
    """A link (http or https) with a short description."""

    url = forms.CharField(
        label=_("Link"),
        max_length=EVIDENCE_URL_MAX_LENGTH,
        help_text=_("A web address starting with https:// or http://. It is not opened by us."),
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )
    description = forms.CharField(
        label=_("Short description"),
        max_length=EVIDENCE_DESCRIPTION_MAX_LENGTH,
        required=False,
        help_text=_("For example: council decision of 12 March."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, prefix="link", **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_url(self) -> str:
        try:
            return link_check(self.cleaned_data["url"])
        except EvidenceFileError as error:
            raise forms.ValidationError(error.message) from None


class EvidenceFileForm(SingleLineFieldsMixin, forms.Form):
    """A file (PDF, ODF/Office document, PNG, JPEG, CSV) with a short description."""

    file = forms.FileField(
        label=_("File"),
        allow_empty_file=False,
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.odt,.ods,.odp,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.csv",
            }
        ),
    )
    description = forms.CharField(
        label=_("Short description"),
        max_length=EVIDENCE_DESCRIPTION_MAX_LENGTH,
        required=False,
        help_text=_("For example: approved social-media strategy."),
    )

    def __init__(self, *args, handler=None, limit: int, **kwargs) -> None:
        super().__init__(*args, prefix="file", **kwargs)
        self.handler = handler
        self.limit = limit
        self.fields["file"].help_text = _(
            "PDF, ODF or Office document, PNG, JPEG or CSV; at most %(limit)s MB."
        ) % {"limit": limit // (1024 * 1024)}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def _too_large(self) -> forms.ValidationError:
        return forms.ValidationError(FILE_TOO_LARGE % {"limit": self.limit // (1024 * 1024)})

    def full_clean(self) -> None:
        if self.is_bound and self.handler is not None and self.handler.too_large:
            self.cleaned_data = {}
            self._errors = ErrorDict()
            self.add_error("file", self._too_large())
            return
        super().full_clean()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        sent = self.handler.sent_names[-1] if self.handler and self.handler.sent_names else None
        try:
            self.filename = filename_check(sent if sent is not None else upload.name)
            if upload.size > self.limit:
                raise self._too_large()
            self.file_type = file_type_detect(upload, name=self.filename, size=upload.size)
        except EvidenceFileError as error:
            raise forms.ValidationError(error.message) from None
        return upload
