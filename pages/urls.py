from django.urls import path

from pages import views
from statements.urls import STATEMENT

app_name = "pages"

urlpatterns = [
    path("pages/<slug:slug>/", views.PageView.as_view(), name="page"),
    # A statement's OpenGraph image, beside its page (pages.opengraph.image_url).
    path(f"{STATEMENT}image.png", views.statement_image, name="statement_image"),
]
