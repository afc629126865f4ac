from django.http import HttpResponse
from django.urls import include, path


def ok(request):
    """The baseline: a response through the whole middleware stack, and nothing else."""
    return HttpResponse("ok")


urlpatterns = [
    path("bench/ok", ok),
    path("", include("skillmatrix.urls")),
]
