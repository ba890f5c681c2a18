"""gunicorn settings for production (docker-compose) and for `make bench`/`make stress`."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Threads make gunicorn's gthread workers, which keep connections open between requests (a sync
# worker closes each after one answer, so nginx's upstream keepalive found nothing to reuse):
# measured in issue 17's note, they multiplied the statement page's direct rate.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so that a slow leak can never take the site down.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
