import ipaddress

from django.contrib import admin, messages
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from comments import moderation
from comments.models import Comment


class StatusFilter(admin.SimpleListFilter):
    """Opens on the queue (pending comments); the other states are one click away."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Comment.Status.choices, ("all", "All")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or Comment.Status.PENDING) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or Comment.Status.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


class ReasonFilter(admin.SimpleListFilter):
    title = "spam signal"
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return [*Comment.Reason.choices, ("none", "None")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(spam_reasons={})
        if self.value() in Comment.Reason.values:
            return queryset.filter(spam_reasons__has_key=self.value())
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    # What a moderator decides on comes first; the statement is shortened to fit.
    list_display = [
        "created_at",
        "author",
        "body",
        "why_spam",
        "status",
        "on_statement",
        "email",
        "ip_address",
    ]
    list_display_links = ["created_at"]
    list_filter = [StatusFilter, ReasonFilter, "statement"]
    list_select_related = ["statement", "decided_by"]
    search_fields = ["name", "email", "text", "ip_address"]
    date_hierarchy = "created_at"
    ordering = ["created_at", "pk"]
    actions = ["approve", "reject", "mark_spam"]
    fields = [
        "statement",
        "status",
        "name",
        "email",
        "homepage",
        "body",
        "why_spam",
        "returning_author",
        "ip_address",
        "created_at",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = [f for f in fields if f != "status"]

    def has_add_permission(self, request):
        return False  # comments come from readers, through the form

    def lookup_allowed(self, lookup, value, request=None):
        """An address filter (`?ip_address=…`) must hold addresses: PostgreSQL's inet type
        refuses anything else with an error. Refused lookups are a 400, as the admin does."""
        field, _, kind = lookup.partition("__")
        if field == "ip_address" and kind in {
            "",
            "exact",
            "iexact",
            "in",
            "range",
            "gt",
            "gte",
            "lt",
            "lte",
        }:
            values = value.split(",") if kind in {"in", "range"} else [value]
            try:
                for address in values:
                    ipaddress.ip_address(address.strip())
            except ValueError:
                return False
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description="author", ordering="name")
    def author(self, obj):
        """The name as the reader typed it, and the site's own mark for a returning author.

        The mark is markup (an icon and a bold label under the name), which no name can
        imitate: a reader who calls themselves "Admin (returning)" only gets that text.
        """
        name = format_html('<bdi class="comment-author">{}</bdi>', obj.name)
        if not obj.returning_author:
            return name
        return format_html(
            '{}<br><img src="{}" alt="" width="13" height="13"> <strong>returning author</strong>',
            name,
            static("admin/img/icon-yes.svg"),
        )

    @admin.display(description="statement", ordering="statement__title")
    def on_statement(self, obj):
        return Truncator(obj.statement.title).chars(40)

    @admin.display(description="comment")
    def body(self, obj):
        return format_html('<div class="comment-body" dir="auto">{}</div>', obj.rendered)

    @admin.display(description="why it may be spam")
    def why_spam(self, obj):
        if not obj.reasons:
            return "—"
        return format_html_join(", ", "{}", ((reason.label,) for reason in obj.reasons))

    def changelist_view(self, request, extra_context=None):
        pending = Comment.objects.pending().count()
        extra_context = {**(extra_context or {}), "title": f"Comments — {pending} pending"}
        return super().changelist_view(request, extra_context)

    def _decide(self, request, queryset, status):
        changed = moderation.decide(queryset, status, request.user)
        label = Comment.Status(status).label.lower()
        self.message_user(request, f"{changed} comment(s) marked {label}.", messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, Comment.Status.APPROVED)

    @admin.action(description="Reject selected comments", permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, Comment.Status.REJECTED)

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._decide(request, queryset, Comment.Status.SPAM)

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            moderation.decide(Comment.objects.filter(pk=obj.pk), obj.status, request.user)
        else:
            super().save_model(request, obj, form, change)

    def delete_queryset(self, request, queryset):
        statement_ids = set(queryset.values_list("statement_id", flat=True))
        super().delete_queryset(request, queryset)
        moderation.refresh_comment_counts(statement_ids)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        moderation.refresh_comment_counts([obj.statement_id])
