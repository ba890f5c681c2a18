from django.urls import path

from comments import views
from statements.urls import STATEMENT

app_name = "comments"

urlpatterns = [
    path(f"{STATEMENT}comment/", views.comment_page, name="post"),
    path(f"{STATEMENT}comment/posted/", views.posted, name="posted"),
    path("comments/form/<int:pk>/", views.form_fragment, name="form"),
    path("comments/<int:pk>/report/", views.report, name="report"),
    path("comments/email/confirm/<str:token>/", views.confirm_address, name="confirm"),
    path("comments/email/stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("moderation/", views.transparency, name="transparency"),
]
