"""PostgreSQL restarted under load: the app answers again within seconds, and meanwhile it
says "unavailable" (503 on /healthz) rather than failing with server errors forever."""

import os
import threading
import time
from collections import Counter

import pytest

from tests.conftest import DEMO_FILES

from .pg import Gunicorn, PrivatePostgres, app_env, manage, why_not_available

pytestmark = [
    pytest.mark.skipif(why_not_available() is not None, reason=why_not_available() or ""),
    # It starts its own server, so one run is enough: CI's PostgreSQL pass runs it.
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="runs in the PostgreSQL pass (DATABASE_URL=postgres://…)",
    ),
]


@pytest.fixture(scope="module")
def private_app():
    server = PrivatePostgres().start()
    try:
        server.create_database()
        env = app_env(server.url)
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "import_matrix", *map(str, DEMO_FILES), "-v0")
        app = Gunicorn(env)
        try:
            yield server, app
        finally:
            app.stop()
    finally:
        server.destroy()


def test_app_recovers_after_a_database_restart(private_app):
    server, app = private_app
    statuses: list[tuple[float, int]] = []
    stop = threading.Event()

    def load(path):
        while not stop.is_set():
            statuses.append((time.monotonic(), app.get(path, timeout=10)[0]))

    threads = [
        threading.Thread(target=load, args=(path,), daemon=True)
        for path in (
            "/skills/ml-deployment/?lang=en&x=1",
            "/healthz",
            "/roles/",
            "/skills/?q=deployment",
        )
    ]
    for thread in threads:
        thread.start()
    time.sleep(2)
    before = Counter(status for _, status in statuses)
    restart_started = time.monotonic()
    server.restart()
    restarted_at = time.monotonic()
    time.sleep(6)
    stop.set()
    for thread in threads:
        thread.join(15)

    assert before and set(before) == {200}, before
    after = [(t, s) for t, s in statuses if t > restarted_at]
    # Recovered: every answer from 3 s after the restart on is a success.
    late = [s for t, s in after if t > restarted_at + 3]
    assert late and set(late) == {200}, Counter(late)
    first_ok = min(t for t, s in after if s == 200)
    print(
        f"restart took {restarted_at - restart_started:.2f} s; first success "
        f"{first_ok - restarted_at:.2f} s after it; answers during: "
        f"{dict(Counter(s for t, s in statuses if restart_started <= t <= restarted_at))}"
    )
    assert first_ok - restarted_at < 3
    # While it was down, the app said so: 503 "try again", never a server error.
    assert 500 not in {status for _, status in statuses}


def test_healthz_says_unavailable_while_the_database_is_down(private_app):
    server, app = private_app
    server.stop()
    try:
        status, body = app.get("/healthz")
        assert status == 503
        assert b'"database": "unavailable"' in body
    finally:
        server.start()
    deadline = time.monotonic() + 10
    while app.get("/healthz")[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert app.get("/healthz")[0] == 200
