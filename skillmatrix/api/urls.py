"""`/api/`: version 1 of the API, its OpenAPI schema and its documentation.

Each app's endpoints come from its own `<app>/api/urls.py`; add one line to `v1` below.
The catch-all must stay last: any other address under /api/ is a JSON 404.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("tokens", views.ApiTokenViewSet, basename="token")

v1 = [
    path("", include("skills.api.urls")),
    path("", include("proposals.api.urls")),
    path("", include("growth.api.urls")),
    path("", include("accounts.api.urls")),
    *router.urls,
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        # The split view serves its start-up script apart: no inline script (CSP).
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    re_path(r"^", views.EndpointNotFound.as_view(), name="not_found"),
]
