"""Production settings refuse to run unsafely, and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 25 + "0123456789abcdefghijklmnopqrstuvwxyz"
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "statements.example.org",
    "DJANGO_HTTPS": "1",
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "cms.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("key", ["", "short-key", "a" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(key):
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": key})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_deploy_checks_pass_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_statements_app_never_imports_comments():
    for path in (ROOT / "statements").rglob("*.py"):
        source = path.read_text()
        assert "from comments" not in source and "import comments" not in source, path


@pytest.mark.parametrize(
    "env, required",
    [
        ({}, "True"),  # production (DEBUG off): on
        ({"DJANGO_DEBUG": "1"}, "False"),  # development (`make run`): off
        ({"DJANGO_DEBUG": "1", "DJANGO_STAFF_2FA_REQUIRED": "1"}, "True"),
        ({"DJANGO_STAFF_2FA_REQUIRED": "0"}, "False"),
    ],
)
def test_staff_second_factor_is_on_in_production_and_off_in_development(env, required):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.STAFF_2FA_REQUIRED)",
        **{**PRODUCTION, **env},
    )
    assert result.stdout.strip().splitlines()[-1] == required, result.stderr
