"""Admin for model editors: drafts are editable, published versions read-only."""

from django.contrib import admin, messages
from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from maturity.models import Criterion, Dimension, ModelVersion, Phase
from maturity.services import (
    PublishError,
    model_version_archive,
    model_version_new_draft,
    model_version_publish,
)


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
    extra = 0
    fields = [
        ("order", "key", "threshold"),
        ("name_nl", "name_en"),
        ("summary_nl", "summary_en"),
        ("description_nl", "description_en"),
    ]


class DimensionInline(DraftOnlyInlineMixin, admin.TabularInline):
    model = Dimension
    extra = 0
    fields = ["order", "key", "name_nl", "name_en", "description_nl", "description_en"]


@admin.register(ModelVersion)
class ModelVersionAdmin(DraftOnlyMixin, admin.ModelAdmin):
    list_display = ["name_nl", "slug", "version", "status", "published_at", "criteria_count"]
    list_filter = ["status", "slug"]
    search_fields = ["name_nl", "name_en", "slug"]
    ordering = ["slug", "-version"]
    inlines = [PhaseInline, DimensionInline]
    readonly_fields = ["status", "published_at", "weight_per_phase", "links"]
    fields = [
        ("slug", "version"),
        ("name_nl", "name_en"),
        ("description_nl", "description_en"),
        "minimum_coverage",
        ("status", "published_at"),
        "weight_per_phase",
        "links",
    ]
    actions = ["make_new_draft", "publish", "archive"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(criteria_total=Count("criteria"))

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
            draft = model_version_new_draft(source=version)
            self.log_addition(request, draft, f"New draft from version {version.version}")
            self.message_user(
                request,
                _("Draft %(draft)s was made from %(source)s.")
                % {"draft": draft, "source": version},
                messages.SUCCESS,
            )

    @admin.action(description=_("Publish"), permissions=["change"])
    def publish(self, request, queryset):
        for version in queryset:
            try:
                model_version_publish(version=version)
            except PublishError as error:
                self.message_user(
                    request,
                    _("%(version)s was not published: %(problems)s")
                    % {"version": version, "problems": " ".join(error.problems)},
                    messages.ERROR,
                )
            else:
                self.log_change(request, version, "Published")
                self.message_user(
                    request, _("%(version)s is published.") % {"version": version}, messages.SUCCESS
                )

    @admin.action(description=_("Archive"), permissions=["change"])
    def archive(self, request, queryset):
        archived = 0
        for version in queryset.filter(status=ModelVersion.Status.PUBLISHED):
            model_version_archive(version=version)
            self.log_change(request, version, "Archived")
            archived += 1
        self.message_user(
            request,
            ngettext("%(count)d version archived.", "%(count)d versions archived.", archived)
            % {"count": archived},
        )


@admin.register(Criterion)
class CriterionAdmin(DraftOnlyMixin, admin.ModelAdmin):
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
