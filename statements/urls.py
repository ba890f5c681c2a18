"""The public pages of one language; cms.urls puts them under its prefix (/fa/…, /en/…)."""

from django.urls import path

from statements import views
from statements.caching import public_page
from statements.feeds import LatestStatementsAtomFeed, LatestStatementsFeed

app_name = "statements"

# A statement's address, and the start of every page about it (Statement._address_parts fills
# it in); comments.urls adds its comment pages under it.
STATEMENT = "statements/<int:year>/<str:month>/<slug:slug>/"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("statements/", views.StatementListView.as_view(), name="list"),
    path("statements/<int:year>/", views.StatementYearView.as_view(), name="year"),
    path(STATEMENT, views.StatementDetailView.as_view(), name="detail"),
    path(f"{STATEMENT}history/", views.HistoryView.as_view(), name="history"),
    path(
        f"{STATEMENT}history/<int:older>...<int:newer>/",
        views.ComparisonView.as_view(),
        name="comparison",
    ),
    path(
        f"{STATEMENT}history/<int:number>.txt",
        views.RevisionTextView.as_view(),
        name="revision_text",
    ),
    path("statements/preview/<int:pk>/", views.StatementPreviewView.as_view(), name="preview"),
    path("organizations/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feeds/rss/", public_page(LatestStatementsFeed()), name="rss"),
    path("feeds/atom/", public_page(LatestStatementsAtomFeed()), name="atom"),
    path("feeds/style.xsl", views.FeedStylesheetView.as_view(), name="feed_stylesheet"),
]
