from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class StaffConfig(AppConfig):
    """Staff sign-in, staff sessions and the audit page."""

    default = True
    name = "staff"
    verbose_name = "Staff security"


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the staff site (staff.sites.StaffAdminSite) as `admin.site`."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "staff.sites.StaffAdminSite"
