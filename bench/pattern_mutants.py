"""Hand-made mutants of the module-level patterns in comments/formatting.py (`make mutate`).

mutmut mutates code inside functions only; the regular expressions, the stop characters and
the trailing punctuation are module-level data, so they are mutated here: each mutant removes
one character or range from a class, or weakens one pattern, in a copy of the project, and the
formatting tests run against it (first failure stops the run). A mutant that no test kills is
printed; one listed in EQUIVALENT is counted apart, with the reason.

Run from the project root:  python -m bench.pattern_mutants
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULE = Path("comments/formatting.py")
COPY = ["cms", "comments", "statements", "staff", "pages", "mirror", "templates", "static",
        "locale", "tests", "manage.py", "pyproject.toml"]  # fmt: skip
TESTS = [
    "tests/test_formatting.py",
    "tests/test_formatting_addresses.py",
    "tests/test_formatting_directions.py",
    "tests/test_formatting_corpus.py",
    "tests/test_formatting_properties.py",
]
PYTEST = [
    "-x",
    "-q",
    "-p",
    "no:cacheprovider",
    "--hypothesis-profile=mutate",
    "--deselect=tests/test_formatting_properties.py::test_long_hostile_input_renders_quickly",
]
TARGET = 97.0

# Mutants that cannot change what a reader sees, with the reason.
EQUIVALENT = {
    "_REST: drop \\x7f-\\x9f": "normalise removes the C1 controls before linking",
    "_REST: drop \\x00-\\x20": "normalise removes the controls; space, tab and newline are \\s, "
    "which the class excludes too",
    "_STOPS: drop \\u2028-\\u202e": "U+2028 and U+2029 are \\s, which _REST excludes anyway, and "
    "normalise removes U+202A-U+202E",
    "_PUNYCODE_TLD: xn-- alone": 'the only extra match is "xn--" itself, which ends in a dash, '
    "and _host_end never leaves a dash at the end of a host",
}


def _line(source, start):
    """The source from `start` to the end of its statement's first line."""
    at = source.index(start)
    return source[at : source.index("\n", at)]


def mutants(source):
    """(name, mutated source) for every hand-made mutant."""
    found = []

    def replace(name, old, new, within=None):
        region = within or source
        assert old in region, (name, old)
        found.append((name, source.replace(region, region.replace(old, new, 1), 1)))

    stops = source[source.index("_STOPS = (") : source.index("\n)", source.index("_STOPS = ("))]
    escaped = r"\\[uU][0-9a-fA-F]{4,8}(?:-\\[uU][0-9a-fA-F]{4,8})?"
    for item in re.findall(escaped, stops):
        replace(f"_STOPS: drop {item}", item, "", within=stops)
    rest = _line(source, "_REST = ")
    for item in [r"\x00-\x20", r"\x7f-\x9f", r"\s", "<", ">", r"\"", "`", "{{}}", "|", "\\\\"]:
        replace(f"_REST: drop {item}", item, "", within=rest)
    replace("_REST: drop ^", "^{_STOPS}", "{_STOPS}", within=rest)
    replace("_REST: no fragment start", "[/?#]", "[/?]", within=rest)
    trailing = _line(source, "_TRAILING = ")
    for item in [".", ",", "!", "?", ";", ":", "'", r"\u060c", r"\u061b", r"\u061f", r"\u200c"]:
        replace(f"_TRAILING: drop {item}", item, "", within=trailing)
    replace("_OPENER: no ]", ', "]": "["', "", within=_line(source, "_OPENER = "))
    replace("_PORT: six digits", "[0-9]{1,5}", "[0-9]{1,6}")
    replace("_PORT: no lookahead", "(?![0-9])", "")
    replace("_PUNYCODE_TLD: case-sensitive", ", re.IGNORECASE)", ")")
    replace("_PUNYCODE_TLD: xn-- alone", "xn--[a-z0-9-]+", "xn--[a-z0-9-]*")
    host = _line(source, "_HOST = ")
    replace("_HOST: no marks", "{_MARKS}", "", within=host)
    replace("_HOST: no dash", r".\-]", ".]", within=host)
    name = _line(source, "_NAME = ")
    replace("_NAME: no marks", "{_MARKS}", "", within=name)
    replace("_NAME: no plus", ".+", ".", within=name)
    replace("_USERINFO: no colon", "=:%", "=%", within=_line(source, "_USERINFO = "))
    replace("_ANCHOR: scheme glued to a word", "(?<![A-Za-z0-9_.+-])(?P<scheme>", "(?P<scheme>")
    replace("_ANCHOR: www glued to a word", "(?<![A-Za-z0-9_.+/@-])(?P<www>", "(?P<www>")
    replace("_ANCHOR: no ftp", "(?i:https?|ftp)", "(?i:https?)")
    replace("_ANCHOR: case-sensitive www", "(?i:www)", "www")
    replace("_IPV4: 256 allowed", "25[0-5]|2[0-4][0-9]", "25[0-6]|2[0-4][0-9]")
    replace("_IPV4: leading zero", r"|[1-9]?[0-9])\.)", r"|[0-9]?[0-9])\.)")
    replace("_MARK_BLOCKS: from U+0301", "range(0x300, 0x1F000)", "range(0x301, 0x1F000)")
    replace("_MARK_BLOCKS: to U+E01EE", "range(0xE0100, 0xE01F0)", "range(0xE0100, 0xE01EF)")
    replace("_MARK_BLOCKS: from U+E0101", "range(0xE0100, 0xE01F0)", "range(0xE0101, 0xE01F0)")
    unwanted = _line(source, "_UNWANTED = ")
    replace("_UNWANTED: keep bidi overrides", r"\u202a-\u202e", "", within=unwanted)
    replace("_UNWANTED: keep isolates", r"\u2066-\u2069", "", within=unwanted)
    replace("_UNWANTED: keep C1 controls", r"\x7f-\x9f", "", within=unwanted)
    replace("LINK_REL: no nofollow", "nofollow ", "", within=_line(source, "LINK_REL = "))
    return found


def main():
    source = (ROOT / MODULE).read_text(encoding="utf-8")
    results = {"killed": [], "survived": [], "equivalent": []}
    with tempfile.TemporaryDirectory() as tmp:
        for name in COPY:
            path = ROOT / name
            if path.is_dir():
                shutil.copytree(
                    path, Path(tmp) / name, ignore=shutil.ignore_patterns("__pycache__")
                )
            elif path.exists():
                shutil.copy2(path, Path(tmp) / name)
        for name, mutated in mutants(source):
            (Path(tmp) / MODULE).write_text(mutated, encoding="utf-8")
            run = subprocess.run(
                [sys.executable, "-m", "pytest", *PYTEST, *TESTS],
                cwd=tmp,
                capture_output=True,
                text=True,
                check=False,
            )
            if run.returncode not in (0, 1):
                print(f"  error ({run.returncode}) for {name}:\n{run.stdout[-2000:]}")
                return 1
            status = "killed" if run.returncode else "survived"
            if status == "survived" and name in EQUIVALENT:
                status = "equivalent"
            results[status].append(name)
            print(f"  {status:10} {name}", flush=True)
    counted = len(results["killed"]) + len(results["survived"])
    score = 100.0 * len(results["killed"]) / counted
    print(
        f"pattern mutants of {MODULE}: {len(results['killed'])} killed, "
        f"{len(results['survived'])} survived, {len(results['equivalent'])} equivalent: "
        f"score {score:.1f}%"
    )
    for name in results["equivalent"]:
        print(f"  equivalent: {name}: {EQUIVALENT[name]}")
    return 0 if score >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
