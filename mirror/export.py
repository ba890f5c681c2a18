"""Write the public site into a directory as a static copy: atomically and incrementally.

Why our own writer and not django-distill (which the team's list suggests): distill renders
one file per URL pattern from a reversed address and writes it where the address says. This
site's lists and comment sections page with `?page=N`, which a static host cannot tell
apart, so the later pages would be lost; its pages link with absolute paths, which break
under a path prefix or on a disk, and distill does not rewrite them; it renders everything
every time, straight into the output directory, so it is neither incremental nor atomic; and
it wants `distill_path()` in place of `path()` in statements/urls.py, which would tie the
ground floor to the export. What distill would have given us, rendering an address through
the whole middleware stack, is Django's own test `Client`; the rest is here:

1. Refuse a target that holds anything but a previous export (its marker file, MARKER),
   before touching anything.
2. Collect the static files with hashed names (Django's ManifestStaticFilesStorage) into a
   new directory beside the target.
3. List the pages (mirror.site) and, for each, a key: its own inputs plus the code, the
   static files and the settings. A page whose key matches the previous export's is
   hard-linked from it; any other is rendered (with the `mirror.copy` environ key, which
   turns off forms and scripts) and its links made relative (mirror.links).
4. Swap the new directory with the old in one rename (renameat2 RENAME_EXCHANGE on Linux;
   two renames elsewhere) and delete the old. Any failure before the swap deletes the new
   directory and leaves the previous copy as it was; a page that fails is named.
"""

import ctypes
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from mirror.links import file_for, page_address, relative_links
from mirror.site import digest, public_pages, shared_inputs
from statements.caching import MIRROR_COPY
from statements.languages import local_name

MARKER = ".mirror-export.json"
FORMAT = 1
# Static files only the staff's pages use, left out of a copy: the admin's, and the body editor's
# (django-prose-editor and its starter, statements/widgets.py).
STAFF_ONLY_STATIC = ["admin", "django_prose_editor", "body-editor.*"]


class ExportError(Exception):
    """An export that cannot go on; the message says why, for the person who ran it."""


@dataclass
class Report:
    rendered: int = 0
    kept: int = 0
    removed: int = 0
    static_files: int = 0
    seconds: float = 0.0


def export_site(target) -> Report:
    """Export the public site into `target` (a directory path); see the module's docstring."""
    started = time.perf_counter()
    target = Path(target).absolute()
    _previous_keys(target)  # refuses before anything is touched
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target):
        _recover(target)
        previous = _previous_keys(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
        try:
            report = _write(staging, target, previous)
            staging.chmod(0o755)
            _swap(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    report.seconds = time.perf_counter() - started
    return report


def _previous_keys(target):
    """The previous export's page keys; refuses a target that is not one."""
    if not target.exists():
        return {}
    if not target.is_dir():
        raise ExportError(f"{target} is not a directory. Nothing was changed.")
    marker = target / MARKER
    if not marker.exists():
        if any(target.iterdir()):
            raise ExportError(
                f"{target} holds files that are not a previous export (there is no {MARKER}). "
                "Give an empty or new directory. Nothing was changed."
            )
        return {}
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        if data["format"] != FORMAT:
            return {}
        return dict(data["pages"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ExportError(
            f"{marker} cannot be read ({error}); delete the directory to export anew. "
            "Nothing was changed."
        ) from error


@contextmanager
def _locked(target):
    """One export into `target` at a time."""
    with open(target.with_name(f".{target.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _recover(target):
    """Clean up after an export that died: its half-written directories, or a swap halfway."""
    previous = target.with_name(f".{target.name}.previous")
    if previous.exists():
        if target.exists():
            shutil.rmtree(previous)
        else:
            previous.rename(target)
    for leftover in target.parent.glob(f".{target.name}.partial-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _write(staging, target, previous):
    report = Report()
    static_url = urlsplit(settings.STATIC_URL).path
    static_dir = staging / static_url.strip("/")
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    # DEBUG off: with it, the manifest storage hands out the unhashed names.
    with override_settings(DEBUG=False, STATIC_ROOT=str(static_dir), STORAGES=storages):
        call_command(
            "collectstatic", interactive=False, verbosity=0, ignore_patterns=STAFF_ONLY_STATIC
        )
        manifest = (static_dir / "staticfiles.json").read_bytes()
        report.static_files = len(json.loads(manifest)["paths"])
        shared = digest(FORMAT, _code_fingerprint(), manifest, shared_inputs())

        pages = public_pages()
        files = {}
        for page in pages:
            files[page_address(page.url)] = file_for(page.url, page.suffix)

        def find(address):
            if address in files:
                return files[address]
            if (
                address.startswith(static_url)
                and (static_dir / address[len(static_url) :]).is_file()
            ):
                return address.lstrip("/")
            return None

        origin = urlsplit(settings.ORIGIN_URL)
        client = Client(HTTP_HOST=origin.netloc, **{MIRROR_COPY: "1"})
        keys = {}
        for page in pages:
            file = files[page_address(page.url)]
            key = digest(shared, page.inputs)
            keys[file] = key
            destination = staging / file
            destination.parent.mkdir(parents=True, exist_ok=True)
            old = target / file
            if previous.get(file) == key and old.is_file():
                _link(old, destination)
                report.kept += 1
                continue
            if page.url == "/":
                content = _root_page()
            else:
                content = _render(client, page.url, secure=origin.scheme == "https")
            if file.endswith(".html"):
                content = relative_links(
                    content.decode(), page.url, file, find, settings.ORIGIN_URL
                ).encode()
            destination.write_bytes(content)
            report.rendered += 1
    report.removed = len(set(previous) - set(keys))
    (staging / MARKER).write_text(
        json.dumps(
            {
                "format": FORMAT,
                "origin": settings.ORIGIN_URL,
                "exported_at": timezone.now().isoformat(),
                "pages": keys,
            },
            indent=0,
        ),
        encoding="utf-8",
    )
    return report


ROOT_TEMPLATE = "mirror/root.html"


def _root_page():
    """The copy's front door: the default language's home at once, and a link to each."""
    with translation.override(settings.SITE_DEFAULT_LANGUAGE):
        homes = []
        for code in settings.SITE_LANGUAGES:
            with translation.override(code):
                homes.append((code, local_name(code), reverse("statements:home")))
        default_home = dict((code, home) for code, _name, home in homes)[
            settings.SITE_DEFAULT_LANGUAGE
        ]
        # The refresh is not a link the export rewrites: it names the file itself.
        return render_to_string(
            ROOT_TEMPLATE, {"homes": homes, "default_home": file_for(default_home)}
        ).encode()


def _render(client, url, secure):
    try:
        response = client.get(url, secure=secure)
    except Exception as error:
        raise ExportError(f"The page {url} failed to render: {error!r}") from error
    if response.status_code != 200:
        hint = ""
        if response.status_code == 400:
            hint = " (is the host of DJANGO_ORIGIN_URL in DJANGO_ALLOWED_HOSTS?)"
        elif response.has_header("Location"):
            hint = f" (redirected to {response['Location']})"
        raise ExportError(
            f"The page {url} answered {response.status_code}, not 200{hint}. "
            "The previous copy was left as it was."
        )
    if response.streaming:  # a file (an uploaded logo, a drawn image)
        return b"".join(response.streaming_content)
    return response.content


def _link(source, destination):
    """Reuse an unchanged file of the previous export without copying it."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _code_fingerprint():
    """A digest of the project's own code, templates, static files and translations, and of
    Django's version: a new release renders every page again."""
    roots = [Path(app.path) for app in apps.get_app_configs()]
    # Our own apps: not installed packages, even where the virtualenv sits in the project.
    roots = [
        root
        for root in roots
        if root.is_relative_to(settings.BASE_DIR)
        and not {"site-packages", "dist-packages"} & set(root.parts)
    ]
    roots += [Path(d) for d in settings.STATICFILES_DIRS]
    roots += [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    roots += [Path(d) for d in getattr(settings, "LOCALE_PATHS", [])]
    fingerprint = hashlib.sha256(django.get_version().encode())
    for root in sorted(set(roots)):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                fingerprint.update(str(path.relative_to(settings.BASE_DIR)).encode())
                fingerprint.update(path.read_bytes())
    return fingerprint.hexdigest()


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _swap(staging, target):
    """Put `staging` where `target` is, readers never finding neither, and delete the old."""
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging)
        return
    # No atomic exchange here (not Linux, or the filesystem refuses it): two renames. A crash
    # between them leaves `.previous`, which the next export puts back (_recover).
    previous = target.with_name(f".{target.name}.previous")
    target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous)


def _exchange(a, b):
    """Swap two paths in one step with Linux's renameat2(RENAME_EXCHANGE); False if unable."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
