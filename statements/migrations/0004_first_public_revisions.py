"""Statements published before revisions existed get their first public revision: the text as
it stands, fingerprinted (statements.canonical, a pure module, builds the canonical form)."""

from django.db import migrations
from django.utils import timezone

from statements import canonical


def record_first_revisions(apps, schema_editor):
    Statement = apps.get_model("statements", "Statement")
    PublicRevision = apps.get_model("statements", "PublicRevision")
    for statement in Statement.objects.filter(status="published", version=0):
        date = timezone.localtime(statement.published_at).date()
        signatories = tuple(
            canonical.Signatory(
                name=s.organization.name,
                signed_as=s.signed_as,
                joined_on=s.joined_on if s.joined_on and s.joined_on > date else None,
            ).line()
            for s in statement.signatures.select_related("organization").order_by("order", "pk")
        )
        parts = canonical.Parts(
            title=statement.title,
            date=date,
            body=canonical.plain_text(statement.body),
            signatories=signatories,
        )
        text = canonical.canonical_text(parts)
        PublicRevision.objects.create(
            statement=statement,
            number=1,
            # A scheduled statement's revision is "not yet seen" (recorded before its date).
            created_at=min(statement.published_at, timezone.now()),
            published_at=statement.published_at,
            title=canonical.normalize_line(statement.title),
            summary=statement.summary,
            body_text=parts.body,
            signatories=list(signatories),
            canonical_text=text,
            fingerprint=canonical.fingerprint(text),
        )
        Statement.objects.filter(pk=statement.pk).update(version=1)


def forget_revisions(apps, schema_editor):
    apps.get_model("statements", "PublicRevision").objects.all().delete()
    apps.get_model("statements", "Statement").objects.update(version=0)


class Migration(migrations.Migration):
    dependencies = [("statements", "0003_revisions")]
    operations = [migrations.RunPython(record_first_revisions, forget_revisions)]
