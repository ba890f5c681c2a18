"""The CAPTCHA's addresses, under the names django-simple-captcha reverses (comments.captcha)."""

from django.urls import path, re_path

from comments import captcha

urlpatterns = [
    re_path(r"image/(?P<key>\w+)/$", captcha.image, name="captcha-image", kwargs={"scale": 1}),
    re_path(r"image/(?P<key>\w+)@2/$", captcha.image, name="captcha-image-2x", kwargs={"scale": 2}),
    re_path(r"audio/(?P<key>\w+)\.wav$", captcha.audio, name="captcha-audio"),
    path("refresh/", captcha.refresh, name="captcha-refresh"),
]
