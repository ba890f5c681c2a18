from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from statements.caching import organizations_changed, statement_pages_changed
from statements.models import Organization, Signature, Statement

# Fields whose change after publication readers should be told about ("Updated on …").
REVISED_FIELDS = {"title", "summary", "body"}


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "website", "statement_count"]
    search_fields = ["name", "short_name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    # Said here as well as in Meta: the count below groups rows, and a grouped query drops
    # Meta.ordering (the signature inline's autocomplete would page through them unordered).
    ordering = ["name"]

    def get_queryset(self, request):
        # One query for the whole list: each organization signs a statement at most once.
        return super().get_queryset(request).annotate(_statement_count=Count("signatures"))

    @admin.display(description="statements", ordering="_statement_count")
    def statement_count(self, obj):
        return obj._statement_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        organizations_changed([obj.pk])


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 1
    autocomplete_fields = ["organization"]
    fields = ["order", "organization", "signed_as"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "signed_as":
            # A table row has no room for help text: Django shows it as the column header's
            # tooltip, yet points the input's aria-describedby at a help element it never
            # writes (invalid HTML). The hint goes inside the empty field instead.
            field.widget.attrs["placeholder"] = "e.g. Political-Executive Boards of"
            field.help_text = ""
        return field


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Statement.objects.dates("published_at", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(published_at__year=int(self.value()))
        return queryset


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "visibility", "published_at", "comment_count", "preview"]
    list_filter = ["status", YearFilter, ("signatories", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SignatureInline]
    readonly_fields = ["preview", "revised_at", "created_at", "updated_at", "author"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Publishing", {"fields": ["status", "published_at", "comment_mode", "preview"]}),
        (
            "History",
            {
                "classes": ["collapse"],
                "fields": ["author", "created_at", "updated_at", "revised_at"],
            },
        ),
    ]

    @admin.display(description="visible to readers")
    def visibility(self, obj):
        if obj.status == Statement.Status.DRAFT:
            return "No (draft)"
        return "Yes" if obj.is_public else "Scheduled"

    @admin.display(description="preview")
    def preview(self, obj):
        if not obj.pk:
            return "Save the statement first."
        return format_html('<a href="{}" target="_blank">Preview</a>', obj.get_preview_url())

    def save_model(self, request, obj, form, change):
        # The two submit buttons in the change form decide the status.
        if "_save_draft" in request.POST:
            obj.status = Statement.Status.DRAFT
        elif "_publish" in request.POST:
            obj.status = Statement.Status.PUBLISHED
        if change and REVISED_FIELDS & set(form.changed_data):
            was_public = Statement.objects.published().filter(pk=obj.pk).exists()
            if was_public and obj.status == Statement.Status.PUBLISHED:
                obj.revised_at = timezone.now()
        if not obj.author_id:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        if "_publish" in request.POST and not obj.is_public:
            when = timezone.localtime(obj.published_at)
            self.message_user(
                request,
                f"Scheduled: readers see it from {when:%B %-d, %Y at %H:%M}.",
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Signatures are saved after the statement: only now is the page's new content whole.
        statement_pages_changed([form.instance.pk])

    # "Save as draft" and "Publish" keep the editor on the form, as "Save and continue" does.
    # The admin's own hooks for "where to after a plain save" decide that.

    def response_post_save_add(self, request, obj):
        if _status_button(request):
            return self._back_to_form(request, obj)
        return super().response_post_save_add(request, obj)

    def response_post_save_change(self, request, obj):
        if _status_button(request):
            return self._back_to_form(request, obj)
        return super().response_post_save_change(request, obj)

    def _back_to_form(self, request, obj):
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )
        preserved = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        return HttpResponseRedirect(add_preserved_filters(preserved, url))


def _status_button(request):
    """Whether the editor pressed "Save as draft" or "Publish" (submit_line.html)."""
    return "_save_draft" in request.POST or "_publish" in request.POST
