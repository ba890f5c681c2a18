from django.core.management.base import BaseCommand, CommandError

from mirror.export import ExportError, export_site


class Command(BaseCommand):
    help = (
        "Write every public page, the feeds, the sitemap and the static files into DIR as a "
        "static copy of the site, with relative links. Only what changed since the last export "
        "into DIR is rendered again; DIR is replaced in one step when everything is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory, **options):
        try:
            report = export_site(directory)
        except ExportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Exported to {directory} in {report.seconds:.1f} s: {report.rendered} pages "
            f"rendered, {report.kept} unchanged, {report.removed} removed, "
            f"{report.static_files} static files."
        )
