"""The admin site staff work in: Django's, with a second sign-in step and its doors checked."""

from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from staff import audit, factors, views


class StaffAdminSite(admin.AdminSite):
    site_header = format_lazy("{} — {}", settings.SITE_NAME, _("staff"))
    site_title = settings.SITE_NAME

    def has_permission(self, request):
        """Staff who signed in with the password and, where required, a second factor."""
        return super().has_permission(request) and not factors.needs_second_factor(request.user)

    def login(self, request, extra_context=None):
        """The password (django-axes counts the failures); then on to the second factor."""
        if request.method == "GET" and factors.needs_second_factor(request.user):
            return redirect(views.first_step(request, request.user))
        response = super().login(request, extra_context)
        if (
            request.method == "POST"
            and response.status_code == 302
            and factors.needs_second_factor(request.user)
        ):
            return redirect(views.first_step(request, request.user))
        return response

    def password_change(self, request, extra_context=None):
        response = super().password_change(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            audit.record(request, audit.Kind.PASSWORD_CHANGED, request.user, "their own")
        return response

    def get_urls(self):
        urls = super().get_urls()
        # Django's "view on site" redirect (`r/<content type>/<pk>/`) answers for any object
        # to any staff member: walking the keys found drafts' addresses. Ours asks first.
        ours = [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            path("sign-in/second-factor/", views.verify, name="staff_verify"),
            path("sign-in/add-factor/", views.enrol, name="staff_enrol"),
            path("factors/", self.admin_view(views.factors_page), name="staff_factors"),
            path(
                "factors/backup-codes/",
                self.admin_view(views.backup_codes),
                name="staff_backup_codes",
            ),
            path(
                "factors/remove/", self.admin_view(views.remove_factor), name="staff_remove_factor"
            ),
        ]
        return [*ours, *[u for u in urls if getattr(u, "name", None) != "view_on_site"]]

    def view_on_site(self, request, content_type_id, object_id):
        """Redirect to an object's page only for staff who may view that kind of object.

        Anyone else gets the same 404 as for an object that does not exist, so that the
        redirect tells them nothing.
        """
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            model = None
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.has_view_permission(request):
            raise Http404("No such object.")
        return contenttype_views.shortcut(request, content_type_id, object_id)
