"""Revisions of statements: the public record readers see, and the staff record behind it.

Two records, one rule each:

- Staff record (django-reversion): every save in the admin, drafts included, stores the
  statement and its signatures with who saved it, when, and the editor's note as the
  revision's comment. Staff browse, compare and revert these in the admin. Reverting saves
  the old content as a new revision; nothing is ever deleted.
- Public record (`PublicRevision`): a save counts as a public revision only when the statement
  is published (visible, or scheduled) and its title, summary, text, date or signatories
  differ from its latest public revision. Saving a draft, or saving without a change, adds
  nothing. Unpublishing keeps the public record; it is shown again when the statement is.

While a statement is scheduled and its date has not come, readers have seen nothing yet: a
second save before that date replaces the pending revision rather than adding one, so the
public history starts with the text as it went live.
"""

import reversion
from django.db import transaction
from django.utils import timezone

from statements import canonical
from statements.caching import statement_pages_changed
from statements.models import Organization, PublicRevision, Signature, Statement

# The fields compared to decide what changed, in the order they are listed to readers.
TRACKED_FIELDS = ("title", "summary", "body", "date", "signatories")


def parts_of(statement, signatures):
    """The canonical parts of a statement with the given signatures (in order).

    Organizations are named in the statement's language: each language edition is its own
    text, with its own history and fingerprints.
    """
    signatories = tuple(
        canonical.Signatory(
            name=s.organization.in_language(statement.language).name,
            signed_as=s.signed_as,
            joined_on=s.joined_on if s.joined_on and s.joined_on > statement.date else None,
        ).line()
        for s in signatures
    )
    return canonical.Parts(
        title=statement.title,
        date=statement.date,
        body=canonical.plain_text(statement.body),
        signatories=signatories,
    )


def changed_fields(previous, parts, summary):
    """The tracked fields in which `parts` and `summary` differ from a `PublicRevision`."""
    if previous is None:
        return []
    differs = {
        "title": previous.title != canonical.normalize_line(parts.title),
        "summary": previous.summary != summary,
        "body": previous.body_text != parts.body,
        "date": timezone.localtime(previous.published_at).date() != parts.date,
        "signatories": list(previous.signatories) != list(parts.signatories),
    }
    return [name for name in TRACKED_FIELDS if differs[name]]


@transaction.atomic
def record_public_revision(statement, *, note="", user=None):
    """Record a public revision of `statement` if it is published and changed; return it.

    Call after the statement and its signatures are saved. Inside a django-reversion block
    (the admin's saves) the public revision joins that block's staff revision; outside one
    (the demo loader, the shell), a staff revision is made for it here.
    """
    if not reversion.is_active():
        with reversion.create_revision():
            reversion.add_to_revision(statement)
            reversion.set_user(user)
            reversion.set_comment(note)
            return record_public_revision(statement, note=note, user=user)

    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status != Statement.Status.PUBLISHED:
        return None
    now = timezone.now()
    signatures = Signature.objects.filter(statement=statement).listed()
    parts = parts_of(statement, signatures)
    latest = statement.public_revisions.first()
    if latest and latest.created_at < latest.published_at and latest.published_at > now:
        # Recorded ahead of a date that has not come: nobody has seen it; replace it.
        latest.delete()
        number = latest.number
        latest = statement.public_revisions.first()
    else:
        number = latest.number + 1 if latest else 1
    changes = changed_fields(latest, parts, statement.summary)
    if latest and not changes:
        return None

    text = canonical.canonical_text(parts)
    revision = PublicRevision(
        statement=statement,
        number=number,
        created_at=now,
        note=note.strip(),
        changed_fields=changes,
        published_at=statement.published_at,
        title=canonical.normalize_line(parts.title),
        summary=statement.summary,
        body_text=parts.body,
        signatories=list(parts.signatories),
        canonical_text=text,
        fingerprint=canonical.fingerprint(text),
    )
    fields = {f.name: getattr(revision, f.name) for f in PublicRevision._meta.concrete_fields}
    del fields["id"], fields["revision"]
    # Saved with the staff revision when the reversion block ends, and linked to it.
    reversion.add_meta(PublicRevision, **fields)
    Statement.objects.filter(pk=statement.pk).update(
        version=number, revised_at=now if number > 1 else None
    )
    statement_pages_changed([statement.pk])
    return revision


def staff_snapshot(version):
    """The canonical parts and summary of a statement as stored in a staff revision.

    `version` is the statement's django-reversion `Version`; its signatures come from the same
    revision, named as the organizations are named now.
    """
    data = version.field_dict
    statement = Statement(
        title=data["title"],
        body=data["body"],
        published_at=data["published_at"],
        language=data.get("language") or Statement._meta.get_field("language").get_default(),
    )
    signatures = []
    for signature_version in version.revision.version_set.all():
        if signature_version._model is Signature:
            signatures.append(Signature(**signature_version.field_dict))
    signatures.sort(key=lambda s: (s.order, s.pk or 0))
    organizations = Organization.objects.prefetch_related("translations").in_bulk(
        {s.organization_id for s in signatures}
    )
    present = []
    for signature in signatures:
        if signature.organization_id in organizations:
            signature.organization = organizations[signature.organization_id]
            present.append(signature)
    return parts_of(statement, present), data.get("summary", "")
