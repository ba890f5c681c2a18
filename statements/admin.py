from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion import set_comment as reversion_set_comment
from reversion.admin import VersionAdmin
from reversion.models import Version

from statements import revisions
from statements.caching import organizations_changed, statement_pages_changed
from statements.formats import format_datetime
from statements.history import comparison_sections
from statements.languages import current_language, language_choices, local_name
from statements.models import (
    Organization,
    OrganizationTranslation,
    PublicRevision,
    Signature,
    Statement,
)
from statements.text import fold
from statements.widgets import BodyEditor

# What a translation translates: a change to these in the source outdates its translations.
CONTENT_FIELDS = {"title", "summary", "body"}
# Fields copied from a source into the form of a new translation, for the translator to edit.
TRANSLATED_FIELDS = ["title", "slug", "summary", "body", "published_at", "comment_mode"]


class OrganizationTranslationInline(admin.StackedInline):
    model = OrganizationTranslation
    extra = 1
    fields = ["language", "name", "short_name", "description"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "other_names", "website", "statement_count"]
    search_fields = ["name", "short_name", "description", "translations__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganizationTranslationInline]
    # Said here as well as in Meta: the count below groups rows, and a grouped query drops
    # Meta.ordering (the signature inline's autocomplete would page through them unordered).
    ordering = ["name"]

    def get_queryset(self, request):
        # One query for the whole list: each organization signs a statement at most once.
        return (
            super()
            .get_queryset(request)
            .annotate(_statement_count=Count("signatures"))
            .prefetch_related("translations")
        )

    @admin.display(description=_("statements"), ordering="_statement_count")
    def statement_count(self, obj):
        return obj._statement_count

    @admin.display(description=_("in other languages"))
    def other_names(self, obj):
        return format_html_join(
            ", ",
            '<span lang="{}" dir="auto">{}</span>',
            ((text.language, text.name) for text in obj.translations.all()),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the names in other languages are saved too: only now is the change whole.
        organizations_changed([form.instance.pk])


def is_public(statement):
    """Whether readers can see the statement as stored now (before this form is saved)."""
    return bool(statement.pk) and Statement.objects.published().filter(pk=statement.pk).exists()


class SignatureForm(forms.ModelForm):
    def clean_joined_on(self):
        joined_on = self.cleaned_data.get("joined_on")
        if joined_on is None:
            return None
        if joined_on > timezone.localdate():
            raise ValidationError(_("The day it joined cannot be in the future."), code="future")
        statement = getattr(self.instance, "statement", None)
        if statement is not None and statement.published_at and joined_on < statement.date:
            raise ValidationError(
                _("An organization cannot join before the statement's date (%(date)s).")
                % {"date": statement.date.isoformat()},
                code="before_statement",
            )
        return joined_on


class SignatureFormSet(BaseInlineFormSet):
    """Adding a signatory to a published statement asks for the day it joined and a note."""

    @cached_property
    def statement_is_public(self):
        return is_public(self.instance)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        new_row = index is None or index >= self.initial_form_count()
        if new_row and self.statement_is_public:
            # A signatory added to a published statement joins today, unless said otherwise.
            kwargs["initial"] = {"joined_on": timezone.localdate()}
        return kwargs

    def clean(self):
        super().clean()
        if not self.statement_is_public:
            return
        added = [
            form
            for form in self.forms
            if not form.instance.pk
            and form.has_changed()
            and not self._should_delete_form(form)
            and form.cleaned_data.get("organization")
        ]
        for form in added:
            if not form.cleaned_data.get("joined_on"):
                form.add_error(
                    "joined_on",
                    ValidationError(
                        _("The statement is already published: give the day it joined."),
                        code="joined_on_required",
                    ),
                )
        # The note is the statement form's own field, posted with this formset.
        if added and not self.data.get("note", "").strip():
            raise ValidationError(
                _(
                    "Signatories were added to a published statement: write a note for "
                    "readers in “Note for readers” (for example “Two organizations joined”)."
                ),
                code="note_required",
            )


class LabelledTabularInline(admin.TabularInline):
    """A TabularInline whose inputs are named after their columns (aria-label).

    Django's table names each column once, in its header, and gives the inputs in its rows no
    <label>: a screen reader meets boxes without a name (axe: label, label-title-only).
    """

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for field in formset.form.base_fields.values():
            field.widget.attrs["aria-label"] = field.label
        formset.deletion_widget = forms.CheckboxInput(attrs={"aria-label": gettext("Delete")})
        return formset


class SignatureInline(LabelledTabularInline):
    model = Signature
    form = SignatureForm
    formset = SignatureFormSet
    view_on_site = False  # the statement page is one link away already
    extra = 1
    autocomplete_fields = ["organization"]
    fields = ["order", "organization", "signed_as", "joined_on"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "signed_as":
            # A table row has no room for help text: Django shows it as the column header's
            # tooltip, yet points the input's aria-describedby at a help element it never
            # writes (invalid HTML). The hint goes inside the empty field instead.
            field.widget.attrs["placeholder"] = gettext("e.g. Political-Executive Boards of")
            field.help_text = ""
        return field

    class Media:
        # Names the autocomplete's box for screen readers (select2 leaves an empty one nameless).
        js = ["js/admin-autocomplete.js"]

    def get_extra(self, request, obj=None, **kwargs):
        source = translation_source(request, obj)
        return len(source.signature_list) if source else self.extra


def translation_source(request, obj=None):
    """On the "Add translation" form (?translation_of=<source>): the source, else None."""
    if (obj is not None and obj.pk) or request.method != "GET":
        return None
    pk = request.GET.get("translation_of", "")
    if not pk.isdigit():
        return None
    return Statement.objects.filter(pk=pk, translation_of__isnull=True).first()


class StatementForm(forms.ModelForm):
    note = forms.CharField(
        label=_("Note for readers"),
        max_length=300,
        required=False,
        help_text=_(
            "Plain text, shown in the public history when a published statement changes, "
            "e.g. “Corrected a typo” or “Two organizations joined”. Kept with the staff history "
            "for drafts."
        ),
        widget=forms.TextInput(attrs={"size": 80}),
    )

    class Meta:
        widgets = {"body": BodyEditor}


class SignatoryFilter(admin.RelatedOnlyFieldListFilter):
    """The signatories that signed a statement, under a heading in the staff member's language
    (the field's own name, which the filter would show, is not translated)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("signatories")


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Statement.objects.dates("published_at", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(published_at__year=int(self.value()))
        return queryset


@admin.register(Statement)
class StatementAdmin(VersionAdmin):
    form = StatementForm
    object_history_template = "admin/statements/statement/object_history.html"
    history_latest_first = True
    # Six columns that fit beside the filters at 1280 px: the editions name each language (and
    # mark this one), "visible to readers" says draft, scheduled or public.
    list_display = [
        "title",
        "editions",
        "visibility",
        "published_at",
        "comment_count",
        "preview",
    ]
    list_filter = [
        "status",
        "language",
        YearFilter,
        ("signatories", SignatoryFilter),
    ]
    # The folded title, summary and body, searched with the folded term: editors find Persian
    # text whatever keyboard typed it, as readers do (statements.text.fold).
    search_fields = ["search_text"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SignatureInline]
    readonly_fields = [
        # Set by the buttons under the form (submit_line.html), which say what each does.
        "status",
        "editions",
        "preview",
        "revised_at",
        "version",
        "public_history",
        "created_at",
        "updated_at",
        "author",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (_("Language"), {"fields": ["language", "translation_of", "editions"]}),
        (
            _("Publishing"),
            {"fields": ["status", "published_at", "comment_mode", "note", "preview"]},
        ),
        (
            _("History"),
            {
                "classes": ["collapse"],
                "fields": [
                    "author",
                    "created_at",
                    "updated_at",
                    "revised_at",
                    "version",
                    "public_history",
                ],
            },
        ),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in {"title", "summary"}:
            # Persian or English: each field runs in its own text's direction.
            field.widget.attrs["dir"] = "auto"
        return field

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("translation_of")

    @admin.display(description=_("visible to readers"))
    def visibility(self, obj):
        if obj.status == Statement.Status.DRAFT:
            return gettext("No (draft)")
        return gettext("Yes") if obj.is_public else gettext("Scheduled")

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk:
            return gettext("Save the statement first.")
        return format_html(
            '<a href="{}" target="_blank">{}</a>', obj.get_preview_url(), gettext("Preview")
        )

    @admin.display(description=_("editions"))
    def editions(self, obj):
        """Each language's edition and its state, with "Add translation" where one is missing."""
        if not obj.pk:
            return gettext("Save the statement first.")
        rows = []
        for code, edition, state in obj.edition_states():
            if edition is None:
                query = urlencode({"translation_of": obj.source.pk, "language": code})
                url = f"{reverse('admin:statements_statement_add')}?{query}"
                link = format_html('<a href="{}">{}</a>', url, gettext("Add translation"))
            elif edition.pk == obj.pk:
                link = format_html("<strong>{}</strong>", gettext("this one"))
            else:
                url = reverse("admin:statements_statement_change", args=[edition.pk])
                link = format_html(
                    '<a href="{}" lang="{}" dir="auto">{}</a>', url, code, edition.title
                )
            rows.append((local_name(code), state, state.label, link))
        return format_html(
            '<ul class="editions">{}</ul>',
            format_html_join(
                "", '<li><bdi>{}</bdi>: <span class="edition-state {}">{}</span> {}</li>', rows
            ),
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        source = translation_source(request)
        if source is None:
            return initial
        taken = {edition.language for edition in source.editions()}
        missing = [code for code, _name in language_choices() if code not in taken]
        wanted = request.GET.get("language")
        initial.update({field: getattr(source, field) for field in TRANSLATED_FIELDS})
        initial["translation_of"] = source.pk
        initial["language"] = wanted if wanted in missing else (missing[0] if missing else "")
        initial["status"] = Statement.Status.DRAFT
        return initial

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        source = translation_source(request, obj)
        if source is not None and isinstance(inline, SignatureInline):
            # The same signatories, in the same order, as the source.
            kwargs["initial"] = [
                {
                    "organization": signature.organization_id,
                    "order": signature.order,
                    "signed_as": signature.signed_as,
                }
                for signature in source.signature_list
            ]
        return kwargs

    @admin.display(description=_("public revisions"))
    def public_history(self, obj):
        """The public record, read-only: what readers see on the history page."""
        rows = obj.public_revisions.all() if obj.pk else []
        if not rows:
            return gettext("None yet: the first is recorded when the statement is published.")
        items = format_html_join(
            "",
            '<li>{} · {} · {} · <a href="{}">{}</a> · <code>{}</code></li>',
            (
                (
                    r.number,
                    format_datetime(r.created_at, current_language()),
                    r.note or "—",
                    r.get_text_url(),
                    gettext("canonical text"),
                    r.fingerprint,
                )
                for r in rows
            ),
        )
        return format_html("<ol reversed>{}</ol>", items)

    def save_model(self, request, obj, form, change):
        # The two submit buttons in the change form decide the status.
        if "_save_draft" in request.POST:
            obj.status = Statement.Status.DRAFT
        elif "_publish" in request.POST:
            obj.status = Statement.Status.PUBLISHED
        restored = getattr(request, "restored_counters", None)
        if restored:
            # A revert wrote the old row back; counters kept by other apps are today's.
            obj.comment_count = restored["comment_count"]
        now = timezone.now()
        # A translation saved after its source's content last changed is up to date
        # (Statement.edition_states).
        if not change or CONTENT_FIELDS & set(form.changed_data):
            obj.content_changed_at = now
        obj.edited_at = now
        if not obj.author_id:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        if "_publish" in request.POST and not obj.is_public:
            self.message_user(
                request,
                gettext("Scheduled: readers see it from %(when)s.")
                % {"when": format_datetime(obj.published_at, current_language())},
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        note = form.cleaned_data.get("note", "").strip()
        reverted_to = getattr(request, "reverting_to", None)
        if not note and reverted_to is not None:
            public = PublicRevision.objects.filter(revision=reverted_to.revision_id).first()
            note = (
                gettext("Restored the text of revision %(number)s.") % {"number": public.number}
                if public
                else gettext("Restored an earlier text.")
            )
        revisions.record_public_revision(form.instance, note=note, user=request.user)
        statement = form.instance
        if change and any(formset.has_changed() for formset in formsets):
            Statement.objects.filter(pk=statement.pk).update(content_changed_at=timezone.now())
        # Signatures are saved after the statement: only now is the page's new content whole.
        # Every edition's page changes: their language switchers link this one.
        statement_pages_changed([edition.pk for edition in statement.editions()])

    def delete_model(self, request, obj):
        # Before the rows go: the pages' addresses are read from them.
        statement_pages_changed([edition.pk for edition in obj.editions()])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        statement_pages_changed(list(queryset.editions().values_list("pk", flat=True)))
        super().delete_queryset(request, queryset)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._note_as_comment(request)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._note_as_comment(request)
        return entry

    def _note_as_comment(self, request):
        """The editor's note becomes the staff revision's comment (the form is valid by now)."""
        note = request.POST.get("note", "").strip()
        if note:
            reversion_set_comment(note)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Revert to a staff revision: the old content is saved as a new revision."""
        version = get_object_or_404(Version, pk=version_id, object_id=object_id)
        request.reverting_to = version
        request.restored_counters = (
            Statement.objects.filter(pk=object_id).values("comment_count").first()
        )
        return super().revision_view(request, object_id, version_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        statement = get_object_or_404(Statement, pk=object_id)
        versions = (
            Version.objects.get_for_object(statement)
            .select_related("revision__user", "revision__public_revision")
            .order_by("-pk")
        )
        context = {"versions": versions, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def get_urls(self):
        compare = self.admin_site.admin_view(self.compare_view)
        return [
            path("<int:object_id>/history/compare/", compare, name="statements_statement_compare"),
            *super().get_urls(),
        ]

    def compare_view(self, request, object_id):
        """Compare any two staff revisions of a statement, drafts included."""
        statement = get_object_or_404(Statement, pk=object_id)
        if not self.has_view_or_change_permission(request, statement):
            raise PermissionDenied
        versions = Version.objects.get_for_object(statement).select_related("revision__user")
        chosen = []
        for name in ("older", "newer"):
            value = request.GET.get(name, "")
            version = versions.filter(pk=value).first() if value.isdigit() else None
            if version is None:
                messages.error(request, gettext("Choose two revisions to compare."))
                return redirect("admin:statements_statement_history", statement.pk)
            chosen.append(version)
        older, newer = sorted(chosen, key=lambda v: v.pk)
        old_parts, old_summary = revisions.staff_snapshot(older)
        new_parts, new_summary = revisions.staff_snapshot(newer)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": statement,
            "title": gettext("Compare revisions"),
            "compared": [older, newer],
            "sections": comparison_sections(old_parts, old_summary, new_parts, new_summary),
        }
        return TemplateResponse(request, "admin/statements/statement/compare.html", context)

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
