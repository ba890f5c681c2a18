"""What the tests need from the machine: outside tools, npm packages, free ports.

A check that needs something this machine lacks is skipped on a newcomer's machine, with a
reason that says how to get it; in CI (`CI=true`) it fails instead, so that no check is quietly
left out there.
"""

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

CACHE = Path(__file__).resolve().parent.parent / ".cache"


class Unavailable(Exception):
    """What a check needs is missing on this machine; the message says how to get it."""


def unavailable(reason):
    """Skip on a newcomer's machine; in CI a check that cannot run is a failure."""
    if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
        pytest.fail(f"{reason} (CI=true: this check must run)", pytrace=False)
    pytest.skip(reason=reason)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on just now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def npm_package(name, version):
    """The folder of npm package `name` at `version`, installed into .cache/ when missing.

    Raises Unavailable when npm is missing or the installation fails.
    """
    folder = CACHE / name
    package = folder / "node_modules" / name
    if _installed_version(package) == version:
        return package
    npm = shutil.which("npm")
    if not npm:
        raise Unavailable(f"npm not found (apt-get install npm): it installs {name}")
    command = [
        npm,
        "install",
        "--prefix",
        str(folder),
        "--no-save",
        "--no-package-lock",
        "--no-audit",
        "--no-fund",
        # The packages carry what the tests use; their scripts only look for their runtime.
        "--ignore-scripts",
        f"{name}@{version}",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        result = None
    if result is None or result.returncode or _installed_version(package) != version:
        detail = result.stderr.strip()[-500:] if result else "timed out"
        raise Unavailable(f"could not install {name} with `{' '.join(command)}`: {detail}")
    return package


def _installed_version(package):
    try:
        return json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None
