from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.SITE_NAME} — staff"
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    # Passkey ceremonies (django-otp-webauthn's JSON endpoints), beside the admin.
    path(f"{settings.ADMIN_URL}passkeys/", include("staff.passkeys", namespace="otp_webauthn")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("captcha/", include("comments.captcha_urls")),
    path("", include("comments.urls")),
    path("", include("pages.urls")),
    path("", include("statements.urls")),
]
