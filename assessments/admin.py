"""Admin for staff: organisations and their members; assessments to look at, not to edit."""

from django.contrib import admin

from assessments.models import Assessment, AssessmentEvent, Invitation, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "official_code", "population"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "slug", "official_code"]
    prepopulated_fields = {"slug": ["name"]}
    # The logo is uploaded by the organisation's admins, where assessments/logo.py checks it.
    readonly_fields = ["logo"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation"]
    readonly_fields = ["token", "invited_by", "created_at", "accepted_at", "accepted_by"]


class AssessmentEventInline(admin.TabularInline):
    model = AssessmentEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "user", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Assessments are filled in and submitted in the app; staff can look, not change answers."""

    list_display = ["title", "organisation", "status", "phase_order", "submitted_at"]
    list_filter = ["status", "model_version"]
    search_fields = ["title", "organisation__name"]
    list_select_related = ["organisation"]
    fields = [
        "organisation",
        "model_version",
        "title",
        "status",
        "created_by",
        "created_at",
        "submitted_by",
        "submitted_at",
        "phase_order",
        "maturity_index",
    ]
    readonly_fields = fields
    inlines = [AssessmentEventInline]

    def has_add_permission(self, request):
        return False
