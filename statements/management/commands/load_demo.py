"""Load the demo statement and its signatories; running it again changes nothing."""

import re
from datetime import datetime, time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from statements.caching import organizations_changed, statement_pages_changed
from statements.models import Organization, Signature, Statement
from statements.revisions import record_public_revision

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "statement-2020-11-11.txt"
ACRONYM = re.compile(r"^(?P<name>.+?)\s*\((?P<short>[A-Z]{2,})\)$")


def parse_demo(text):
    """Split the demo file into its header fields, signatory names and body."""
    header, body = text.split("\nBody:\n", 1)
    fields, signatories = {}, []
    for line in header.splitlines():
        if line.startswith("- "):
            signatories.append(line[2:].strip())
        elif ":" in line:
            key, value = line.split(":", 1)
            fields[key.strip().lower()] = value.strip()
    return fields, signatories, body.strip()


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo statement and its three signatories."

    @transaction.atomic
    def handle(self, *args, **options):
        fields, names, body = parse_demo(DEMO_FILE.read_text(encoding="utf-8"))
        date = datetime.combine(datetime.strptime(fields["date"], "%Y-%m-%d").date(), time(12, 0))
        statement, created = Statement.objects.update_or_create(
            slug=slugify(fields["title"])[:200],
            defaults={
                "title": fields["title"],
                "summary": body.split("\n\n")[0],
                "body": body,
                "status": Statement.Status.PUBLISHED,
                "published_at": timezone.make_aware(date, timezone.get_default_timezone()),
            },
        )
        organization_ids = []
        for order, full_name in enumerate(names, start=1):
            match = ACRONYM.match(full_name)
            name, short = (match["name"], match["short"]) if match else (full_name, "")
            organization, _ = Organization.objects.update_or_create(
                slug=slugify(name), defaults={"name": name, "short_name": short}
            )
            organization_ids.append(organization.pk)
            Signature.objects.update_or_create(
                statement=statement,
                organization=organization,
                defaults={"order": order, "signed_as": fields.get("signed as", "")},
            )
        # Records the first public revision; adds one only if the demo file changed since.
        record_public_revision(statement)
        # The organizations may sign other statements too; their pages show these names.
        organizations_changed(organization_ids)
        statement_pages_changed([statement.pk])
        verb = "Created" if created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} demo statement: {statement.get_absolute_url()}")
        )
