"""SQLite under concurrent writes, through a real gunicorn: every write either lands or is
answered 503 "try again" — never a server error, never a write lost or half-made."""

import http.cookiejar
import os
import re
import sqlite3
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import DEMO_FILES

from .pg import Gunicorn, app_env, manage

# It makes its own SQLite database, so one run is enough: CI's SQLite pass runs it.
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs in the SQLite pass",
)

USERS = ["ann", "bob", "cyd", "dee"]
COMMENTS_EACH = 12


class Browser:
    """A cookie-keeping HTTP client that logs in through the real login form."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def csrf(self, path):
        for _ in range(50):  # a busy database may answer a read 503 too: come back shortly
            status, html = self.request(path)
            if status != 503:
                break
            time.sleep(0.1)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert match, f"GET {path} answered {status} without a form: {html[:300]}"
        return match.group(1)

    def login(self, username):
        """Log in, trying again while the database answers "busy" (as a person would)."""
        for _ in range(50):
            token = self.csrf("/accounts/login/")
            status, _ = self.request(
                "/accounts/login/",
                {
                    "csrfmiddlewaretoken": token,
                    "login": username,
                    "password": "a-long-passphrase-1",
                },
            )
            if status != 503:
                break
            time.sleep(0.1)
        assert status == 302, f"login of {username} answered {status}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def sqlite_app():
    folder = Path(tempfile.mkdtemp(prefix="skillmatrix-sqlite-"))
    url = f"sqlite:///{folder / 'db.sqlite3'}"
    env = app_env(url, SQLITE_TIMEOUT="0.05", ACCOUNT_EMAIL_VERIFICATION="none")
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "import_matrix", *map(str, DEMO_FILES), "-v0")
    script = "from accounts.models import User\n" + "".join(
        f"User.objects.create_user('{name}', '{name}@example.com', 'a-long-passphrase-1')\n"
        for name in USERS
    )
    manage(env, "shell", "-c", script)
    app = Gunicorn(env, workers=3)
    try:
        yield app, folder / "db.sqlite3"
    finally:
        app.stop()


def test_concurrent_comment_writes_land_or_answer_503(sqlite_app):
    app, database = sqlite_app
    base = f"http://127.0.0.1:{app.port}"
    results: list[tuple[str, int, str]] = []
    stop = threading.Event()

    def hold_the_write_lock():
        """Another writer that keeps taking SQLite's only write lock for a while."""
        blocker = sqlite3.connect(database, timeout=5)
        while not stop.is_set():
            blocker.execute("BEGIN IMMEDIATE")
            time.sleep(0.15)
            blocker.rollback()
            time.sleep(0.1)
        blocker.close()

    # Everybody logs in first (failed logins are rate-limited per address): the lock then
    # competes with the comment writes only.
    browsers = {}
    for username in USERS:
        browsers[username] = Browser(base)
        browsers[username].login(username)

    def write_comments(username):
        browser = browsers[username]
        for i in range(COMMENTS_EACH):
            token = browser.csrf("/skills/ml-deployment/comments/")
            status, html = browser.request(
                "/skills/ml-deployment/comments/",
                {"csrfmiddlewaretoken": token, "body": f"{username} comment {i}"},
            )
            results.append((f"{username} comment {i}", status, html))

    blocker = threading.Thread(target=hold_the_write_lock, daemon=True)
    blocker.start()
    writers = [threading.Thread(target=write_comments, args=(name,)) for name in USERS]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join(120)
    stop.set()
    blocker.join(10)

    statuses = [status for _, status, _ in results]
    assert len(results) == len(USERS) * COMMENTS_EACH
    assert set(statuses) <= {302, 503}, sorted(set(statuses))
    assert 503 in statuses, "the lock never got in the way: the test proves nothing"
    for _, status, html in results:
        if status == 503:
            assert "The database is busy. Please try again in a moment." in html
    with sqlite3.connect(database) as conn:
        stored = {row[0] for row in conn.execute("SELECT body FROM proposals_comment")}
    landed = {body for body, status, _ in results if status == 302}
    assert stored == landed  # nothing lost, nothing half-made
    print(f"{len(landed)} comments landed, {statuses.count(503)} answered 503")
