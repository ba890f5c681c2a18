"""E-mail about comments: composed here, sent by the worker (comments.tasks.deliver).

Every message is plain text; reader text goes only into bodies, never into a header. Queuing
one writes a row in the task table, in the same database as the comment, so a comment and
its notification are stored together or not at all, and no request waits for a mail server.
"""

from comments.tasks import deliver


def send(subject, body, to, headers=None):
    """Queue one e-mail for the worker; return the task result."""
    return deliver.enqueue(
        {"subject": subject, "body": body, "to": list(to), "headers": headers or {}}
    )
