from django.contrib import admin

from sso.models import RuleMembership, SignInEvent, SignInRule


@admin.register(SignInRule)
class SignInRuleAdmin(admin.ModelAdmin):
    list_display = ("organisation", "provider_id", "claim", "value", "role", "created_at")
    list_filter = ("provider_id", "role")
    search_fields = ("organisation__name", "claim", "value")
    autocomplete_fields = ("organisation",)
    readonly_fields = ("created_by", "created_at")


@admin.register(RuleMembership)
class RuleMembershipAdmin(admin.ModelAdmin):
    list_display = ("membership", "rule")
    list_select_related = ("membership__user", "membership__organisation", "rule")
    readonly_fields = ("membership", "rule")


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    """Staff read the whole sign-in audit trail; nobody edits it."""

    list_display = ("at", "kind", "succeeded", "user", "identifier", "method", "provider_id")
    list_filter = ("kind", "succeeded", "method", "provider_id")
    search_fields = ("identifier", "user__username", "user__email", "detail")
    list_select_related = ("user",)
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
