"""Settings are documented: every variable the site reads is in .env.example, named by one rule."""

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Conventional names, shared with hosts and tools: the only ones without a reader's prefix.
CONVENTIONAL = {"DATABASE_URL", "REDIS_URL"}
# Read at runtime, but the system's or Django's, not ours to document.
NOT_OURS = {"PATH", "DJANGO_SETTINGS_MODULE"}
PREFIXES = {"cms/settings.py": "DJANGO_", "deploy/gunicorn.conf.py": "GUNICORN_"}
STRONG_KEY = "k" * 25 + "ey-for-the-environment-test-only-0123456789"

# Runs cms/settings.py with an os.environ that records every name looked up.
RECORDER = """
import json, os, runpy, sys
class Recording(dict):
    seen = set()
    def get(self, key, default=None):
        self.seen.add(key); return super().get(key, default)
    def __getitem__(self, key):
        self.seen.add(key); return super().__getitem__(key)
    def __contains__(self, key):
        self.seen.add(key); return super().__contains__(key)
os.environ = Recording(os.environ)
runpy.run_path(sys.argv[1])
print(json.dumps(sorted(os.environ.seen)))
"""


def documented():
    """Names in .env.example, set (NAME=value) or shown commented out (# NAME=value)."""
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^(?:# ?)?([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))


def read_at_runtime(path, **environment):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    clean = {k: v for k, v in clean.items() if k not in CONVENTIONAL}
    result = subprocess.run(
        [sys.executable, "-c", RECORDER, str(ROOT / path)],
        env={**clean, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=True,
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def read_in_source(path):
    """Names passed as the first argument to env*(), os.environ.get() or os.getenv(), or
    used as os.environ[...]: what a branch not taken at runtime would read."""
    names = set()
    for node in ast.walk(ast.parse((ROOT / path).read_text())):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called.startswith("env") or called in {"get", "getenv"}:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    names.add(first.value)
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(node.slice.value)
    return {name for name in names if re.fullmatch(r"[A-Z][A-Z0-9_]+", name)}


@pytest.fixture(scope="module")
def settings_reads():
    development = read_at_runtime(
        "cms/settings.py", DJANGO_DEBUG="1", DJANGO_SECRET_KEY="development"
    )
    production = read_at_runtime(
        "cms/settings.py",
        DJANGO_SECRET_KEY=STRONG_KEY,
        REDIS_URL="redis://127.0.0.1:6379/15",
        DJANGO_EMAIL_HOST="smtp.example.org",
        DJANGO_HTTPS="1",
        DJANGO_BEHIND_PROXY="1",
    )
    return (development | production | read_in_source("cms/settings.py")) - NOT_OURS


def test_every_variable_settings_read_is_in_env_example(settings_reads):
    missing = settings_reads - documented()
    assert not missing, f"add these to .env.example, saying what they do: {sorted(missing)}"


def test_every_variable_gunicorn_reads_is_in_env_example():
    missing = read_in_source("deploy/gunicorn.conf.py") - documented()
    assert not missing, f"add these to .env.example: {sorted(missing)}"


@pytest.mark.parametrize(("path", "prefix"), PREFIXES.items())
def test_variables_are_named_after_their_reader(path, prefix):
    wrong = {n for n in read_in_source(path) if not n.startswith(prefix)} - CONVENTIONAL
    assert not wrong, f"{path} reads {sorted(wrong)}: its variables start with {prefix}"


def test_env_example_lists_no_variable_nobody_reads(settings_reads):
    read = settings_reads | read_in_source("deploy/gunicorn.conf.py")
    compose = (ROOT / "docker-compose.yml").read_text()
    stale = {name for name in documented() - read if f"${{{name}" not in compose}
    assert not stale, f".env.example lists variables nothing reads: {sorted(stale)}"


def manage_py_settings(tmp_path, dev_env, **environment):
    """DEBUG and SITE_NAME as manage.py sees them with `dev_env` as its .env.dev."""
    (tmp_path / "manage.py").write_text((ROOT / "manage.py").read_text())
    (tmp_path / ".env.dev").write_text(dev_env)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [
            sys.executable,
            str(tmp_path / "manage.py"),
            "shell",
            "-c",
            "from django.conf import settings; print(settings.DEBUG, settings.SITE_NAME)",
        ],
        env={**clean, "PYTHONPATH": str(ROOT), **environment},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    return result.stdout.strip().splitlines()[-1] if result.returncode == 0 else result.stderr


DEV_ENV = "DJANGO_DEBUG=1\nDJANGO_SECRET_KEY=dev-only\nDJANGO_SITE_NAME=From the file\n"


def test_manage_py_reads_env_dev_in_development(tmp_path):
    assert manage_py_settings(tmp_path, DEV_ENV) == "True From the file"


def test_environment_wins_over_env_dev(tmp_path):
    result = manage_py_settings(tmp_path, DEV_ENV, DJANGO_SITE_NAME="From the environment")
    assert result == "True From the environment"


def test_production_environment_ignores_env_dev(tmp_path):
    result = manage_py_settings(tmp_path, DEV_ENV, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=STRONG_KEY)
    assert result == "False Joint Statements"


def test_production_environment_ignores_env_dev_without_saying_debug_is_off(tmp_path):
    # Production leaves DJANGO_DEBUG unset (off by default) and always sets its own key.
    result = manage_py_settings(tmp_path, DEV_ENV, DJANGO_SECRET_KEY=STRONG_KEY)
    assert result == "False Joint Statements"
