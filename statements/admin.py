from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from statements.models import Organization, Signature, Statement

# Fields whose change after publication readers should be told about ("Updated on …").
REVISED_FIELDS = {"title", "summary", "body"}


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "website", "statement_count"]
    search_fields = ["name", "short_name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description="statements")
    def statement_count(self, obj):
        return obj.statements.count()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Statement pages cache their signatory blocks under the statement's updated_at.
        obj.statements.update(updated_at=timezone.now())


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
        return format_html(
            '<a href="{}" target="_blank">Preview</a>', reverse("statements:preview", args=[obj.pk])
        )

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

    def response_change(self, request, obj):
        if "_save_draft" in request.POST or "_publish" in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_save_draft" in request.POST or "_publish" in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return super().response_add(request, obj, post_url_continue)
