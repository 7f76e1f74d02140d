"""Admin for model editors: drafts are editable, published versions read-only."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from maturity.admin_forms import (
    CriterionAdminForm,
    DimensionAdminForm,
    ModelVersionAdminForm,
    PhaseAdminForm,
)
from maturity.admin_history import ARCHIVED, PUBLISHED, history_message, new_draft_message
from maturity.models import Criterion, CriterionReplacement, Dimension, ModelVersion, Phase
from maturity.selectors import model_version_latest_published
from maturity.services import (
    PublishError,
    model_version_archive,
    model_version_new_draft,
    model_version_publish,
)
from maturity.version_diff import PublishReview, model_version_review

# Shown when a review form comes back for a draft whose changes differ from the ones it showed.
REVIEW_OUTDATED = _(
    "%(version)s changed since you reviewed it: read its changes again before you publish it."
)

admin.site.site_header = _("Groeipad model editing")
admin.site.site_title = _("Groeipad model editing")
admin.site.index_title = _("Maturity model and organisations")


class DraftOnlyMixin:
    """Published and archived versions (and their parts) can be viewed, never changed."""

    def _version_of(self, obj):
        if obj is None:
            return None
        return obj if isinstance(obj, ModelVersion) else obj.version

    def has_change_permission(self, request, obj=None):
        version = self._version_of(obj)
        if version is not None and not version.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        version = self._version_of(obj)
        if version is not None and not version.is_draft:
            return False
        return super().has_delete_permission(request, obj)


class DraftOnlyInlineMixin(DraftOnlyMixin):
    """Rows can be added to a draft version only."""

    def has_add_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_add_permission(request, obj)


class PhaseInline(DraftOnlyInlineMixin, admin.StackedInline):
    model = Phase
    form = PhaseAdminForm
    extra = 0
    fields = [
        ("order", "key", "threshold"),
        ("name_nl", "name_en"),
        ("summary_nl", "summary_en"),
        ("description_nl", "description_en"),
    ]


class DimensionInline(DraftOnlyInlineMixin, admin.StackedInline):
    # Stacked, not tabular: six text columns in one row made the page 2,715 px wide.
    model = Dimension
    form = DimensionAdminForm
    extra = 0
    fields = [("order", "key"), ("name_nl", "name_en"), ("description_nl", "description_en")]


class ReplacementInline(DraftOnlyInlineMixin, admin.StackedInline):
    """The crosswalk: a removed criterion key and the new key whose answers continue it.

    Stacked, not tabular: an empty table's header cells have no text (axe), and the tabular
    inline's script sets inline styles the Content-Security-Policy refuses.
    """

    model = CriterionReplacement
    extra = 0
    fields = [("old_key", "new_key")]


@admin.register(ModelVersion)
class ModelVersionAdmin(DraftOnlyMixin, admin.ModelAdmin):
    form = ModelVersionAdminForm
    list_display = ["name_nl", "slug", "version", "status_in_use", "published_at", "criteria_count"]
    list_filter = ["status", "slug"]
    search_fields = ["name_nl", "name_en", "slug"]
    ordering = ["slug", "-version"]
    inlines = [PhaseInline, DimensionInline, ReplacementInline]
    readonly_fields = ["status_in_use", "published_at", "weight_per_phase", "links"]
    fields = [
        ("slug", "version"),
        ("name_nl", "name_en"),
        ("description_nl", "description_en"),
        "minimum_coverage",
        ("status_in_use", "published_at"),
        "weight_per_phase",
        "links",
    ]
    actions = ["make_new_draft", "publish", "archive"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(criteria_total=Count("criteria"))

    @admin.display(description=_("status"), ordering="status")
    def status_in_use(self, obj):
        if obj.status == ModelVersion.Status.PUBLISHED:
            return _("Published – current: new assessments use it")
        if obj.status == ModelVersion.Status.ARCHIVED:
            return _("Archived – previous version: its assessments and reports stay as they were")
        return obj.get_status_display()

    @admin.display(description=_("criteria"), ordering="criteria_total")
    def criteria_count(self, obj):
        return obj.criteria_total

    @admin.display(description=_("total weight per phase"))
    def weight_per_phase(self, obj):
        if obj.pk is None:
            return "–"
        rows = (
            obj.phases.order_by("order")
            .annotate(total=Sum("criteria__weight"), count=Count("criteria"))
            .values_list("order", "name_nl", "count", "total")
        )
        return render_to_string(
            "admin/maturity/modelversion/_weight_per_phase.html",
            {"rows": [(o, n, c, t or 0) for o, n, c, t in rows]},
        )

    @admin.display(description=_("criteria and preview"))
    def links(self, obj):
        if obj.pk is None:
            return "–"
        return render_to_string("admin/maturity/modelversion/_links.html", {"version": obj})

    @admin.action(description=_("New draft from this version"), permissions=["add"])
    def make_new_draft(self, request, queryset):
        for version in queryset:
            self._new_draft(request, version)

    def _new_draft(self, request: HttpRequest, source: ModelVersion) -> ModelVersion:
        draft = model_version_new_draft(source=source)
        self.log_addition(request, draft, new_draft_message(source_version=source.version))
        self.message_user(
            request,
            _("Draft %(draft)s was made from %(source)s.") % {"draft": draft, "source": source},
            messages.SUCCESS,
        )
        return draft

    @admin.action(description=_("Review changes and publish"), permissions=["change"])
    def publish(self, request, queryset):
        """Show what each selected draft changes; publish them once the editor confirms that."""
        drafts = self._drafts_to_publish(request, queryset)
        if not drafts:
            return None
        reviews = [model_version_review(version=draft) for draft in drafts]
        if request.POST.get("post") == "yes" and self._review_confirmed(request, reviews):
            for review in reviews:
                self._publish(request, review.version)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Review changes and publish"),
            "reviews": reviews,
            "has_problems": any(review.problems for review in reviews),
        }
        return TemplateResponse(
            request, "admin/maturity/modelversion/publish_selected_confirmation.html", context
        )

    def _drafts_to_publish(self, request: HttpRequest, queryset) -> list[ModelVersion]:
        """The selected drafts, or none with a message when they cannot be published together."""
        versions = list(queryset.order_by("slug", "version"))
        drafts = [version for version in versions if version.is_draft]
        if not drafts:
            self.message_user(request, _("Only a draft can be published."), messages.ERROR)
            return []
        slugs = [draft.slug for draft in drafts]
        if len(set(slugs)) < len(slugs):
            # Publishing one draft archives the other at once, and the second review would
            # compare against a version that is no longer current.
            self.message_user(
                request,
                _("Select one draft per model: publish them one at a time."),
                messages.ERROR,
            )
            return []
        for version in versions:
            if not version.is_draft:
                self.message_user(
                    request,
                    _("%(version)s is not a draft: it stays as it is.") % {"version": version},
                    messages.WARNING,
                )
        return drafts

    def _review_confirmed(self, request: HttpRequest, reviews: list[PublishReview]) -> bool:
        """Whether the posted form confirms every review as it is now; if not, say which not."""
        outdated = [review for review in reviews if not review.is_confirmed(request.POST)]
        for review in outdated:
            self.message_user(
                request, REVIEW_OUTDATED % {"version": review.version}, messages.WARNING
            )
        return not outdated

    def get_urls(self):
        views = [
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="maturity_modelversion_publish",
            ),
            path(
                "<int:pk>/new-draft/",
                self.admin_site.admin_view(self.new_draft_view),
                name="maturity_modelversion_new_draft",
            ),
        ]
        return views + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "current_version": None}
        version = self.get_object(request, object_id)
        if version is not None:
            extra_context["current_version"] = model_version_latest_published(slug=version.slug)
        return super().change_view(request, object_id, form_url, extra_context)

    def _version_or_404(self, request: HttpRequest, pk: int) -> ModelVersion:
        version = self.get_object(request, str(pk))
        if version is None:
            raise Http404
        return version

    @method_decorator(require_http_methods(["GET", "POST"]))
    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """What the draft changes against the current version; publishing it on POST."""
        version = self._version_or_404(request, pk)
        if not version.is_draft or not self.has_change_permission(request, version):
            raise PermissionDenied
        review = model_version_review(version=version)
        if request.method == "POST" and self._review_confirmed(request, [review]):
            self._publish(request, version)
            return HttpResponseRedirect(
                reverse("admin:maturity_modelversion_change", args=[version.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Review and publish %(version)s") % {"version": version},
            "original": version,
            "review": review,
        }
        return TemplateResponse(request, "admin/maturity/modelversion/publish.html", context)

    def _publish(self, request: HttpRequest, version: ModelVersion) -> bool:
        """Publish one draft, with a message either way; whether it was published."""
        try:
            model_version_publish(version=version)
        except PublishError as error:
            self.message_user(
                request,
                _("%(version)s was not published: %(problems)s")
                % {"version": version, "problems": " ".join(error.problems)},
                messages.ERROR,
            )
            return False
        self.log_change(request, version, PUBLISHED)
        self.message_user(
            request,
            _("%(version)s is published; new assessments use it.") % {"version": version},
            messages.SUCCESS,
        )
        return True

    def history_view(self, request, object_id, extra_context=None):
        """The admin's history, with our own messages in the reader's language."""
        response = super().history_view(request, object_id, extra_context)
        if isinstance(response, TemplateResponse):
            # The entries are only shown, never saved: replacing the stored text is safe.
            for entry in response.context_data["action_list"]:
                entry.change_message = history_message(entry.change_message)
        return response

    @method_decorator(require_POST)
    def new_draft_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """A new draft from a published (or archived) version, opened for editing."""
        source = self._version_or_404(request, pk)
        if not self.has_add_permission(request):
            raise PermissionDenied
        draft = self._new_draft(request, source)
        return HttpResponseRedirect(reverse("admin:maturity_modelversion_change", args=[draft.pk]))

    @admin.action(description=_("Archive"), permissions=["change"])
    def archive(self, request, queryset):
        archived = 0
        for version in queryset.filter(status=ModelVersion.Status.PUBLISHED):
            model_version_archive(version=version)
            self.log_change(request, version, ARCHIVED)
            archived += 1
        self.message_user(
            request,
            ngettext("%(count)d version archived.", "%(count)d versions archived.", archived)
            % {"count": archived},
        )


@admin.register(Criterion)
class CriterionAdmin(DraftOnlyMixin, admin.ModelAdmin):
    form = CriterionAdminForm
    list_display = ["key", "statement_nl", "phase", "dimension", "order", "weight", "version"]
    list_filter = ["version", "phase__order", "dimension__key"]
    search_fields = ["key", "statement_nl", "statement_en", "advice_nl"]
    ordering = ["version", "dimension__order", "order"]
    list_select_related = ["phase", "dimension", "version"]
    fields = [
        "version",
        ("key", "phase", "dimension"),
        ("order", "weight"),
        ("statement_nl", "statement_en"),
        ("help_text_nl", "help_text_en"),
        ("advice_nl", "advice_en"),
        ("advice_title_nl", "advice_title_en"),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = ModelVersion.objects.filter(status=ModelVersion.Status.DRAFT)
        elif db_field.name in ("phase", "dimension"):
            model = Phase if db_field.name == "phase" else Dimension
            kwargs["queryset"] = model.objects.filter(
                version__status=ModelVersion.Status.DRAFT
            ).select_related("version")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
