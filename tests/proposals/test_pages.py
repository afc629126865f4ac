"""The proposal pages through HTTP: suggest an edit, the proposal page, its review actions,
the lists, the queue, history with revert; bad input is a clear error, never a 500."""

import pytest

from accounts.models import Watch
from proposals import services
from proposals.models import Comment, Proposal, ProposalStatus
from skills.models import Revision
from tests.factories import UserFactory

from .conftest import cell

pytestmark = pytest.mark.django_db

NEW_TEXT = "Serves LLMs with continuous batching."


def form_data(client, url, **changes):
    """The propose form as the browser would post it, with `changes` applied."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def cell_index(form, role, level):
    for index, row in form.cells:
        if (row["role"], row["level"]) == (role, level):
            return index
    raise AssertionError((role, level))


@pytest.fixture
def proposal(matrix, member):
    return services.proposal_create(
        author=member,
        skill=matrix,
        base_version=1,
        changes=[cell("llm-engineer", "senior", "required", NEW_TEXT)],
        rationale="Batching is table stakes now.\nSecond line.",
    )


# --- Suggest an edit --------------------------------------------------------------------------


def test_anonymous_visitors_go_to_login_and_come_back(client, matrix):
    response = client.get("/skills/ml-deployment/propose/?role=llm-engineer&level=senior")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "propose/%3Frole%3Dllm-engineer%26level%3Dsenior" in response["Location"]


def test_the_form_holds_the_whole_matrix(client, matrix, member):
    """Every cell with its necessity and text, rows to add, the summary and the version."""
    client.force_login(member)
    response = client.get("/skills/ml-deployment/propose/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Knows what a model server is.", "Deploys a model behind an API.",
                 "Serves LLMs with batching.", "Ship models.", "Add cells"):  # fmt: skip
        assert text in html
    assert response.context["form"].initial["base_version"] == 1
    assert html.count('name="c') >= 9  # 3 cells × necessity, description, remove


def test_a_row_link_starts_from_that_row(client, matrix, member):
    """?role=&level= marks the row and focuses its text; an absent cell pre-fills a new row."""
    client.force_login(member)
    html = client.get("/skills/ml-deployment/propose/?role=llm-engineer&level=senior").content
    assert b'id="cell-llm-engineer-senior"' in html and b"cell-focus" in html
    assert b"autofocus" in html
    response = client.get("/skills/ml-deployment/propose/?role=llm-engineer&level=junior")
    assert response.context["form"]["n0-role"].value() == "llm-engineer"
    assert response.context["form"]["n0-level"].value() == "junior"


def test_unknown_row_parameters_are_a_clear_400(client, matrix, member):
    client.force_login(member)
    response = client.get("/skills/ml-deployment/propose/?role=nobody&level=senior")
    assert response.status_code == 400
    assert "There is no role “nobody”" in response.content.decode()


def test_preview_then_submit(client, matrix, member):
    """Preview shows the diff and the impact without writing; submit opens the proposal."""
    client.force_login(member)
    Watch.objects.create(user=UserFactory(), skill=matrix)
    url = "/skills/ml-deployment/propose/"
    form = client.get(url).context["form"]
    i = cell_index(form, "llm-engineer", "senior")
    j = cell_index(form, "data-scientist", "junior")
    data = form_data(
        client,
        url,
        **{
            f"c{i}-necessity": "required",
            f"c{i}-description": NEW_TEXT,
            f"c{j}-remove": "on",
            "n0-role": "data-scientist",
            "n0-level": "senior",
            "n0-necessity": "required",
            "n0-description": "Owns deployment.",
            "rationale": "Batching matters.",
            "action": "preview",
        },
    )
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Proposal.objects.exists()
    assert "Preview of your change" in html
    assert "LLM Engineer · Senior becomes required" in html
    assert "Data Scientist · Junior is removed" in html
    assert "Data Scientist · Senior is added, required" in html
    assert "required expectations 1 → 3" in html
    assert "1 watcher will be notified" in html
    assert "<ins>continuous" in html

    response = client.post(url, {**data, "action": "submit"})
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/proposals/{proposal.pk}/"
    assert proposal.base_version == 1 and proposal.author == member
    assert {(c["role"], c["level"]) for c in proposal.changes} == {
        ("llm-engineer", "senior"),
        ("data-scientist", "junior"),
        ("data-scientist", "senior"),
    }


@pytest.mark.parametrize(
    "changes, message",
    [
        ({}, "Change something first"),
        ({"c0-description": ""}, "Write the expectation, or tick"),
        ({"n0-role": "llm-engineer", "n0-description": "x"}, "Choose a level."),
        ({"n0-role": "data-scientist", "n0-level": "junior", "n0-description": "x"},
         "is already in the matrix"),
        ({"n0-role": "../../etc", "n0-level": "junior", "n0-description": "x"},
         "Select a valid choice"),
        ({"c0-necessity": "mandatory"}, "Select a valid choice"),
        ({"c0-description": "x" * 6000}, "at most 5000"),
        ({"base_version": "abc"}, "out of date"),
        ({"base_version": "99"}, "out of date"),
    ],
    ids=["nothing", "empty-text", "no-level", "existing-cell", "bad-role", "bad-necessity",
         "too-long", "bad-version", "future-version"],
)  # fmt: skip
def test_bad_input_is_a_form_error_not_a_500(client, matrix, member, changes, message):
    client.force_login(member)
    url = "/skills/ml-deployment/propose/"
    data = form_data(client, url, rationale="Why.", action="submit", **changes)
    response = client.post(url, data)
    assert response.status_code in (400, 409)
    assert message in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_form_made_on_an_older_version_proposes_against_that_version(client, matrix, member):
    """The base is the version the form showed, even if the skill moved on meanwhile."""
    client.force_login(member)
    url = "/skills/ml-deployment/propose/"
    form = client.get(url).context["form"]
    i = cell_index(form, "llm-engineer", "senior")
    data = form_data(client, url, **{f"c{i}-description": NEW_TEXT, "rationale": "R."})
    services.proposal_approve(
        proposal=services.proposal_create(
            author=UserFactory(), skill=matrix, base_version=1,
            changes=[cell("data-scientist", "junior", "required", "Other.")], rationale="x",
        ),
        by=UserFactory(is_superuser=True),
    )  # fmt: skip
    client.post(url, {**data, "action": "submit"})
    proposal = Proposal.objects.get(author=member)
    assert proposal.base_version == 1
    assert proposal.changes == [cell("llm-engineer", "senior", "optional", NEW_TEXT)]


# --- The proposal page ------------------------------------------------------------------------


def test_the_proposal_page_shows_diff_impact_and_author_tools(client, proposal, member):
    client.force_login(member)
    html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "LLM Engineer · Senior becomes required" in html
    assert "required expectations 1 → 2" in html
    assert "0 watchers will be notified" in html
    assert "<ins>continuous" in html
    assert "Edit proposal" in html and "Withdraw" in html
    assert f'action="/proposals/{proposal.pk}/approve/"' not in html


def test_reviewers_see_the_review_forms_but_not_on_their_own(client, proposal, reviewer):
    client.force_login(reviewer)
    html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert f'action="/proposals/{proposal.pk}/approve/"' in html
    assert "Duplicate of another proposal" in html  # the reasons' short list
    own = services.proposal_create(
        author=reviewer, skill=proposal.skill, base_version=1,
        changes=[cell("data-scientist", "junior", "required", "Own.")], rationale="Own.",
    )  # fmt: skip
    html = client.get(f"/proposals/{own.pk}/").content.decode()
    assert f'action="/proposals/{own.pk}/approve/"' not in html
    assert "nobody decides their own proposal" in html


def test_an_unknown_proposal_is_404(client, db):
    assert client.get("/proposals/999/").status_code == 404
    assert client.get("/proposals/abc/").status_code == 404


def test_approve_through_the_page(client, proposal, reviewer):
    """The skill page then shows the new text, its history the revision and its proposal."""
    client.force_login(reviewer)
    response = client.post(f"/proposals/{proposal.pk}/approve/")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert NEW_TEXT in client.get("/skills/ml-deployment/").content.decode()
    history = client.get("/skills/ml-deployment/history/").content.decode()
    assert f"/proposals/{proposal.pk}/" in history
    revision = client.get("/skills/ml-deployment/history/2/").content.decode()
    assert f"/proposals/{proposal.pk}/" in revision
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "/skills/ml-deployment/history/2/" in page


def test_a_conflict_shows_both_sides_with_409(client, proposal, reviewer, matrix):
    other = services.proposal_create(
        author=UserFactory(), skill=matrix, base_version=1,
        changes=[cell("llm-engineer", "senior", "optional", "Changed meanwhile.")], rationale="x",
    )  # fmt: skip
    services.proposal_approve(proposal=other, by=reviewer)
    client.force_login(reviewer)
    detail = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "approving it now would be refused" in detail
    response = client.post(f"/proposals/{proposal.pk}/approve/")
    html = response.content.decode()
    assert response.status_code == 409
    assert (
        "Changed meanwhile." in html and NEW_TEXT in html and "Serves LLMs with batching." in html
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN


def test_approving_a_decided_proposal_says_so(client, proposal, reviewer, other_reviewer):
    services.proposal_approve(proposal=proposal, by=reviewer)
    client.force_login(other_reviewer)
    response = client.post(f"/proposals/{proposal.pk}/approve/", follow=True)
    assert "already decided" in response.content.decode()
    assert Revision.objects.filter(skill=proposal.skill).count() == 2


def test_reject_with_a_reason(client, proposal, reviewer):
    client.force_login(reviewer)
    response = client.post(f"/proposals/{proposal.pk}/reject/", {"reason": "other", "note": ""})
    assert response.status_code == 400
    assert "Explain the reason" in response.content.decode()
    response = client.post(
        f"/proposals/{proposal.pk}/reject/", {"reason": "duplicate", "note": "See #1."}
    )
    assert response.status_code == 302
    html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Duplicate of another proposal" in html and "See #1." in html


def test_request_changes_then_edit_through_the_pages(client, proposal, reviewer, member):
    client.force_login(reviewer)
    client.post(f"/proposals/{proposal.pk}/request-changes/", {"message": "Name the tool."})
    proposal.refresh_from_db()
    assert proposal.changes_requested
    assert Comment.objects.get(proposal=proposal).requests_changes

    client.force_login(member)
    url = f"/proposals/{proposal.pk}/edit/"
    form = client.get(url).context["form"]
    i = cell_index(form, "llm-engineer", "senior")
    assert form[f"c{i}-description"].value() == NEW_TEXT  # starts from the proposal
    data = form_data(client, url, **{f"c{i}-description": "vLLM batching.", "action": "submit"})
    assert client.post(url, data).status_code == 302
    proposal.refresh_from_db()
    assert proposal.changes[0]["description"] == "vLLM batching."
    assert not proposal.changes_requested


@pytest.mark.parametrize("path", ["edit/", "withdraw/"])
def test_only_the_author_edits_or_withdraws_through_the_pages(client, proposal, reviewer, path):
    client.force_login(reviewer)
    assert client.get(f"/proposals/{proposal.pk}/{path}").status_code == 403
    assert client.post(f"/proposals/{proposal.pk}/{path}").status_code == 403


def test_withdraw(client, proposal, member):
    client.force_login(member)
    assert client.get(f"/proposals/{proposal.pk}/withdraw/").status_code == 200
    client.post(f"/proposals/{proposal.pk}/withdraw/")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


def test_members_cannot_decide_through_the_pages(client, proposal):
    client.force_login(UserFactory())
    for action in ("approve", "reject", "request-changes"):
        data = {"reason": "unclear", "message": "x"}
        assert client.post(f"/proposals/{proposal.pk}/{action}/", data).status_code == 403
    client.logout()
    response = client.post(f"/proposals/{proposal.pk}/approve/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN


def test_comment_on_a_proposal(client, proposal):
    client.force_login(UserFactory(username="cora"))
    response = client.post(f"/proposals/{proposal.pk}/comments/", {"body": "Looks **good**."})
    comment = Comment.objects.get(proposal=proposal)
    assert response["Location"] == f"/proposals/{proposal.pk}/#comment-{comment.pk}"
    html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "<strong>good</strong>" in html
    assert client.post(f"/proposals/{proposal.pk}/comments/", {"body": " "}).status_code == 400


# --- Lists, queue, skill page -----------------------------------------------------------------


def test_the_list_filters_by_status_skill_and_author(client, proposal, member, reviewer):
    other = services.proposal_create(
        author=reviewer, skill=proposal.skill, base_version=1,
        changes=[cell("data-scientist", "junior", "required", "Own.")], rationale="Other one",
    )  # fmt: skip
    services.proposal_withdraw(proposal=other, by=reviewer)

    def titles(query):
        response = client.get(f"/proposals/{query}")
        return response.status_code, [p.pk for p in response.context["page"].object_list]

    assert titles("") == (200, [other.pk, proposal.pk])
    assert titles("?status=open") == (200, [proposal.pk])
    assert titles("?author=rita") == (200, [other.pk])
    assert titles("?skill=ml-deployment&status=withdrawn") == (200, [other.pk])
    assert titles("?author=nobody") == (200, [])
    assert titles("?status=bogus")[0] == 400
    assert titles("?skill=no-such-skill")[0] == 400
    assert titles("?skill=%3Cscript%3E")[0] == 400


def test_the_review_queue_is_for_reviewers_oldest_first(client, proposal, member, reviewer):
    newer = services.proposal_create(
        author=member, skill=proposal.skill, base_version=1,
        changes=[cell("data-scientist", "junior", "required", "Newer.")], rationale="Newer",
    )  # fmt: skip
    assert client.get("/review/").status_code == 302
    client.force_login(member)
    assert client.get("/review/").status_code == 403
    assert b'href="/review/"' not in client.get("/proposals/").content
    client.force_login(reviewer)
    response = client.get("/review/")
    assert [p.pk for p in response.context["page"].object_list] == [proposal.pk, newer.pk]
    header = response.content.decode()
    assert 'href="/review/"' in header and '<span class="count-badge"' in header
    assert response.context["review_queue_count"] == 2


def test_the_skill_page_lists_open_proposals_even_for_cached_visitors(client, matrix, member):
    assert "No proposals yet" in client.get("/skills/ml-deployment/").content.decode()
    proposal = services.proposal_create(
        author=member, skill=matrix, base_version=1,
        changes=[cell("data-scientist", "junior", "required", "X.")], rationale="Open one",
    )  # fmt: skip
    html = client.get("/skills/ml-deployment/").content.decode()
    assert f"/proposals/{proposal.pk}/" in html and "Open one" in html
    services.proposal_withdraw(proposal=proposal, by=member)
    assert "No proposals yet" in client.get("/skills/ml-deployment/").content.decode()


def test_the_profile_lists_proposals(client, proposal):
    html = client.get("/users/mia/").content.decode()
    assert f"/proposals/{proposal.pk}/" in html


# --- History and revert -----------------------------------------------------------------------


def test_reviewers_revert_from_the_revision_page(client, proposal, reviewer, member):
    services.proposal_approve(proposal=proposal, by=reviewer)
    client.force_login(member)
    assert b"Restore version 1" not in client.get("/skills/ml-deployment/history/1/").content
    assert client.post("/skills/ml-deployment/history/1/revert/").status_code == 403
    client.force_login(reviewer)
    assert b"Restore version 1" in client.get("/skills/ml-deployment/history/1/").content
    response = client.post("/skills/ml-deployment/history/1/revert/")
    assert response["Location"] == "/skills/ml-deployment/history/3/"
    assert b"Serves LLMs with batching." in client.get("/skills/ml-deployment/").content
    response = client.post("/skills/ml-deployment/history/3/revert/", follow=True)
    assert "leaves the skill as it is" in response.content.decode()
    response = client.post("/skills/ml-deployment/history/42/revert/", follow=True)
    assert "This skill has no version 42." in response.content.decode()
    assert Revision.objects.filter(skill=proposal.skill).count() == 3


def test_the_proposal_pages_speak_chinese(client, proposal, reviewer):
    """Every string of the workflow is translated: the impact, the review forms, the queue."""
    client.force_login(reviewer)
    html = client.get(f"/proposals/{proposal.pk}/?lang=zh-hans").content.decode()
    assert "LLM Engineer · Senior 变为必需" in html
    assert "必需期望 1 → 2" in html
    assert "批准" in html and "要求修改" in html and "与其他修改建议重复" in html
    assert "审核队列" in client.get("/review/?lang=zh-hans").content.decode()
