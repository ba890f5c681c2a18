"""Start the production-shaped stack on loopback for `make bench` and `make stress`.

gunicorn (deploy/gunicorn.conf.py) and nginx (deploy/nginx/site.conf.template) run against a
database of their own: `cms_bench` on the PostgreSQL server of DATABASE_URL, or a SQLite file.
Redis, when REDIS_URL is set, is used through database 14, which this module empties.
Everything started here is stopped on exit.
"""

import getpass
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from string import Template
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN_PORT, PROXY_PORT, STATIC_PORT, ONION_PORT, PURGE_PORT = 8100, 8180, 8181, 8182, 8183
# Debian: apt-get install libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static
# libnginx-mod-http-cache-purge
MODULES = {
    f"/usr/lib/nginx/modules/ngx_http_{name}_module.so": package
    for name, package in (
        ("brotli_filter", "libnginx-mod-http-brotli-filter"),
        ("brotli_static", "libnginx-mod-http-brotli-static"),
        ("cache_purge", "libnginx-mod-http-cache-purge"),
    )
}


# What a bench may need besides commands, and how to say it is missing.
SERVICES = {
    "postgres": (
        "DATABASE_URL on PostgreSQL",
        lambda: "postgres" in os.environ.get("DATABASE_URL", ""),
    ),
    "redis": ("REDIS_URL", lambda: bool(os.environ.get("REDIS_URL"))),
}


def missing_tools(*tools):
    """What of `tools` this machine lacks: commands, nginx's modules ("nginx-modules", as
    Debian's packages), and SERVICES ("postgres", "redis")."""
    commands = [t for t in tools if t != "nginx-modules" and t not in SERVICES]
    missing = [tool for tool in commands if shutil.which(tool) is None]
    if "nginx-modules" in tools:
        missing += [package for module, package in MODULES.items() if not Path(module).exists()]
    return missing + [SERVICES[t][0] for t in tools if t in SERVICES and not SERVICES[t][1]()]


def verdicts(checks):
    """Print each target as MET or MISSED; the exit status: 0 when every one is met."""
    print()
    for name, ok in checks.items():
        print(f"{'MET   ' if ok else 'MISSED'} {name}")
    return 0 if all(checks.values()) else 1


def bench_environment(workers=4, database="cms_bench"):
    """Environment for the bench's Django processes, and a fresh database for them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(database_url)
        _recreate_postgres_database(database_url, database)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{database}"))
    else:
        path = Path(tempfile.gettempdir()) / f"{database}.sqlite3"
        path.unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    if os.environ.get("REDIS_URL"):
        parts = urlsplit(os.environ["REDIS_URL"])
        env["REDIS_URL"] = urlunsplit(parts._replace(path="/14"))
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_BEHIND_PROXY="1",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_COMMENTS_NOTIFY_MODERATORS="0",
        # The stress run signs a moderator in with a password only: it measures concurrent
        # approvals, not the second factor (which tests/test_staff_* and the journeys cover).
        DJANGO_STAFF_2FA_REQUIRED="0",
        GUNICORN_BIND=f"127.0.0.1:{GUNICORN_PORT}",
        GUNICORN_WORKERS=str(workers),
        GUNICORN_ACCESS_LOG="/dev/null",
        DJANGO_CACHE_PURGE_URL=f"http://127.0.0.1:{PURGE_PORT}",
        DJANGO_SETTINGS_MODULE="cms.settings",
    )
    return env


def _recreate_postgres_database(url, name):
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def use_environment(env):
    """Make this process a Django process of the bench (call before django.setup())."""
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()


def _wait_for(url, seconds=90):  # a machine shared by several benches starts slowly
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@contextmanager
def running_stack(env, static_pages=None, worker=False):
    """gunicorn on GUNICORN_PORT, nginx's cache on PROXY_PORT, on STATIC_PORT each of
    `static_pages` ({name: HTML}) as a plain file at /<name>, and with `worker` the background
    task workers."""
    workdir = Path(tempfile.mkdtemp(prefix="cms-bench-"))
    processes = []
    try:
        if worker:  # as in docker-compose.yml: one worker per queue
            for queue in ("default", "mail", "captcha"):
                processes.append(
                    subprocess.Popen(
                        [PYTHON, "manage.py", "db_worker", "--queue-name", queue, "--no-reload"],
                        cwd=ROOT,
                        env=env,
                    )
                )
        processes.append(
            subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py", "cms.wsgi"],
                cwd=ROOT,
                env=env,
            )
        )
        _wait_for(f"http://127.0.0.1:{GUNICORN_PORT}/robots.txt")
        for name, html in (static_pages or {}).items():
            (workdir / f"{name}.html").write_text(html, encoding="utf-8")
        config = workdir / "nginx.conf"
        config.write_text(_nginx_config(workdir), encoding="utf-8")
        processes.append(
            subprocess.Popen(["nginx", "-c", str(config), "-p", str(workdir), "-e", "stderr"])
        )
        _wait_for(f"http://127.0.0.1:{PROXY_PORT}/robots.txt")
        yield
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def site_config(**values):
    """deploy/nginx/site.conf.template with its ${VARIABLES} filled in; every one must be."""
    template = Template((ROOT / "deploy/nginx/site.conf.template").read_text())
    missing = {
        match.group("braced")
        for match in template.pattern.finditer(template.template)
        if match.group("braced") and match.group("braced") not in values
    } - {"VARIABLES"}  # named in the file's first comment
    if missing:
        raise ValueError(f"site.conf.template needs values for {sorted(missing)}")
    return template.safe_substitute(**values)


def _nginx_config(workdir):
    return nginx_config(
        workdir,
        upstream=f"127.0.0.1:{GUNICORN_PORT}",
        listen=f"127.0.0.1:{PROXY_PORT}",
        static_root=ROOT / "staticfiles",
        extra=f"""
    # The baseline: the same pages as plain files.
    server {{
        listen 127.0.0.1:{STATIC_PORT};
        tcp_nopush off;
        location / {{ root {workdir}; default_type text/html; try_files $uri.html =404; }}
    }}""",
    )


def nginx_config(
    workdir,
    upstream,
    listen,
    static_root,
    extra="",
    onion_port=None,
    real_ip_from="127.0.0.1",
    real_ip_header="X-Forwarded-For",
    purge_listen=f"127.0.0.1:{PURGE_PORT}",
    purge_from="127.0.0.1",
):
    """A whole nginx configuration around deploy/nginx/site.conf.template, run from `workdir`."""
    site = site_config(
        NGINX_CACHE_DIR=workdir / "cache",
        DJANGO_UPSTREAM=upstream,
        NGINX_LISTEN=listen,
        NGINX_ONION_PORT=onion_port or ONION_PORT,
        STATIC_ROOT=static_root,
        MEDIA_ROOT=workdir / "media",
        NGINX_REAL_IP_FROM=real_ip_from,
        NGINX_REAL_IP_HEADER=real_ip_header,
        NGINX_PURGE_LISTEN=purge_listen,
        NGINX_PURGE_FROM=purge_from,
    )
    # Workers run as whoever runs the bench, so that they can write to its temporary folder.
    # Debian's modules, by absolute path (a relative one is read from `workdir`).
    modules = "".join(f"load_module {module};\n" for module in MODULES)
    return f"""
{modules}
user {getpass.getuser()};
daemon off;
worker_processes auto;
pid {workdir}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    {site}
    {extra}
}}
"""
