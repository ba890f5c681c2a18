from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from pages import views as pages_views
from statements import views as statement_views
from statements.caching import public_page
from statements.sitemaps import sitemap_or_index, sitemap_section


def media(request, path):
    """A file of MEDIA_ROOT, read when asked (the tests move MEDIA_ROOT)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    # Passkey ceremonies (django-otp-webauthn's JSON endpoints), beside the admin.
    path(f"{settings.ADMIN_URL}passkeys/", include("staff.passkeys", namespace="otp_webauthn")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", statement_views.site_root, name="root"),
    path("sitemap.xml", public_page(sitemap_or_index), name="sitemap"),
    path("sitemap-<slug:section>.xml", public_page(sitemap_section), name="sitemap-section"),
    # The site's accent colour and logo, addressed by their version (pages.views).
    path("site/<slug:version>.css", pages_views.identity_stylesheet, name="identity-css"),
    path(
        "site/logo-<slug:version>.<slug:extension>",
        pages_views.identity_logo,
        name="identity-logo",
    ),
    path("robots.txt", statement_views.RobotsView.as_view(), name="robots"),
    # Uploaded logos and drawn images. In production nginx answers /media/ from disk before
    # a request gets here; this serves them under `make run`, the tests and the static export.
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", public_page(media), name="media"),
    # Addresses from before the language prefixes: shared links keep working.
    re_path(
        r"^(?P<address>(?:statements|organizations|search|feeds|comments)/.*)$",
        statement_views.english_address,
    ),
    # Every public page, once per language: /fa/…, /en/… (the language is set from the prefix
    # by cms.middleware.LanguageMiddleware).
    *i18n_patterns(
        # The CAPTCHA too, so that its messages (the refresh limit) speak the page's language.
        path("captcha/", include("comments.captcha_urls")),
        path("", include("comments.urls")),
        path("", include("pages.urls")),
        path("", include("statements.urls")),
        prefix_default_language=True,
    ),
]
