from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("statements/<int:year>/<str:month>/<slug:slug>/comment/", views.comment_page, name="post"),
    path(
        "statements/<int:year>/<str:month>/<slug:slug>/comment/posted/",
        views.posted,
        name="posted",
    ),
    path("comments/form/<int:pk>/", views.form_fragment, name="form"),
]
