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
    path("comments/<int:pk>/report/", views.report, name="report"),
    path("comments/email/confirm/<str:token>/", views.confirm_address, name="confirm"),
    path("comments/email/stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("moderation/", views.transparency, name="transparency"),
]
