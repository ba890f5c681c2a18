from django.conf import settings

from statements.caching import rendered_for_mirror


def mirror(request):
    """`mirror_copy`: the page is being rendered for a static copy (manage.py export_site),
    which has no forms: no search, and comments are written at `origin_url`."""
    return {"mirror_copy": rendered_for_mirror(request), "origin_url": settings.ORIGIN_URL}
