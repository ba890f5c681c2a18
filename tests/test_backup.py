"""A backup made as the README says restores into a fresh database with everything in it."""

import shutil
import subprocess

import psycopg
import pytest
from django.db import connection

from comments.models import Comment
from statements.models import Statement
from tests.builders import make_comment, make_organization, make_statement

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL; CI runs it"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_pg_dump_restores_every_statement_and_comment(tmp_path):
    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "PostgreSQL client tools"
    statement = make_statement(signatories=[make_organization()])
    for status in ("approved", "pending", "spam"):
        make_comment(statement, status=status, text=f"Kept across a restore: {status} <&>")
    db = connection.settings_dict
    server = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    dump = tmp_path / "statements.dump"
    subprocess.run(["pg_dump", "-Fc", *server, "-f", dump, db["NAME"]], check=True)

    restored = f"{db['NAME']}_restore_check"
    admin = f"host={server[1]} port={server[3]} user={db['USER']} dbname={db['NAME']}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        conn.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(["pg_restore", "--no-owner", *server, "-d", restored, dump], check=True)
        with psycopg.connect(admin.replace(db["NAME"], restored)) as conn:
            titles = conn.execute("SELECT title FROM statements_statement").fetchall()
            texts = conn.execute("SELECT text, status FROM comments_comment").fetchall()
        assert [t for (t,) in titles] == list(Statement.objects.values_list("title", flat=True))
        assert sorted(texts) == sorted(Comment.objects.values_list("text", "status"))
        assert len(texts) == 3
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
