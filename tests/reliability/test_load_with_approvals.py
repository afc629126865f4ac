"""A minute of load (wrk on loopback) while a reviewer approves proposals through the API:
no failed request, and every approval applied exactly once — no lost or half-applied change."""

import os
import re
import shutil
import subprocess
import threading
import time
import urllib.request

import pytest

from tests.conftest import DEMO_FILES

from .pg import Gunicorn, PrivatePostgres, app_env, manage, shell, why_not_available

LOAD_SECONDS = int(os.environ.get("RELIABILITY_LOAD_SECONDS", "60"))
PROPOSALS = 24

pytestmark = [
    pytest.mark.skipif(why_not_available() is not None, reason=why_not_available() or ""),
    pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="runs in the PostgreSQL pass (DATABASE_URL=postgres://…)",
    ),
]

SETUP = """
import json
from django.contrib.auth.models import Group
from accounts.models import User
from proposals.services import proposal_create
from skillmatrix.api.services import api_token_create
from skills.models import Skill
reviewer = User.objects.create_user("reviewer", "reviewer@example.com", "x-long-passphrase-1")
reviewer.groups.add(Group.objects.get(name="Reviewers"))
author = User.objects.create_user("author", "author@example.com", "x-long-passphrase-1")
ids = []
for skill in Skill.objects.order_by("slug")[:%(n)d]:
    row = skill.expectations.select_related("role", "level").first()
    proposal = proposal_create(
        author=author, skill=skill, base_version=skill.version, rationale="Load test.",
        changes=[{"role": row.role.slug, "level": row.level.slug, "necessity": "required",
                  "description": "Approved under load: " + skill.slug}],
    )
    ids.append([proposal.pk, skill.slug])
token = api_token_create(user=reviewer, name="load test")[1]
print(json.dumps({"token": token, "proposals": ids}))
"""

CHECK = """
import json
from proposals.models import Proposal
from skills.models import Skill
out = []
for proposal in Proposal.objects.select_related("skill").order_by("pk"):
    skill = proposal.skill
    texts = list(skill.expectations.values_list("description", flat=True))
    applied = ("Approved under load: " + skill.slug) in texts
    out.append({"status": proposal.status, "revisions": skill.revisions.count(),
                "version": skill.version, "applied": applied,
                "revision_is_linked": proposal.revision_id is not None})
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def loaded_app():
    server = PrivatePostgres().start()
    try:
        server.create_database()
        # One address hammers the read API here: lift the anonymous rate limit for it.
        env = app_env(server.url, API_RATE_ANON="1000000/minute")
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "import_matrix", *map(str, DEMO_FILES), "-v0")
        setup = shell(env, SETUP % {"n": PROPOSALS})
        app = Gunicorn(env, workers=3)
        try:
            yield env, app, setup
        finally:
            app.stop()
    finally:
        server.destroy()


def wrk(url, seconds):
    return subprocess.run(
        ["wrk", "-t1", "-c4", f"-d{seconds}s", url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout


def test_approvals_under_load(loaded_app):
    env, app, setup = loaded_app
    base = f"http://127.0.0.1:{app.port}"
    slug = setup["proposals"][0][1]
    outputs = {}
    loads = [
        threading.Thread(target=lambda k=key, u=url: outputs.__setitem__(k, wrk(u, LOAD_SECONDS)))
        for key, url in (
            ("skill", f"{base}/skills/{slug}/"),
            ("catalogue", f"{base}/skills/"),
            ("api", f"{base}/api/v1/skills/{slug}/"),
        )
    ]
    for thread in loads:
        thread.start()
    time.sleep(2)
    answers = []
    pause = max(0.2, (LOAD_SECONDS - 10) / PROPOSALS)
    for proposal_id, _slug in setup["proposals"]:
        request = urllib.request.Request(
            f"{base}/api/v1/proposals/{proposal_id}/approve/",
            data=b"{}",
            method="POST",
            headers={
                "Authorization": f"Token {setup['token']}",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                answers.append(response.status)
        except urllib.error.HTTPError as exc:
            answers.append((exc.code, exc.read()[:200]))
        time.sleep(pause)
    for thread in loads:
        thread.join(LOAD_SECONDS + 90)

    assert answers == [200] * PROPOSALS, answers
    for name, output in outputs.items():
        requests = int(re.search(r"(\d+) requests in", output).group(1))
        assert requests > 100, (name, output)
        assert "Non-2xx" not in output, (name, output)
        assert "Socket errors" not in output, (name, output)
        print(f"{name}: {requests} requests in {LOAD_SECONDS} s, none failed")
    state = shell(env, CHECK)
    assert len(state) == PROPOSALS
    for row in state:
        assert row == {
            "status": "approved",
            "revisions": 2,
            "version": 2,
            "applied": True,
            "revision_is_linked": True,
        }, row
