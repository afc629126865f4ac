"""PostgreSQL restarted under load: the app answers again within seconds, and meanwhile it
says "unavailable" (503 on /healthz) rather than failing with server errors forever. Approvals
cut off by the restart leave nothing behind: a proposal is applied wholly or not at all."""

import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from tests.conftest import DEMO_FILES

from .pg import Gunicorn, PrivatePostgres, app_env, manage, shell, why_not_available

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
        # The approval test's reviewer may post faster than the write rate limit allows.
        env = app_env(server.url, API_RATE_WRITE="1000000/minute")
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


# --- Approvals while the database restarts ----------------------------------------------------

APPROVAL_PROPOSALS = 36
#: How soon after the restart the app must answer 200 again (health check and approvals).
RECOVERY_SECONDS = 3

# One proposal per skill (so no two proposals touch one skill), each changing four cells in
# three statements: two rewritten, one removed, one added where the skill had none.
APPROVAL_SETUP = """
import json
from django.contrib.auth.models import Group
from accounts.models import User
from proposals.services import proposal_create
from skillmatrix.api.services import api_token_create
from skills.models import Level, Role, Skill
reviewer = User.objects.create_user(
    "restart-reviewer", "restart-reviewer@example.com", "x-long-passphrase-1")
reviewer.groups.add(Group.objects.get(name="Reviewers"))
author = User.objects.create_user(
    "restart-author", "restart-author@example.com", "x-long-passphrase-1")
levels = Level.objects.order_by("rank").values_list("slug", flat=True)
roles = Role.objects.order_by("slug").values_list("slug", flat=True)
every_cell = [(role, level) for level in levels for role in roles]
ids = []
for skill in Skill.objects.order_by("slug")[:%(n)d]:
    rows = list(skill.expectations.select_related("role", "level")
                .order_by("level__rank", "role__slug"))
    taken = {(row.role.slug, row.level.slug) for row in rows}
    role, level = next(cell for cell in every_cell if cell not in taken)
    mark = "Approved across a restart: " + skill.slug
    changes = [
        {"role": row.role.slug, "level": row.level.slug, "description": mark + " (rewritten)",
         "necessity": "required" if row.necessity == "optional" else "optional"}
        for row in rows[:2]
    ] + [
        {"role": rows[-1].role.slug, "level": rows[-1].level.slug, "delete": True},
        {"role": role, "level": level, "necessity": "optional", "description": mark + " (new)"},
    ]
    proposal = proposal_create(author=author, skill=skill, base_version=skill.version,
                               rationale="Restart test.", changes=changes)
    assert len(proposal.changes) == 4, proposal.changes
    ids.append(proposal.pk)
token = api_token_create(user=reviewer, name="restart test")[1]
print(json.dumps({"token": token, "proposals": ids}))
"""

# What the private database holds for each proposal: its status, the skill's revisions since
# the proposal's base version, and each of its cells as now stored — "applied" (as the
# proposal wants it), "untouched" (as at the base version) or "other".
APPROVAL_CHECK = """
import json
from proposals.models import Proposal, ProposalEventKind
from skills.services import skill_snapshot

def by_cell(snapshot):
    return {(row["role"], row["level"]): row for row in snapshot["expectations"]}

def cell_state(change, now, base):
    key = (change["role"], change["level"])
    def same(rows, wanted):
        row = rows.get(key)
        if wanted is None:
            return row is None
        return row is not None and (row["necessity"], row["description"]) == wanted
    wanted = None if change.get("delete") else (change["necessity"], change["description"])
    if same(now, wanted):
        return "applied"
    before = base.get(key)
    if same(now, before and (before["necessity"], before["description"])):
        return "untouched"
    return "other"

out = []
for proposal in Proposal.objects.select_related("skill__group").filter(
        pk__in=%(ids)s).order_by("pk"):
    skill = proposal.skill
    now = skill_snapshot(skill=skill)
    base = skill.revisions.get(version=proposal.base_version).snapshot
    new = list(skill.revisions.filter(version__gt=proposal.base_version).order_by("version"))
    out.append({
        "id": proposal.pk,
        "status": proposal.status,
        "base_version": proposal.base_version,
        "version": skill.version,
        "new_revisions": [revision.version for revision in new],
        "linked_to_new_revision": [proposal.revision_id] == [revision.pk for revision in new],
        "new_revision_is_stored_state": len(new) == 1 and new[0].snapshot == now,
        "stored_state_is_base": now == base,
        "cells": [cell_state(change, by_cell(now), by_cell(base)) for change in proposal.changes],
        "approved_events": proposal.events.filter(kind=ProposalEventKind.APPROVED).count(),
    })
print(json.dumps(out))
"""


@dataclass
class Answer:
    proposal: int
    started: float
    ended: float
    status: int  # 0: no HTTP answer (connection error)
    body: dict
    retry_after: str | None


def approve(app, token: str, proposal: int) -> Answer:
    request = urllib.request.Request(
        f"http://127.0.0.1:{app.port}/api/v1/proposals/{proposal}/approve/",
        data=b"{}",
        method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    started = time.monotonic()
    status, body, retry_after = 0, b"", None
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, body, retry_after = exc.code, exc.read(), exc.headers.get("Retry-After")
    except OSError:
        pass
    try:
        decoded = json.loads(body) if body else {}
    except ValueError:
        decoded = {"undecodable": body[:300].decode(errors="replace")}
    return Answer(proposal, started, time.monotonic(), status, decoded, retry_after)


def is_retry_later(answer: Answer) -> bool:
    """A 503 that tells the client the database is busy and when to try again."""
    return (
        answer.status == 503
        and answer.body.get("code") == "database_busy"
        and "try again" in answer.body.get("detail", "")
        and answer.retry_after is not None
    )


def settled(row: dict) -> str:
    """The proposal's status, after checking it is applied wholly ("approved": one new
    revision, which holds the stored state, every cell applied) or not at all ("open": the
    skill exactly as at the proposal's base version). Anything in between fails."""
    base = row["base_version"]
    if row["status"] == "approved":
        assert row == {
            **row,
            "version": base + 1,
            "new_revisions": [base + 1],
            "linked_to_new_revision": True,
            "new_revision_is_stored_state": True,
            "cells": ["applied"] * len(row["cells"]),
            "approved_events": 1,
        }, f"proposal {row['id']} is approved but not wholly applied"
    else:
        assert row == {
            **row,
            "status": "open",
            "version": base,
            "new_revisions": [],
            "stored_state_is_base": True,
            "cells": ["untouched"] * len(row["cells"]),
            "approved_events": 0,
        }, f"proposal {row['id']} is not approved but partly applied"
    return row["status"]


#: Where a restart cuts an approval: a row the test locks so that the next approval waits for
#: it, at a point named by what the approval has written by then. The restart ends the waiting
#: session and the lock holder's.
CUTS = {
    # Every write to the matrix bumps the matrix generation in its transaction (the services do,
    # and so do the models' save and delete signals): the approval has removed one of its cells.
    "after its first write": "SELECT 1 FROM skills_matrixstate WHERE id = 1 FOR UPDATE",
    # Django's foreign keys are checked at commit, and the revision and notifications point at
    # the proposal's author: the approval has written everything and waits in its COMMIT.
    "in its commit": "SELECT 1 FROM accounts_user WHERE username = 'restart-author' FOR UPDATE",
}


@dataclass
class Restart:
    cut: str
    started: float
    ended: float


@contextmanager
def approval_waiting_on(server, lock: str, answers: list[Answer]):
    """Take the row lock `lock` and yield once an approval waits for it."""
    import psycopg

    holder = psycopg.connect(server.url)
    try:
        holder.execute(lock)
        waiting = 0
        with psycopg.connect(server.url, autocommit=True) as watcher:
            deadline = time.monotonic() + 10
            while not waiting and time.monotonic() < deadline:
                time.sleep(0.05)
                waiting = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                ).fetchone()[0]
        assert waiting == 1, (f"no approval came to wait for: {lock}", answers)
        yield
    finally:
        holder.close()


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_approvals_across_database_restarts_apply_wholly_or_not_at_all(private_app):
    server, app = private_app
    assert wait_until(lambda: app.get("/healthz")[0] == 200, 10)
    setup = shell(app.env, APPROVAL_SETUP % {"n": APPROVAL_PROPOSALS})
    token, ids = setup["token"], setup["proposals"]
    answers: list[Answer] = []
    health: list[tuple[float, int]] = []
    restarts: list[Restart] = []
    stop = threading.Event()

    def reviewer():
        """Approves one proposal after another, moving on whatever the answer."""
        for proposal in ids:
            if stop.is_set():
                break
            answers.append(approve(app, token, proposal))
            time.sleep(0.05)

    def poll_health():
        while not stop.is_set():
            health.append((time.monotonic(), app.get("/healthz", timeout=10)[0]))
            time.sleep(0.05)

    def landed_since(moment: float) -> int:
        return sum(a.status == 200 and a.started > moment for a in answers)

    threads = [threading.Thread(target=work, daemon=True) for work in (reviewer, poll_health)]
    for thread in threads:
        thread.start()
    try:
        assert wait_until(lambda: landed_since(0) >= 3, 15), answers
        for cut, lock in CUTS.items():
            with approval_waiting_on(server, lock, answers):
                started = time.monotonic()
                server.restart()
                restarts.append(Restart(cut, started, time.monotonic()))
            # The reviewer goes on; some of its approvals land again before the next step.
            wait_until(lambda: landed_since(restarts[-1].ended) >= 2, 10)
    finally:
        stop.set()
        for thread in threads:
            thread.join(40)
    answered = {answer.proposal: answer for answer in answers}

    # Every answer was a success, a 503 saying "try again", or no answer at all: no 500.
    odd = [a for a in answers if a.status not in (200, 0) and not is_retry_later(a)]
    assert not odd, odd
    assert {status for _, status in health} <= {200, 503, 0}, Counter(s for _, s in health)
    print(f"approvals: {dict(Counter(a.status for a in answers))} of {len(ids)}")
    cut_off = []
    for restart in restarts:
        # The approval held there was cut off by the restart and said "try again".
        cut = [a for a in answers if a.started < restart.started < a.ended]
        assert len(cut) == 1 and is_retry_later(cut[0]), (restart, cut)
        cut_off.append(cut[0].proposal)
        # The app answered 200 again within seconds: its health check, and the next approvals.
        healthy = min((t for t, s in health if t > restart.ended and s == 200), default=None)
        landed = min(
            (a.ended for a in answers if a.started > restart.ended and a.status == 200),
            default=None,
        )
        print(
            f"restart with an approval held {restart.cut} took "
            f"{restart.ended - restart.started:.2f} s; /healthz 200 again "
            f"{(healthy or float('nan')) - restart.ended:.2f} s and an approval landed "
            f"{(landed or float('nan')) - restart.ended:.2f} s after it"
        )
        assert healthy is not None and healthy - restart.ended < RECOVERY_SECONDS, restart
        assert landed is not None and landed - restart.ended < RECOVERY_SECONDS, restart

    # In the database: each proposal wholly applied or not at all, and as its answer said —
    # approved after a 200, still open after a 503 (a lost answer may have gone either way).
    state = {row["id"]: settled(row) for row in shell(app.env, APPROVAL_CHECK % {"ids": ids})}
    assert sorted(state) == sorted(ids)
    for proposal, status in state.items():
        answer = answered.get(proposal)
        if answer is None or answer.status == 503:
            assert status == "open", (proposal, answer)
        elif answer.status == 200:
            assert status == "approved", (proposal, answer)
    assert [state[proposal] for proposal in cut_off] == ["open"] * len(CUTS)

    # Whatever was told to try again can be approved now.
    again = [proposal for proposal, answer in answered.items() if answer.status != 200]
    retried = {proposal: approve(app, token, proposal) for proposal in again}
    for proposal, answer in retried.items():
        if answered[proposal].status == 503:
            assert answer.status == 200, answer
        else:  # no answer the first time: it may have been approved then (409 now)
            assert answer.status in (200, 409), answer
    state = {row["id"]: settled(row) for row in shell(app.env, APPROVAL_CHECK % {"ids": ids})}
    assert all(state[proposal] == "approved" for proposal in answered), state
