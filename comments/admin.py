import ipaddress

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from comments import moderation
from comments.models import Campaign, Comment, Report, Rule
from statements.admin import LabelledTabularInline
from statements.formats import format_number
from statements.languages import current_language


class StatusFilter(admin.SimpleListFilter):
    """Opens on the queue (pending comments); the other states are one click away."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Comment.Status.choices, ("all", _("All"))]

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
    title = _("spam signal")
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return [*Comment.Reason.choices, ("none", _("None"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(spam_reasons={})
        if self.value() in Comment.Reason.values:
            return queryset.filter(spam_reasons__has_key=self.value())
        return queryset


class CampaignFilter(admin.SimpleListFilter):
    """One campaign's comments, each on its own row; without it, the queue shows each campaign
    as one row (its first pending comment) that decides all its pending comments at once."""

    title = _("campaign")
    parameter_name = "campaign"

    def lookups(self, request, model_admin):
        recent = Campaign.objects.filter(comments__status=Comment.Status.PENDING).distinct()[:10]
        return [(str(campaign.pk), str(campaign)) for campaign in recent]

    def queryset(self, request, queryset):
        if self.value():
            try:
                return queryset.filter(campaign=int(self.value()))
            except ValueError:
                return queryset.none()
        if request.GET.get("status", Comment.Status.PENDING) == Comment.Status.PENDING:
            first_of_each = (
                Comment.objects.pending()
                .filter(campaign__isnull=False)
                .values("campaign")
                .annotate(first=Min("pk"))
                .values("first")
            )
            return queryset.filter(Q(campaign__isnull=True) | Q(pk__in=first_of_each))
        return queryset


# A comment longer than this (characters or lines) shows only its beginning in the queue.
EXCERPT_CHARS = 300
EXCERPT_LINES = 6


def _number(count):
    """A count in the moderator's language's digits."""
    return format_number(count, current_language())


def decided_message(count, status):
    """ "3 comments approved.", in the moderator's language: one whole sentence per decision,
    because a status label dropped into a sentence reads wrong (and in Persian, badly)."""
    if status == Comment.Status.APPROVED:
        text = ngettext("%(count)s comment approved.", "%(count)s comments approved.", count)
    elif status == Comment.Status.REJECTED:
        text = ngettext("%(count)s comment rejected.", "%(count)s comments rejected.", count)
    elif status == Comment.Status.SPAM:
        text = ngettext(
            "%(count)s comment marked as spam.", "%(count)s comments marked as spam.", count
        )
    else:
        text = ngettext(
            "%(count)s comment sent back to the queue.",
            "%(count)s comments sent back to the queue.",
            count,
        )
    return text % {"count": _number(count)}


def _count_in_campaign(**filters):
    return Coalesce(
        Subquery(
            Comment.objects.filter(campaign=OuterRef("campaign"), **filters)
            .order_by()
            .values("campaign")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


class ReportedFilter(admin.SimpleListFilter):
    title = _("reader reports")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", _("Reported"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(reports__isnull=False).distinct()
        return queryset


class ReportInline(LabelledTabularInline):
    model = Report
    extra = 0
    fields = ["created_at", "reason", "note"]
    readonly_fields = fields
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False  # reports come from readers


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    # What a moderator decides on comes first; the statement is shortened to fit.
    # Seven columns that fit beside the filters at 1280 px (moderation-queue.css sets their
    # widths; nothing in them can widen the table).
    list_display = [
        "created_at",
        "author",
        "comment",
        "signals",
        "status",
        "on_statement",
        "sender",
    ]
    list_display_links = ["created_at"]
    list_filter = [StatusFilter, ReasonFilter, CampaignFilter, ReportedFilter, "statement"]
    inlines = [ReportInline]
    # All the rows' joins here: the changelist applies list_select_related only to a queryset
    # without a select_related of its own, so get_queryset must not add one.
    list_select_related = ["statement", "campaign", "parent"]
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
        "matched_rules",
        "returning_author",
        "ip_address",
        "created_at",
        "decided_by",
        "decided_at",
        "reason_for_author",
    ]
    readonly_fields = [f for f in fields if f not in ("status", "reason_for_author")]

    class Media:
        # The keyboard queue (J/K, A/R/S, U): one small static script, as the strict CSP wants.
        js = ["js/moderation-queue.js"]
        css = {"all": ["css/moderation-queue.css"]}

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

    def get_urls(self):
        own = [
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="comments_comment_decide",
            ),
            path("undo/", self.admin_site.admin_view(self.undo_view), name="comments_comment_undo"),
        ]
        return own + super().get_urls()

    def decide_view(self, request, pk):
        """The keyboard queue's decision on one row, without a page load (JSON)."""
        if request.method != "POST":
            return JsonResponse({"error": _("Send a POST request.")}, status=405)
        if not self.has_change_permission(request):
            return JsonResponse({"error": _("You may not moderate comments.")}, status=403)
        status = request.POST.get("status", "")
        if status not in Comment.Status.values:
            return JsonResponse({"error": _("Unknown decision.")}, status=400)
        comment = Comment.objects.filter(pk=pk).first()
        if comment is None:
            return JsonResponse({"error": _("This comment no longer exists.")}, status=404)
        comments = Comment.objects.filter(pk=pk)
        if request.POST.get("whole_campaign") == "1" and comment.campaign_id:
            comments = Comment.objects.filter(
                Q(pk=pk) | Q(campaign=comment.campaign_id, status=Comment.Status.PENDING)
            )
        changed = self._decide_and_log(request, comments, status)
        message = " ".join([decided_message(changed, status), gettext("Press U to undo.")])
        return JsonResponse(
            {
                "changed": changed,
                "status": status,
                "label": Comment.Status(status).label,
                "message": message,
            }
        )

    def undo_view(self, request):
        """Undo the moderator's last decision (COMMENTS_UNDO_SECONDS); JSON for the script, a
        message and the queue again for the button."""
        if request.method != "POST":
            return JsonResponse({"error": _("Send a POST request.")}, status=405)
        if not self.has_change_permission(request):
            return JsonResponse({"error": _("You may not moderate comments.")}, status=403)
        restored = moderation.undo(request.user)
        LogEntry.objects.log_actions(
            request.user.pk,
            Comment.objects.filter(pk__in=restored).select_related("statement"),
            CHANGE,
            "Decision undone.",
        )
        if restored:
            message = ngettext(
                "Undone: %(count)s comment is back as it was.",
                "Undone: %(count)s comments are back as they were.",
                len(restored),
            ) % {"count": _number(len(restored))}
        else:
            message = _(
                "Nothing to undo: no decision of yours in the last %(seconds)s seconds."
            ) % {"seconds": _number(settings.COMMENTS_UNDO_SECONDS)}
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({"restored": restored, "message": message})
        self.message_user(request, message, messages.SUCCESS if restored else messages.WARNING)
        return redirect("admin:comments_comment_changelist")

    @admin.display(description=_("author"), ordering="name")
    def author(self, obj):
        """The name as the reader typed it, and the site's own mark for a returning author.

        The mark is markup (an icon and a bold label under the name), which no name can
        imitate: a reader who calls themselves "Admin (returning)" only gets that text.
        """
        name = format_html('<bdi class="comment-author">{}</bdi>', obj.name)
        if not obj.returning_author:
            return name
        return format_html(
            '{}<br><img src="{}" alt="" width="13" height="13"> <strong>{}</strong>',
            name,
            static("admin/img/icon-yes.svg"),
            _("returning author"),
        )

    @admin.display(description=_("statement"), ordering="statement__title")
    def on_statement(self, obj):
        return format_html("<bdi>{}</bdi>", Truncator(obj.statement.title).chars(40))

    @admin.display(description=_("e-mail and IP"), ordering="email")
    def sender(self, obj):
        """Where the comment came from; each part isolated, as either may be empty."""
        parts = [part for part in (obj.email, obj.ip_address) if part]
        if not parts:
            return "—"
        return format_html_join("", "<bdi>{}</bdi>", ((part,) for part in parts))

    @admin.display(description=_("comment"))
    def comment(self, obj):
        """The comment in the queue: whole when short; when long, its beginning as plain text
        with "Read it all" (a <details> element, so that it opens without JavaScript too)."""
        whole = self.body(obj)
        if len(obj.text) <= EXCERPT_CHARS and obj.text.count("\n") < EXCERPT_LINES:
            return whole
        return format_html(
            '<details class="long-comment"><summary><span class="excerpt" dir="auto">{}</span> '
            '<span class="read-all">{}</span><span class="read-less">{}</span></summary>{}'
            "</details>",
            Truncator(" ".join(obj.text.split())).chars(EXCERPT_CHARS),
            _("Read it all"),
            _("Show less"),
            whole,
        )

    @admin.display(description=_("comment"))
    def body(self, obj):
        if obj.parent_id:
            return format_html(
                '<p class="in-reply-to">{}</p><div class="comment-body" dir="auto">{}</div>',
                _("In reply to %(name)s:") % {"name": obj.parent.name},
                obj.rendered,
            )
        return format_html('<div class="comment-body" dir="auto">{}</div>', obj.rendered)

    @admin.display(description=_("why it may be spam"))
    def why_spam(self, obj):
        if not obj.reasons:
            return "—"
        return format_html_join(", ", "{}", ((reason.label,) for reason in obj.reasons))

    @admin.display(description=_("rules that matched"))
    def matched_rules(self, obj):
        rules = obj.rules.all()
        if not rules:
            return "—"
        return format_html_join(
            "",
            "<div>{}: {} ({})</div>",
            ((rule.get_action_display(), rule.pattern, rule.reason) for rule in rules),
        )

    @admin.display(description=_("campaign"))
    def in_campaign(self, obj):
        if not obj.campaign_id:
            return "—"
        url = reverse("admin:comments_comment_changelist")
        summary = ngettext(
            "%(kind)s: %(total)s comment, %(pending)s pending",
            "%(kind)s: %(total)s comments, %(pending)s pending",
            obj.campaign_total,
        ) % {
            "kind": obj.campaign.get_kind_display(),
            "total": _number(obj.campaign_total),
            "pending": _number(obj.campaign_pending),
        }
        return format_html(
            '<a href="{}?campaign={}&amp;status=all" class="campaign">{}</a>',
            url,
            obj.campaign_id,
            summary,
        )

    @admin.display(description=_("why it may be spam"))
    def signals(self, obj):
        """What the spam signals, the rules, campaigns and readers say about the comment, in
        one column."""
        parts = [
            part
            for part in (
                self.why_spam(obj),
                self.matched_rules(obj),
                self.in_campaign(obj),
                self.reported(obj),
            )
            if part != "—"
        ]
        if not parts:
            return "—"
        return format_html_join("", "<div>{}</div>", ((part,) for part in parts))

    @admin.display(description=_("reports"), ordering="report_count")
    def reported(self, obj):
        if not obj.report_count:
            return "—"
        url = reverse("admin:comments_comment_change", args=[obj.pk])
        label = ngettext("%(count)s report", "%(count)s reports", obj.report_count) % {
            "count": _number(obj.report_count)
        }
        return format_html('<a href="{}#reports-group">{}</a>', url, label)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("rules")
            .annotate(
                campaign_total=_count_in_campaign(),
                campaign_pending=_count_in_campaign(status=Comment.Status.PENDING),
                report_count=Coalesce(
                    Subquery(
                        Report.objects.filter(comment=OuterRef("pk"))
                        .order_by()
                        .values("comment")
                        .annotate(n=Count("pk"))
                        .values("n")
                    ),
                    0,
                ),
            )
        )

    def changelist_view(self, request, extra_context=None):
        pending = Comment.objects.pending().count()
        extra_context = {
            **(extra_context or {}),
            # The queue is a work screen: its columns need the width of the admin's navigation.
            "is_nav_sidebar_enabled": False,
            "title": _("Comments — %(pending)s pending") % {"pending": _number(pending)},
            "undo_seconds": settings.COMMENTS_UNDO_SECONDS,
        }
        return super().changelist_view(request, extra_context)

    def _decide(self, request, queryset, status):
        if "campaign" not in request.GET:
            # A campaign's row stands for all its pending comments.
            campaigns = set(queryset.exclude(campaign=None).values_list("campaign", flat=True))
            queryset = Comment.objects.filter(
                Q(pk__in=list(queryset.values_list("pk", flat=True)))
                | Q(campaign__in=campaigns, status=Comment.Status.PENDING)
            )
        changed = self._decide_and_log(request, queryset, status)
        self.message_user(request, decided_message(changed, status), messages.SUCCESS)

    def _decide_and_log(self, request, comments, status):
        """moderation.decide, and each comment it changes in the admin's own log (LogEntry),
        like every other change made here: the audit page (staff) reads that log."""
        undecided = list(comments.exclude(status=status).select_related("statement"))
        changed = moderation.decide(comments, status, request.user)
        # The log is a record, not a page: its words do not follow the moderator's language.
        message = f"Marked {Comment.Status(status).value}."
        LogEntry.objects.log_actions(request.user.pk, undecided, CHANGE, message)
        return changed

    @admin.action(description=_("Approve selected comments"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, Comment.Status.APPROVED)

    @admin.action(description=_("Reject selected comments"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, Comment.Status.REJECTED)

    @admin.action(description=_("Mark selected comments as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._decide(request, queryset, Comment.Status.SPAM)

    def save_model(self, request, obj, form, change):
        # The reason first: deciding "rejected" queues the author's e-mail, which quotes it.
        if "reason_for_author" in form.changed_data:
            Comment.objects.filter(pk=obj.pk).update(reason_for_author=obj.reason_for_author)
        if "status" in form.changed_data:
            moderation.decide(Comment.objects.filter(pk=obj.pk), obj.status, request.user)

    def delete_queryset(self, request, queryset):
        statement_ids = set(queryset.values_list("statement_id", flat=True))
        super().delete_queryset(request, queryset)
        moderation.refresh_comment_counts(statement_ids)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        moderation.refresh_comment_counts([obj.statement_id])


class RuleStateFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("In force")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "expired":
            return queryset.exclude(pk__in=Rule.objects.active())
        return queryset


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    """Allow and deny rules; the model's clean() refuses an empty pattern or a bad CIDR."""

    list_display = [
        "pattern",
        "kind",
        "action",
        "reason",
        "in_force",
        "expires_at",
        "created_by",
        "created_at",
    ]
    list_filter = ["action", "kind", RuleStateFilter]
    search_fields = ["pattern", "reason"]
    fields = ["action", "kind", "pattern", "reason", "expires_at", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]
    list_select_related = ["created_by"]

    @admin.display(description=_("in force"), boolean=True)
    def in_force(self, obj):
        return obj.expires_at is None or obj.expires_at > timezone.now()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
