"""Admin for staff: actions to look at, with their history."""

from django.contrib import admin
from django.utils import timezone

from actions.models import Action, ActionChange, LanguagePreference


class ActionChangeInline(admin.TabularInline):
    model = ActionChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "changed_by", "field", "old_value", "new_value"]
    readonly_fields = fields


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "due_date", "criterion_key"]
    list_filter = ["status"]
    search_fields = ["title", "organisation__name", "criterion_key", "owner_name"]
    list_select_related = ["organisation"]
    raw_id_fields = ["owner_member"]
    readonly_fields = ["created_by", "created_at", "changed_by", "changed_at", "completed_at"]
    inlines = [ActionChangeInline]

    def save_model(self, request, obj, form, change) -> None:
        # A staff change is a change: the reports' cached plan section is keyed on `changed_at`.
        obj.changed_at = timezone.now()
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(LanguagePreference)
class LanguagePreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    raw_id_fields = ["user"]
