from django.http import HttpResponse
from django.urls import include, path

from skills.cache import matrix_generation


def ok(request):
    """The baseline: a response through the whole middleware stack, and nothing else."""
    return HttpResponse("ok")


def generation(request):
    """The baseline plus the one query every cached hit makes (the matrix generation): the
    most a cached page can reach, since the read is what keeps it from being stale."""
    return HttpResponse(f"ok {matrix_generation()}")


urlpatterns = [
    path("bench/ok", ok),
    path("bench/generation", generation),
    path("", include("skillmatrix.urls")),
]
