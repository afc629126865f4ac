"""Production settings plus a trivial view, for the load benchmark (bench/run.py)."""

from skillmatrix.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Plain HTTP on loopback: no redirect to HTTPS, so wrk measures the pages themselves.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# The benchmark hammers the read API far beyond what its throttles allow real clients.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
