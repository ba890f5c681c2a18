"""Background tasks of the statements domain, run by the worker (`manage.py db_worker`)."""

import shlex
import subprocess

from django.conf import settings
from django_tasks import task


@task()
def purge_cdn(urls):
    """Run CACHE_PURGE_COMMAND with these full addresses on its standard input, one a line.

    The hook for a CDN in front of nginx (statements.caching.purge): a script of the site's
    owner that calls the CDN's purge API. Through the worker, so that a slow or failing API
    never holds up a save; a failure is recorded in the task results and logged there.
    """
    subprocess.run(  # noqa: S603 (the site owner's own command, from the environment)
        shlex.split(settings.CACHE_PURGE_COMMAND),
        input="\n".join(urls) + "\n",
        text=True,
        check=True,
        timeout=120,
    )
    return f"{len(urls)} addresses"


@task()
def purge_site():
    """Purge the pages of every public statement (statements.caching.site_changed)."""
    from statements.caching import purge, statement_addresses
    from statements.models import Statement

    addresses = statement_addresses(Statement.objects.published().values("pk"))
    purge(addresses)
    return f"{len(addresses)} addresses"
