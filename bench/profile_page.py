#!/usr/bin/env python3
"""Profile one address in-process, with the page cache off, to see where a request's time goes.

    DATABASE_URL=sqlite:///bench/out/bench.sqlite3 \\
        .venv/bin/python bench/profile_page.py /skills/<slug>/ [--requests 200] [--top 40]
        [--cached]

It answers the address through Django's WSGI handler (the whole middleware stack, as gunicorn
would), first a few times to warm the template cache, then under cProfile, and prints the
mean time per request, the trivial view's for comparison, and the functions that took it (own
time and cumulative). With --cached the page cache is on, so what is profiled is a cached hit.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="the address, e.g. /skills/ml-deployment/")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    parser.add_argument("--cached", action="store_true", help="page cache on: profile a hit")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("SECRET_KEY", "profile-only-0123456789abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("CONN_MAX_AGE", "600")  # as bench/run.py serves: connections kept
    os.environ["PAGE_CACHE_SECONDS"] = "600" if args.cached else "0"
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    app, factory = WSGIHandler(), RequestFactory()

    def answer(path: str) -> str:
        """One request through the WSGI handler, as gunicorn makes it; returns the status."""
        started = []
        body = app(factory.get(path).environ, lambda status, headers: started.append(status))
        b"".join(body)
        body.close()
        return started[0]

    for _ in range(5):
        status = answer(args.path)
    if not status.startswith("200"):
        sys.exit(f"{args.path} answered {status}")

    def timed(path: str) -> tuple[float, float]:
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            answer(path)
        return (
            (time.perf_counter() - started) / args.requests,
            (time.process_time() - cpu_started) / args.requests,
        )

    answer("/bench/ok")
    trivial_plain, trivial_cpu = timed("/bench/ok")
    plain, cpu = timed(args.path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        answer(args.path)
    profiler.disable()
    # CPU time is the steadier figure when other work shares the machine.
    kind = "cached hit" if args.cached else "page cache off"
    print(
        f"{args.path} ({kind}): {plain * 1000:.2f} ms per request without the profiler"
        f" ({cpu * 1000:.2f} ms of CPU); trivial view {trivial_plain * 1000:.2f} ms"
        f" ({trivial_cpu * 1000:.2f} ms of CPU)"
    )
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
