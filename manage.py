#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path


def read_development_env():
    """Development: read `.env.dev` (written by `make run`: DEBUG on, a random key).

    Variables already in the environment win. A production environment reads no file at all:
    one that turns DEBUG off, or brings its own secret key (production must; DEBUG is off
    there by default). Without the file nothing happens.
    """
    path = Path(__file__).resolve().with_name(".env.dev")
    debug = os.environ.get("DJANGO_DEBUG", "").strip().lower()
    production = debug in {"0", "false", "no", "off"} or os.environ.get("DJANGO_SECRET_KEY")
    if production or not path.exists():
        return
    from dotenv import load_dotenv

    load_dotenv(path, override=False)


if __name__ == "__main__":
    read_development_env()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
