"""The admin site staff work in: Django's, with its doors checked."""

from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import path


class StaffAdminSite(admin.AdminSite):
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
