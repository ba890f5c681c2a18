"""Load the demo statement, its Persian translation and their signatories; running it again
changes nothing."""

import re
from datetime import datetime, time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from statements.caching import organizations_changed, statement_pages_changed
from statements.models import Organization, OrganizationTranslation, Signature, Statement
from statements.revisions import record_public_revision

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_FILE = DEMO_DIR / "statement-2020-11-11.txt"
DEMO_TRANSLATION = DEMO_DIR / "statement-2020-11-11.fa.txt"
ACRONYM = re.compile(r"^(?P<name>.+?)\s*\((?P<short>[A-Z]{2,})\)$")


def parse_demo(text):
    """Split a demo file into its header fields, signatory lines and body."""
    header, body = text.split("\nBody:\n", 1)
    fields, signatories = {}, []
    for line in header.splitlines():
        if line.startswith("- "):
            signatories.append(line[2:].strip())
        elif ":" in line and not line.startswith(" "):
            key, value = line.split(":", 1)
            fields[key.strip().lower()] = value.strip()
    return fields, signatories, body.strip()


def english_name(full_name):
    """("Union for … in Iran", "USRHR") from "Union for … in Iran (USRHR)"."""
    match = ACRONYM.match(full_name)
    return (match["name"], match["short"]) if match else (full_name, "")


class Command(BaseCommand):
    help = (
        "Create (or bring up to date) the demo statement, its Persian translation and their "
        "three signatories."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        english = self.load_english()
        persian = self.load_persian(english)
        for statement in (english, persian):
            # Records the first public revision; adds one only if the demo file changed since.
            record_public_revision(statement)
        # The organizations may sign other statements too; their pages show these names.
        organizations_changed(list(english.signatories.values_list("pk", flat=True)))
        statement_pages_changed([english.pk, persian.pk])
        for statement in (english, persian):
            self.stdout.write(self.style.SUCCESS(f"Demo statement: {statement.get_absolute_url()}"))

    def load_english(self):
        fields, names, body = parse_demo(DEMO_FILE.read_text(encoding="utf-8"))
        statement = self.save_statement(fields, body, language="en", slug=slugify(fields["title"]))
        for order, full_name in enumerate(names, start=1):
            name, short = english_name(full_name)
            organization, _ = Organization.objects.update_or_create(
                slug=slugify(name), defaults={"name": name, "short_name": short}
            )
            self.sign(statement, organization, order, fields.get("signed as", ""))
        return statement

    def load_persian(self, english):
        fields, lines, body = parse_demo(DEMO_TRANSLATION.read_text(encoding="utf-8"))
        assert fields["translation of"] == english.title, "the translation names another source"
        statement = self.save_statement(
            fields, body, language=fields["language"], slug=english.slug, translation_of=english
        )
        for order, line in enumerate(lines, start=1):
            persian_name, full_english_name = (part.strip() for part in line.split("|"))
            organization = Organization.objects.get(
                slug=slugify(english_name(full_english_name)[0])
            )
            OrganizationTranslation.objects.update_or_create(
                organization=organization,
                language=fields["language"],
                defaults={"name": persian_name},
            )
            self.sign(statement, organization, order, fields.get("signed as", ""))
        return statement

    def save_statement(self, fields, body, **identity):
        date = datetime.combine(datetime.strptime(fields["date"], "%Y-%m-%d").date(), time(12, 0))
        language, slug = identity.pop("language"), identity.pop("slug")[:200]
        statement, _ = Statement.objects.update_or_create(
            language=language,
            slug=slug,
            defaults={
                "title": fields["title"],
                "summary": body.split("\n\n")[0],
                "body": body,
                "status": Statement.Status.PUBLISHED,
                "published_at": timezone.make_aware(date, timezone.get_default_timezone()),
                **identity,
            },
        )
        return statement

    def sign(self, statement, organization, order, signed_as):
        Signature.objects.update_or_create(
            statement=statement,
            organization=organization,
            defaults={"order": order, "signed_as": signed_as},
        )
