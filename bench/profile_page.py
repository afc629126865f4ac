#!/usr/bin/env python3
"""Profile one address in-process, with the page cache off, to see where a request's time goes.

    DATABASE_URL=sqlite:///bench/out/bench.sqlite3 \\
        .venv/bin/python bench/profile_page.py /skills/<slug>/ [--requests 200] [--top 40]

It answers the address through Django's test client (the whole middleware stack, as gunicorn
would), first a few times to warm the template cache, then under cProfile, and prints the
mean time per request and the functions that took it (own time and cumulative).
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
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("SECRET_KEY", "profile-only-0123456789abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("CONN_MAX_AGE", "600")  # as bench/run.py serves: connections kept
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    import django

    django.setup()
    from django.test import Client

    client = Client()
    for _ in range(5):
        status = client.get(args.path).status_code
    if status != 200:
        sys.exit(f"{args.path} answered {status}")
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(args.requests):
        client.get(args.path)
    plain = (time.perf_counter() - started) / args.requests
    cpu = (time.process_time() - cpu_started) / args.requests
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        client.get(args.path)
    profiler.disable()
    # CPU time is the steadier figure when other work shares the machine.
    print(
        f"{args.path}: {plain * 1000:.2f} ms per request without the profiler"
        f" ({cpu * 1000:.2f} ms of CPU)"
    )
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
