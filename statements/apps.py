from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatementsConfig(AppConfig):
    name = "statements"
    # The admin's section heading and breadcrumb, in the staff member's language.
    verbose_name = _("Statements")
