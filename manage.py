#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path


def read_development_env():
    """Development: read `.env.dev` (written by `make run`: DEBUG on, a random key).

    Variables already in the environment win. An environment that turns DEBUG off (as
    production's does) reads no file at all, and without the file nothing happens.
    """
    path = Path(__file__).resolve().with_name(".env.dev")
    debug = os.environ.get("DJANGO_DEBUG", "").strip().lower()
    if debug in {"0", "false", "no", "off"} or not path.exists():
        return
    from dotenv import load_dotenv

    load_dotenv(path, override=False)


if __name__ == "__main__":
    read_development_env()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
