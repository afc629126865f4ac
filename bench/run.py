#!/usr/bin/env python3
"""Load benchmark: gunicorn + wrk on loopback, SQLite and PostgreSQL, a 10,000-skill matrix.

    .venv/bin/python bench/run.py [--skills 10000] [--rounds 3] [--duration 5]
                                  [--db sqlite,postgres]

For each database it migrates a fresh database, imports a synthetic matrix, starts gunicorn
twice (page cache on, and off for the "uncached" rows) and drives each endpoint with wrk in
interleaved rounds. Every figure is printed as a ratio to a trivial view (`HttpResponse("ok")`
through the same middleware) measured by the same server in the same round, with min–median–max
over the rounds, because absolute figures move ±20 % between runs on shared machines. It also
prints each page's SQL query count, for the big matrix and for a small one.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
PG_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/skillmatrix_bench"
)

#: name → (path, needs the page cache off)
ENDPOINTS = {
    "trivial view": ("/bench/ok", False),
    # What a cached hit cannot avoid: the trivial view plus the generation's one round trip.
    "trivial + generation read": ("/bench/generation", False),
    "skill page (uncached)": ("/skills/{skill}/", True),
    "skill page (cached)": ("/skills/{skill}/", False),
    "role page (cached)": ("/roles/{role}/", False),
    "role page (uncached)": ("/roles/{role}/", True),
    "catalogue search (uncached)": ("/skills/?q=pipelines+deployments", True),
    "catalogue search (cached)": ("/skills/?q=pipelines+deployments", False),
    "home (cached)": ("/", False),
    "API skill detail (cached)": ("/api/v1/skills/{skill}/", False),
    "API skill detail (uncached)": ("/api/v1/skills/{skill}/", True),
    "API skill list (cached)": ("/api/v1/skills/?page=3", False),
    "API skill list (uncached)": ("/api/v1/skills/?page=3", True),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def env_for(database_url: str, *, cache_seconds: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", secrets.token_urlsafe(40)),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "PAGE_CACHE_SECONDS": str(cache_seconds),
        "CONN_MAX_AGE": "600",
    }


def manage(env, *args):
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, check=True)


def prepare(db: str, skills: int, matrix: Path) -> str:
    if db == "sqlite":
        path = OUT / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        url = PG_URL
        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    env = env_for(url, cache_seconds=0)
    manage(env, "migrate", "-v0", "--no-input")
    started = time.perf_counter()
    manage(env, "import_matrix", str(matrix), "-v0")
    print(f"[{db}] imported {skills} skills in {time.perf_counter() - started:.1f} s", flush=True)
    return url


class Server:
    def __init__(self, url: str, *, cache_seconds: int, workers: int):
        self.port = free_port()
        self.env = env_for(url, cache_seconds=cache_seconds)
        self.proc = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "bench.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--no-control-socket",
                "--log-level",
                "warning",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url("/bench/ok"), timeout=2).read()
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def warm(self, path: str) -> int:
        try:
            with urllib.request.urlopen(self.url(path), timeout=30) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def drain(self, workers: int):
        """Wait for the requests wrk left queued to be answered: a slow page's backlog would
        otherwise eat the next measurement's CPU (requests wait their turn behind it)."""
        threads = [
            threading.Thread(target=self.warm, args=("/bench/ok",)) for _ in range(2 * workers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def parse_latency(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, *, duration: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = parse_latency(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = parse_latency(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": p50, "p99": p99, "errors": int(errors.group(1)) if errors else 0}


def query_counts(url: str, skill: str, role: str) -> dict[str, int]:
    code = f"""
import django, json
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
pages = {{"skill page": "/skills/{skill}/", "role page": "/roles/{role}/",
         "catalogue search": "/skills/?q=pipelines+deployments", "home": "/",
         "API skill detail": "/api/v1/skills/{skill}/", "API skill list": "/api/v1/skills/?page=3"}}
counts = {{}}
for name, path in pages.items():
    client.get(path)  # the steady state: what a process keeps between requests is kept
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(path).status_code
    counts[name] = len(ctx.captured_queries) if status == 200 else None
print(json.dumps(counts))
"""
    env = env_for(url, cache_seconds=0)
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    import json

    return json.loads(out.strip().splitlines()[-1])


def pick(url: str) -> tuple[str, str]:
    """A skill and a role of the synthetic matrix, the role with its share of skills."""
    code = """
import django
django.setup()
from django.db.models import Count
from skills.models import Role, Skill
skills = Skill.objects.filter(slug__startswith="synthetic-skill-").order_by("pk")
skill = skills[skills.count() // 2]
role = Role.objects.annotate(n=Count("expectations")).order_by("-n").first()
print(skill.slug, role.slug)
"""
    out = subprocess.run(
        [PYTHON, "-c", code],
        cwd=ROOT,
        env=env_for(url, cache_seconds=0),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    skill, role = out.split()
    return skill, role


def spread(values):
    values = sorted(values)
    return f"{values[0]:.2f}–{statistics.median(values):.2f}–{values[-1]:.2f}"


def run_database(db, args, matrix):
    url = prepare(db, args.skills, matrix)
    skill, role = pick(url)
    servers = {
        False: Server(url, cache_seconds=600, workers=args.workers),
        True: Server(url, cache_seconds=0, workers=args.workers),
    }
    results: dict[str, list[dict]] = {name: [] for name in ENDPOINTS}
    available = {}
    try:
        for name, (path, uncached) in ENDPOINTS.items():
            status = servers[uncached].warm(path.format(skill=skill, role=role))
            available[name] = status == 200
            if not available[name]:
                print(f"[{db}] {name}: HTTP {status}, left out", flush=True)
            elif not uncached:
                # Each worker keeps its own local-memory cache: fill every worker's before
                # measuring, so that no round pays a worker's first (uncached) answer.
                wrk(
                    servers[uncached].url(path.format(skill=skill, role=role)),
                    duration=2,
                    connections=args.connections,
                )
        for round_no in range(1, args.rounds + 1):
            trivial = {}
            for uncached, server in servers.items():
                trivial[uncached] = wrk(
                    server.url("/bench/ok"), duration=args.duration, connections=args.connections
                )
            for name, (path, uncached) in ENDPOINTS.items():
                if not available[name]:
                    continue
                base = trivial[uncached]
                if name == "trivial view":
                    figures = base
                else:
                    figures = wrk(
                        servers[uncached].url(path.format(skill=skill, role=role)),
                        duration=args.duration,
                        connections=args.connections,
                    )
                    servers[uncached].drain(args.workers)
                figures = {
                    **figures,
                    "ratio": figures["rps"] / base["rps"],
                    "p50_ratio": figures["p50"] / base["p50"],
                    "p99_ratio": figures["p99"] / base["p99"],
                }
                results[name].append(figures)
            print(f"[{db}] round {round_no}/{args.rounds} done", flush=True)
    finally:
        for server in servers.values():
            server.stop()
    counts = query_counts(url, skill, role)
    return results, counts


def print_table(db, results, counts, small_counts):
    print(f"\n== {db}: {ENDPOINT_NOTE}")
    header = (
        f"{'endpoint':<30} {'req/s (median)':>14} {'× trivial min–med–max':>24} "
        f"{'p50 ms':>8} {'p50 ×':>7} {'p99 ms':>8} {'p99 ×':>7} {'errors':>7} "
        f"{'queries':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, rounds in results.items():
        if not rounds:
            continue
        key = name.split(" (")[0]
        queries = counts.get(key)
        small = small_counts.get(key) if small_counts else None
        q = (
            ""
            if queries is None
            else (f"{queries}" if small in (None, queries) else f"{queries} (small: {small})")
        )
        print(
            f"{name:<30} {statistics.median(r['rps'] for r in rounds):>14.0f} "
            f"{spread([r['ratio'] * 100 for r in rounds]) + ' %':>24} "
            f"{statistics.median(r['p50'] for r in rounds):>8.2f} "
            f"{statistics.median(r['p50_ratio'] for r in rounds):>7.2f} "
            f"{statistics.median(r['p99'] for r in rounds):>8.2f} "
            f"{statistics.median(r['p99_ratio'] for r in rounds):>7.2f} "
            f"{sum(r['errors'] for r in rounds):>7} {q:>8}"
        )


ENDPOINT_NOTE = ""


def main():
    global ENDPOINT_NOTE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skills", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    # One worker per core: wrk and PostgreSQL share this machine's cores with gunicorn. (A
    # machine that only serves the app runs 2 × cores + 1, as the README says; here that
    # gave PostgreSQL's pages lower and noisier ratios, SQLite's higher.)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--db", default="sqlite,postgres")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    OUT.mkdir(parents=True, exist_ok=True)
    matrix = OUT / f"synthetic-{args.skills}.json"
    if not matrix.exists():
        subprocess.run(
            [
                PYTHON,
                str(ROOT / "manage.py"),
                "generate_matrix",
                str(matrix),
                "--skills",
                str(args.skills),
                "-v0",
            ],
            cwd=ROOT,
            check=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "skillmatrix.settings.test"},
        )
    ENDPOINT_NOTE = (
        f"{args.skills} skills, gunicorn sync ×{args.workers}, wrk 1 thread "
        f"{args.connections} connections {args.duration} s, {args.rounds} rounds"
    )
    manage(env_for("sqlite://:memory:", cache_seconds=0), "collectstatic", "--no-input", "-v0")
    small_matrix = OUT / "synthetic-100.json"
    subprocess.run(
        [
            PYTHON,
            str(ROOT / "manage.py"),
            "generate_matrix",
            str(small_matrix),
            "--skills",
            "100",
            "-v0",
        ],
        cwd=ROOT,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "skillmatrix.settings.test"},
    )
    tables = []
    for db in args.db.split(","):
        results, counts = run_database(db, args, matrix)
        small_url = prepare(db, 100, small_matrix)
        small_counts = query_counts(small_url, *pick(small_url))
        tables.append((db, results, counts, small_counts))
    for table in tables:
        print_table(*table)


if __name__ == "__main__":
    main()
