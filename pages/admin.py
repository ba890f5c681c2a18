from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pages import identity
from pages.logos import read_logo
from pages.models import Page, SiteIdentity, SiteText
from statements.widgets import BodyEditor


class PageForm(forms.ModelForm):
    class Meta:
        widgets = {"body": BodyEditor}


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    form = PageForm
    list_display = ["title", "slug", "language", "updated_at"]
    list_filter = ["language"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["updated_at"]


class SiteIdentityForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("new logo"),
        required=False,
        help_text=_("SVG or PNG, at most 20 KB; shown about 48 pixels high."),
        widget=forms.FileInput(attrs={"accept": ".svg,.png,image/svg+xml,image/png"}),
    )
    remove_logo = forms.BooleanField(label=_("remove the logo"), required=False)

    class Meta:
        model = SiteIdentity
        fields = ["accent"]
        widgets = {"accent": forms.TextInput(attrs={"placeholder": "#0b5cad", "size": 8})}

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload:
            self.instance.logo, self.instance.logo_type = read_logo(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove_logo") and not cleaned.get("upload"):
            self.instance.logo, self.instance.logo_type = b"", ""
        return cleaned


class SiteTextInline(admin.StackedInline):
    model = SiteText
    extra = 0
    min_num = 1
    max_num = len(settings.LANGUAGES)
    # Each language's text takes its own direction, whatever the admin's.
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"dir": "auto", "size": 60})},
        models.TextField: {"widget": forms.Textarea(attrs={"dir": "auto", "rows": 3})},
    }


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    """One row: the list leads to it, it cannot be deleted, and a second cannot be added."""

    form = SiteIdentityForm
    inlines = [SiteTextInline]
    fields = ["current_logo", "upload", "remove_logo", "accent"]
    readonly_fields = ["current_logo"]

    @admin.display(description=_("logo"))
    def current_logo(self, obj):
        url = identity.current().logo_url
        if not url:
            return _("No logo: the site's name stands alone.")
        return format_html('<img src="{}" alt="" class="identity-logo-preview">', url)

    def has_add_permission(self, request):
        return not SiteIdentity.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if SiteIdentity.objects.filter(pk=identity.SINGLETON).exists():
            return redirect(reverse("admin:pages_siteidentity_change", args=[identity.SINGLETON]))
        return redirect(reverse("admin:pages_siteidentity_add"))

    def save_model(self, request, obj, form, change):
        obj.pk = identity.SINGLETON
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        identity.identity_changed()
