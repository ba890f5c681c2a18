from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group
from django.utils.html import format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff import audit, factors
from staff.models import AuditEvent

User = get_user_model()


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit page: every staff event in one list, for superusers only, never edited."""

    list_display = ["at", "username", "kind", "detail", "ip_address"]
    list_filter = ["kind", ("user", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username", "detail", "ip_address"]
    date_hierarchy = "at"
    list_per_page = 100
    list_select_related = ["user"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if self.has_view_permission(request):
            audit.copy_admin_log()
        return super().changelist_view(request, extra_context)


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's form for setting another account's password, as valid HTML.

    Django's help text for "Password-based authentication" carries its warning as a list,
    which its template puts inside a paragraph (invalid; the Nu HTML Checker stops there).
    The same warning, with the same id and class that Django's CSS and script hide and show,
    is inline here. Django's own translations of both sentences still apply.
    """

    usable_password_help_text = format_lazy(
        '{} <strong id="id_unusable_warning" class="messagelist">{}</strong>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


admin.site.unregister(User)
admin.site.unregister(Group)
# Factors are added by their owner (staff.views) and reset by a superuser (the action below),
# each on the audit page; django-otp's own device pages would be a third, unrecorded way.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Django's user admin, with each account's second factors and a superuser's reset."""

    change_password_form = PasswordChangeForm

    class Media:
        js = ["js/select-filter-icons.js"]  # the groups and permissions selectors

    list_display = [*UserAdmin.list_display, "second_factors"]
    actions = ["reset_second_factors"]

    @admin.display(description=_("second factors"))
    def second_factors(self, obj):
        return format_html_join(", ", "{}", ((factors.describe(d),) for d in factors.devices(obj)))

    @admin.action(description=_("Reset second factors (they set one up at next sign-in)"))
    def reset_second_factors(self, request, queryset):
        if not request.user.is_superuser:
            self.message_user(
                request, gettext("Only superusers reset second factors."), messages.ERROR
            )
            return
        for user in queryset.exclude(pk=request.user.pk):
            factors.reset(request, user)
            self.log_change(request, user, "Reset second factors.")
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(
                request,
                gettext("Your own factors were not reset: remove them on your factors page."),
                messages.WARNING,
            )
        self.message_user(request, gettext("Second factors reset."), messages.SUCCESS)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.filter(pk=id).first()
            audit.record(
                request, audit.Kind.PASSWORD_CHANGED, user, f"by {request.user.get_username()}"
            )
        return response


@admin.register(Group)
class StaffGroupAdmin(GroupAdmin):
    """Django's group admin; its permissions selector's icons named as images."""

    class Media:
        js = ["js/select-filter-icons.js"]
