"""Schemathesis over the OpenAPI schema, against the app served on loopback.

Generated requests (valid and invalid, every phase: examples, coverage, fuzzing, stateful)
must never get a server error, nor a response that breaks the schema (status, content type,
headers, body), and schema-violating requests must be refused.

One check is left out on purpose: `positive_data_acceptance` expects every schema-valid
request to succeed, but the contract wants a 400 naming the field for a well-formed slug
that names nothing (`?role=no-such-role`), and the set of slugs is data, not schema.
"""

import json
import subprocess
import sys

import pytest
from django.core.management import call_command

from accounts.models import Watch
from proposals.services import comment_create, proposal_comment_create, proposal_create
from skillmatrix.api.services import api_token_create
from skills.models import Skill
from tests.conftest import DEMO_FILES
from tests.factories import UserFactory
from tests.proposals.conftest import make_reviewer

MAX_EXAMPLES = 15  # per operation and phase: about 1,800 cases over 33 operations, ~2 minutes


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    live_server, settings, tmp_path
):
    """Hundreds of generated requests: 0 server errors, 0 responses breaking the schema."""
    call_command("import_matrix", *map(str, DEMO_FILES), verbosity=0)
    # The fuzzer is a reviewer, so that decisions are exercised too (on someone else's open
    # proposal: approved, rejected, refused as decided, asked for changes), and comments and
    # notifications have rows to show.
    fuzzer = make_reviewer(UserFactory(username="fuzzer"))
    author = UserFactory(username="author")
    skill = Skill.objects.get(slug="ml-deployment")
    row = skill.expectations.select_related("role", "level").first()
    for n in range(3):
        proposal = proposal_create(
            author=author, skill=skill, base_version=skill.version, rationale=f"Reason {n}",
            changes=[{"role": row.role.slug, "level": row.level.slug, "necessity": "required",
                      "description": f"Text {n}."}],
        )  # fmt: skip
        proposal_comment_create(author=author, proposal=proposal, body="Why *not*?")
    comment_create(author=author, skill=skill, body="A comment.")
    Watch.objects.create(user=fuzzer, skill=skill)
    comment_create(author=author, skill=skill, body="Notifies the fuzzer.")
    _token, key = api_token_create(user=fuzzer, name="schemathesis")
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "write": None},
    }
    report = tmp_path / "report.json"
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{live_server.url}/api/schema/",
        "--checks", "all",
        "--exclude-checks", "positive_data_acceptance",
        "--max-examples", str(MAX_EXAMPLES),
        "--seed", "20261128",
        "--workers", "1",
        "--generation-database", "none",
        "--header", f"Authorization: Token {key}",
        "--request-timeout", "20",
        "--no-color",
        "--report", "json", "--report-json-path", str(report),
    ]  # fmt: skip
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    summary = json.loads(report.read_text())
    cases = summary["test_cases"]
    print(f"schemathesis: {cases['generated']} cases, {cases['with_failures']} failing")
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert summary["complete"] and summary["operations"]["tested"] >= 33
    assert summary["failures"] == [] and summary["errors"] == []
    assert cases["with_failures"] == 0 and cases["errored"] == 0
    assert cases["generated"] >= 1000
