from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks_db.apps import TasksAppConfig


class StaffConfig(AppConfig):
    """Staff sign-in (password, then a second factor), staff sessions and the audit page."""

    default = True
    name = "staff"
    verbose_name = _("Staff security")

    def ready(self):
        # Django's and django-axes' own signals: the only way to hear of every sign-in.
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from staff import audit, sessions

        user_logged_in.connect(audit.on_sign_in, dispatch_uid="staff.audit.sign_in")
        user_logged_in.connect(sessions.on_sign_in, dispatch_uid="staff.sessions.sign_in")
        user_logged_out.connect(audit.on_sign_out, dispatch_uid="staff.audit.sign_out")
        user_login_failed.connect(audit.on_sign_in_failed, dispatch_uid="staff.audit.failed")
        user_locked_out.connect(audit.on_locked_out, dispatch_uid="staff.audit.locked_out")


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the staff site (staff.sites.StaffAdminSite) as `admin.site`."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "staff.sites.StaffAdminSite"


# Two libraries' sections of the admin, named in the staff member's language (their own names,
# "AXES" and "Tasks Database Backend", are English only): named in INSTALLED_APPS in their place.
class SignInAttemptsConfig(AxesConfig):
    default = False
    verbose_name = _("Sign-in attempts")


class BackgroundTasksConfig(TasksAppConfig):
    default = False
    verbose_name = _("Background tasks")


# django-tasks-db's model names, which it translates but has no Persian for: ours has.
gettext_noop("Task Result")
gettext_noop("Task Results")
