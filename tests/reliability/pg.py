"""A private, throw-away PostgreSQL server and a gunicorn in front of the app, for fault tests.

Both are real processes on loopback. The server is our own (initdb on a free port), so a test
may stop and restart it without touching the shared PostgreSQL on 5432.
"""

from __future__ import annotations

import glob
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def why_not_available() -> str | None:
    if postgres_bin() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
    if os.geteuid() == 0 and shutil.which("su") is None:
        return "cannot switch to the postgres user"
    return None


class PrivatePostgres:
    def __init__(self):
        self.bin = postgres_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="skillmatrix-pg-"))
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/skillmatrix"

    def _run(self, *args: str, check: bool = True):
        command = " ".join(args)
        if os.geteuid() == 0:  # initdb refuses to run as root
            return subprocess.run(
                ["su", "postgres", "-c", command],
                check=check,
                capture_output=True,
                text=True,
                timeout=60,
            )
        return subprocess.run(
            command, shell=True, check=check, capture_output=True, text=True, timeout=60
        )

    def start(self):
        if os.geteuid() == 0:
            shutil.chown(self.dir, user="postgres")
        data = self.dir / "data"
        if not data.exists():
            self._run(
                str(self.bin / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            )
        self._pg_ctl(
            "start",
            "-w",
            "-l",
            str(self.dir / "log"),
            "-o",
            f"'-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off'",
        )
        return self

    def _pg_ctl(self, action, *args):
        return self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), action, *args)

    def stop(self):
        self._pg_ctl("stop", "-m", "fast", "-w")

    def restart(self):
        self._pg_ctl(
            "restart",
            "-m",
            "fast",
            "-w",
            "-l",
            str(self.dir / "log"),
            "-o",
            f"'-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off'",
        )

    def create_database(self):
        import psycopg

        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE DATABASE skillmatrix")

    def destroy(self):
        if (self.dir / "data").exists():
            self._run(
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.dir / "data"),
                "stop",
                "-m",
                "immediate",
                "-w",
                check=False,
            )
        shutil.rmtree(self.dir, ignore_errors=True)


_STATIC_ROOT: Path | None = None


def collected_static() -> Path:
    """Static files collected once per test run (production settings need their manifest)."""
    global _STATIC_ROOT
    if _STATIC_ROOT is None:
        folder = Path(tempfile.mkdtemp(prefix="skillmatrix-static-"))
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "skillmatrix.settings.production",
            "SECRET_KEY": "collectstatic-only",
            "STATIC_ROOT": str(folder),
        }
        manage(env, "collectstatic", "--no-input", "-v0")
        _STATIC_ROOT = folder
    return _STATIC_ROOT


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        "STATIC_ROOT": str(collected_static()),
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "skillmatrix.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "CONN_MAX_AGE": "600",
        **extra,
    }


def manage(env, *args):
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


def shell(env, code: str):
    """Run `code` in `manage.py shell` against the app's database; its last printed line is
    JSON, returned decoded (how a test sets up data and reads back what the app stored)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


class Gunicorn:
    def __init__(self, env, *, workers=2):
        self.env = env  # what `shell` needs to reach the same database
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "skillmatrix.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--no-control-socket",
                "--log-level",
                "warning",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.get("/healthz")[0] == 200:
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not come up")

    def get(self, path: str, timeout: float = 5) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{self.port}{path}", timeout=timeout
            ) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()
        except OSError:
            return 0, b""

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
