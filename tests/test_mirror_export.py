"""The static copy (manage.py export_site): complete, relative, read-only, atomic, incremental."""

import hashlib
import os
import posixpath
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from comments import moderation
from comments.models import Comment
from mirror.export import MARKER, export_site
from statements.models import Statement
from statements.revisions import record_public_revision
from tests import validity
from tests.builders import make_comment, make_organization, make_statement
from tests.tools import Unavailable, free_port, unavailable

pytestmark = pytest.mark.django_db

ORIGIN = "https://origin.example.org"


@pytest.fixture(autouse=True)
def origin(settings):
    settings.ORIGIN_URL = ORIGIN
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "origin.example.org"]


@pytest.fixture
def site():
    """The demo, enough statements for two list pages, and enough comments for two pages."""
    call_command("load_demo", stdout=StringIO())
    organization = make_organization(name="Mirror Org", website="https://org.example.net")
    busy = make_statement(title="A busy statement", signatories=[organization])
    for i in range(60):
        make_comment(busy, text=f"Comment {i}, see https://example.com/{i}")
    closed = make_statement(comment_mode=Statement.CommentMode.CLOSED)
    make_comment(closed)
    make_statement(comment_mode=Statement.CommentMode.HIDDEN)
    for _ in range(20):
        make_statement(signatories=[organization])
    revised = make_statement(title="A revised statement")
    revised.body = "<p>The corrected text.</p>"
    revised.save()
    record_public_revision(revised, note="A correction")
    moderation.refresh_comment_counts(Statement.objects.values_list("pk", flat=True))
    return busy


class Links(HTMLParser):
    """Every address a page refers to, with what refers to it."""

    def __init__(self):
        super().__init__()
        self.found = []  # (tag, rel, url)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for attribute in ("href", "src", "action", "srcset", "poster", "data"):
            if attrs.get(attribute):
                self.found.append((tag, attrs.get("rel", ""), attrs[attribute]))


@pytest.fixture
def served(tmp_path):
    """Serves tmp_path with `python -m http.server`; yields its address."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=1).close()  # noqa: S310 (loopback)
            break
        except OSError:
            time.sleep(0.05)
    yield base
    server.terminate()
    server.wait(timeout=10)


def crawl(start):
    """Follow every link of the copy from `start`; returns pages, failures, origin links."""
    seen, queue, broken, foreign, to_origin = set(), [start], [], [], []
    prefix = start.rsplit("/", 1)[0] + "/"
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            if "text/html" not in response.headers["Content-Type"]:
                continue
            html = response.read().decode()
        assert "<form" not in html, f"{url} has a form: nothing may post to the copy"
        assert "<script src" not in html, f"{url} loads a script"
        parser = Links()
        parser.feed(html)
        for tag, rel, link in parser.found:
            address = urljoin(url, link).split("#")[0]
            host = urlsplit(address).netloc
            if address.startswith(ORIGIN):
                to_origin.append((url, tag, rel, address))
            elif host == urlsplit(start).netloc:
                if not address.startswith(prefix):
                    broken.append((url, link, "outside the copy's folder"))
                    continue
                try:
                    urllib.request.urlopen(address, timeout=5).close()  # noqa: S310
                except urllib.error.HTTPError as error:
                    broken.append((url, link, error.code))
                    continue
                queue.append(address)
            elif tag != "a":
                foreign.append((url, tag, link))
    return seen, broken, foreign, to_origin


def test_exported_copy_works_under_a_path_prefix_with_no_broken_link(site, tmp_path, served):
    export_site(tmp_path / "prefix" / "copy")
    pages, broken, foreign, to_origin = crawl(f"{served}/prefix/copy/index.html")

    assert broken == []
    assert foreign == [], "a page of the copy loads something from another host"
    kinds = {
        "canonical" if rel == "canonical" else "comment"
        for _page, tag, rel, address in to_origin
        if rel == "canonical" or (tag == "a" and address.endswith("/comment/"))
    }
    assert kinds == {"canonical", "comment"}
    assert [x for x in to_origin if x[2] != "canonical" and not x[3].endswith("/comment/")] == []
    # Every page of the copy is reachable by following links from its home page.
    files = {str(p.relative_to(tmp_path)) for p in (tmp_path / "prefix/copy").rglob("*.html")}
    assert files == {urlsplit(url).path.lstrip("/") for url in pages if url.endswith(".html")}
    assert "prefix/copy/en/statements/page-2.html" in files
    assert f"prefix/copy{site.get_absolute_url()}page-2.html" in files
    revised = Statement.objects.get(title="A revised statement")
    assert f"prefix/copy{revised.get_comparison_url(1, 2)}index.html" in files
    assert (tmp_path / f"prefix/copy{revised.get_revision_text_url(2)}").is_file()


def test_exported_copy_is_valid_html_feeds_sitemap_and_json_ld(site, tmp_path):
    try:
        validity.vnu_jar()
    except Unavailable as missing:
        unavailable(str(missing))
    export_site(tmp_path / "copy")
    assert validity.check_directory(tmp_path / "copy") == {}


def test_copy_shows_approved_comments_and_sends_commenters_to_the_origin(site, tmp_path):
    make_comment(site, status=Comment.Status.PENDING, text="Still waiting for a moderator")
    export_site(tmp_path / "copy")
    folder = tmp_path / "copy" / site.get_absolute_url().strip("/")
    first, second = (folder / "index.html").read_text(), (folder / "page-2.html").read_text()
    assert "Comment 0, see" in first and "Comment 59, see" in second
    assert "Still waiting" not in first + second
    assert f'href="{ORIGIN}{site.get_absolute_url()}comment/"' in first
    assert 'href="page-2.html#comments"' in first and 'href="index.html#comments"' in second
    assert 'rel="canonical" href="https://origin.example.org' in first


def test_second_export_renders_only_pages_whose_content_changed(site, tmp_path):
    target = tmp_path / "copy"
    first = export_site(target)
    assert first.kept == 0 and first.rendered > 30
    quiet = make_statement(title="A quiet statement")
    export_site(target)
    quiet_file = target / quiet.get_absolute_url().strip("/") / "index.html"
    inode = quiet_file.stat().st_ino

    # Only the moderation figures (one page per language), which count every decision, are
    # rendered every time.
    assert export_site(target).rendered == len(settings.LANGUAGES)

    pending = make_comment(site, status=Comment.Status.PENDING, text="Newly approved words")
    moderation.decide(Comment.objects.filter(pk=pending.pk), "approved", User.objects.create())
    report = export_site(target)
    # The statement's two comment pages and the pages listing it in its language (home, two
    # list pages, its year's two pages, two feeds), its organization's page in each language
    # (two pages in the statement's, where it signed 21), the sitemap, and the moderation
    # figures in each language.
    assert report.rendered == 11 + 2 * len(settings.LANGUAGES)
    assert (
        "Newly approved words"
        in (target / site.get_absolute_url().strip("/") / "page-2.html").read_text()
    )
    assert quiet_file.stat().st_ino == inode  # the same file, not written again


def test_unpublished_statement_leaves_the_copy(site, tmp_path):
    target = tmp_path / "copy"
    export_site(target)
    site.status = Statement.Status.DRAFT
    site.save()
    report = export_site(target)
    # Two comment pages, the history, the text of revision 1, and the organization's second
    # page (20 statements left: one page).
    assert report.removed == 5
    assert not (target / site.get_absolute_url().strip("/")).exists()


def snapshot(folder):
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_export_refuses_a_directory_that_is_not_an_export_and_touches_nothing(tmp_path):
    target = tmp_path / "documents"
    target.mkdir()
    (target / "thesis.txt").write_text("years of work")
    before = snapshot(target)
    with pytest.raises(CommandError, match=r"not a previous export.*Nothing was changed"):
        call_command("export_site", str(target), stdout=StringIO())
    assert snapshot(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents"]


def test_failing_page_stops_the_export_names_itself_and_keeps_the_previous_copy(
    site, tmp_path, monkeypatch
):
    target = tmp_path / "copy"
    export_site(target)
    before = snapshot(target)
    make_statement(title="Breaks the renderer", slug="breaks")
    from comments.templatetags import comment_tags

    render = comment_tags.render_to_string

    def broken(template, context):
        if context["statement"].slug == "breaks":
            raise RuntimeError("template exploded")
        return render(template, context)

    monkeypatch.setattr(comment_tags, "render_to_string", broken)
    with pytest.raises(CommandError, match=r"/breaks/ failed to render.*template exploded"):
        call_command("export_site", str(target), stdout=StringIO())
    assert snapshot(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".copy.lock", "copy"]


def test_export_into_an_empty_or_new_directory_writes_the_marker(tmp_path):
    call_command("load_demo", stdout=StringIO())
    (tmp_path / "empty").mkdir()
    for name in ("empty", "new/nested"):
        out = StringIO()
        call_command("export_site", str(tmp_path / name), stdout=out)
        assert "pages rendered" in out.getvalue()
        assert (tmp_path / name / MARKER).is_file()
        assert (tmp_path / name / "index.html").is_file()


def test_copy_has_hashed_static_files_and_feeds_as_xml_files(site, tmp_path):
    export_site(tmp_path / "copy")
    root = (tmp_path / "copy" / "index.html").read_text()
    assert 'url=en/index.html"' in root or 'url=fa/index.html"' in root  # a language's home
    home = (tmp_path / "copy" / "en" / "index.html").read_text()
    css = next(Path(tmp_path / "copy" / "static" / "css").glob("site.*.css"))
    assert f'href="../static/css/{css.name}"' in home
    assert 'href="feeds/rss.xml"' in home
    assert (tmp_path / "copy/en/feeds/rss.xml").read_text().startswith("<?xml")
    assert not (tmp_path / "copy/static/admin").exists()
    # Nor the body editor's, which only the admin loads.
    assert not (tmp_path / "copy/static/django_prose_editor").exists()
    assert not list((tmp_path / "copy/static").rglob("body-editor*"))


def test_mirror_service_exports_and_publishes_to_a_directory(tmp_path):
    """deploy/mirror/publish.sh, the compose stack's `mirror` service, for one round."""
    if not shutil.which("rclone"):
        unavailable("rclone is not installed (apt-get install rclone)")
    root = Path(__file__).resolve().parent.parent
    env = {
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "DJANGO_SECRET_KEY": "x" * 10 + "".join(map(str, range(50))),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MIRROR_DIR": str(tmp_path / "export" / "site"),
        "MIRROR_TARGET": str(tmp_path / "published"),
        "MIRROR_ONCE": "1",
    }
    for command in (["migrate", "-v0"], ["load_demo"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=root, env=env, check=True)
    result = subprocess.run(
        ["sh", "deploy/mirror/publish.sh"], cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "pages rendered" in result.stdout
    published = {p.relative_to(tmp_path / "published") for p in (tmp_path / "published").rglob("*")}
    exported = {
        p.relative_to(tmp_path / "export/site") for p in (tmp_path / "export/site").rglob("*")
    }
    assert published == exported - {Path(MARKER)}
    assert Path("index.html") in published


def test_a_translation_published_later_reaches_its_source_page_in_the_copy(site, tmp_path):
    target = tmp_path / "copy"
    export_site(target)
    other = next(code for code in settings.SITE_LANGUAGES if code != site.language)
    translation_ = make_statement(
        title="Its translation", language=other, translation_of=site, slug=site.slug
    )
    export_site(target)
    page = (target / site.get_absolute_url().strip("/") / "index.html").read_text()
    link = posixpath.relpath(
        translation_.get_absolute_url().strip("/") + "/index.html",
        site.get_absolute_url().strip("/"),
    )
    assert f'href="{link}"' in page


def test_copy_carries_the_logos_of_organizations_it_shows(site, tmp_path):
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image

    from statements.models import Organization

    buffer = BytesIO()
    Image.new("RGB", (32, 32), "#0b5cad").save(buffer, "PNG")
    organization = Organization.objects.get(name="Mirror Org")
    organization.logo.save("mirror-org.png", ContentFile(buffer.getvalue()))
    export_site(tmp_path / "copy")
    logo = tmp_path / "copy" / organization.logo.url.lstrip("/")
    assert logo.read_bytes() == buffer.getvalue()
    page = tmp_path / "copy" / organization.get_absolute_url().lstrip("/") / "index.html"
    expected = posixpath.relpath(organization.logo.url, organization.get_absolute_url())
    assert f'src="{expected}"' in page.read_text()


def test_copy_shares_the_origins_address_and_names_its_image(site, tmp_path):
    """A copy cannot know its own address without script (it runs none), and the origin's
    outlives the copies, which move as they get blocked: share links and the link preview's
    image name the origin."""
    from urllib.parse import quote

    export_site(tmp_path / "copy")
    page = (tmp_path / "copy" / site.get_absolute_url().strip("/") / "index.html").read_text()
    address = f"{ORIGIN}{site.get_absolute_url()}"
    assert f"https://t.me/share/url?url={quote(address, safe='')}" in page
    assert f'id="share-address" type="url" value="{address}" readonly' in page
    assert f'<meta property="og:image" content="{address}image.png">' in page
    assert "copy-address.js" not in page
