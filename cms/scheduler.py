"""The scheduler: `python -m cms.scheduler` (the `scheduler` service) runs forever and queues
each management command of settings.SCHEDULED_COMMANDS as a background task, every so many
seconds; the worker runs them.

Why a small loop and not a library (APScheduler, cron, a crontask package): a few jobs with
fixed intervals, each idempotent (running one twice or late does no harm), need no more; the
loop only queues tasks, so the work itself gets the worker's logging and task results.
Where each job last ran is kept in the cache, so a restart does not run everything again.
Run only one scheduler: two would queue each job twice (harmless, wasteful).
"""

import logging
import os
import signal
import sys
import time

# Run as `python -m cms.scheduler`, nothing has named the settings yet, and `@task()` below
# reads them as this module is imported.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

from django_tasks import task

logger = logging.getLogger("cms.scheduler")


@task()
def run_command(name):
    """Run one management command in the worker (by name: cms imports no app code)."""
    from django.core.management import call_command

    call_command(name)


def due(schedule, last_runs, now):
    """The commands whose interval has passed since they last ran (never run: due)."""
    return [name for name, every in schedule.items() if now - last_runs.get(name, 0) >= every]


def tick(now=None):
    """Queue the commands that are due; return their names."""
    from django.conf import settings
    from django.core.cache import cache

    now = time.time() if now is None else now
    schedule = settings.SCHEDULED_COMMANDS
    last_runs = cache.get_many([f"scheduler:{name}" for name in schedule])
    last_runs = {key.removeprefix("scheduler:"): value for key, value in last_runs.items()}
    names = due(schedule, last_runs, now)
    for name in names:
        run_command.enqueue(name)
        cache.set(f"scheduler:{name}", now, None)
        logger.info("Queued %s", name)
    return names


def main(interval=60):
    import django

    django.setup()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    logging.basicConfig(level=logging.INFO)
    logger.info("Scheduler started")
    while True:
        try:
            tick()
        except Exception:  # the database or Redis is away for a moment: try again later
            logger.exception("Could not queue the scheduled commands")
        time.sleep(interval)


if __name__ == "__main__":
    main()
