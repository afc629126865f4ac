"""The proposal journey in a real browser.

A member suggests an edit from a row of the skill page, previews the diff and submits; a
reviewer sees the queue count in the header, approves, and the skill page shows the new text,
its history the revision. A second test approves a proposal whose cell changed meanwhile and
gets the conflict page with both sides.
"""

import pytest
from playwright.sync_api import expect

from proposals import services
from proposals.models import Proposal, ProposalStatus
from skills.models import Revision
from tests.factories import UserFactory
from tests.proposals.conftest import build_matrix, cell, make_reviewer

PASSWORD = "correct-horse-battery"
NEW_TEXT = "Serves LLMs with continuous batching and paged attention."


@pytest.fixture
def matrix(levels):
    return build_matrix(levels)


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.auth-form button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_member_proposes_and_a_reviewer_approves(
    matrix, live_server, page, browser, console_errors, screenshot_dir
):
    """From the skill page's row link to the new text on the skill page and in its history."""
    base = live_server.url
    UserFactory(username="mia")
    reviewer = make_reviewer(UserFactory(username="rita"))

    # An anonymous visitor following a row's link is sent to log in, and comes back to it.
    page.goto(f"{base}/skills/ml-deployment/")
    row = page.locator("#exp-llm-engineer-senior")
    row.locator("summary").click()
    row.get_by_role("link", name="Suggest an edit of this row").click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url
    page.fill("input[name=login]", "mia")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.auth-form button[type=submit]")
    page.wait_for_load_state()
    assert "/skills/ml-deployment/propose/?role=llm-engineer&level=senior" in page.url

    # The chosen row is marked and focused; change its text and necessity, preview.
    focus = page.locator(".cell-focus")
    expect(focus).to_have_id("cell-llm-engineer-senior")
    expect(focus.locator("textarea")).to_be_focused()
    focus.locator("textarea").fill(NEW_TEXT)
    focus.locator("select").select_option("required")
    page.fill("textarea[name=rationale]", "Continuous batching is standard in LLM serving.")
    page.click("button[value=preview]")
    page.wait_for_load_state()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("LLM Engineer · Senior becomes required")
    expect(preview).to_contain_text("required expectations 1 → 2")
    expect(preview.locator("ins").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "proposal-preview.png"), full_page=True)
    assert not Proposal.objects.exists()

    page.click("button[value=submit]")
    page.wait_for_load_state()
    proposal = Proposal.objects.get()
    assert page.url.endswith(f"/proposals/{proposal.pk}/")
    expect(page.locator(".impact-summary")).to_contain_text("becomes required")
    page.screenshot(path=str(screenshot_dir / "proposal-page.png"), full_page=True)

    # The reviewer, in their own browser, sees the queue's count and approves.
    context = browser.new_context()
    review = context.new_page()
    log_in(review, base, reviewer.username)
    expect(review.locator(".review-link .count-badge")).to_have_text("1")
    review.click(".review-link")
    review.wait_for_load_state()
    review.click(f"a[href='/proposals/{proposal.pk}/']")
    review.wait_for_load_state()
    review.screenshot(path=str(screenshot_dir / "proposal-review.png"), full_page=True)
    review.click(".approve-form button")
    review.wait_for_load_state()
    expect(review.locator(".message-success").first).to_contain_text("version 2")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    expect(review.locator(".review-link .count-badge")).to_have_count(0)

    # Everyone sees the new text on the skill page, and the revision in its history.
    page.goto(f"{base}/skills/ml-deployment/")
    row = page.locator("#exp-llm-engineer-senior")
    expect(row).to_contain_text(NEW_TEXT)
    expect(row.locator(".badge")).to_have_class("badge badge-required")
    page.goto(f"{base}/skills/ml-deployment/history/")
    latest = page.locator(".revision-list li").first
    expect(latest).to_contain_text("Version 2")
    expect(latest).to_contain_text(f"proposal #{proposal.pk}")
    latest.get_by_role("link", name="Version 2").click()
    page.wait_for_load_state()
    expect(page.locator("table.diff")).to_contain_text("paged attention")
    page.screenshot(path=str(screenshot_dir / "proposal-history.png"), full_page=True)
    context.close()
    assert Revision.objects.filter(skill=matrix).count() == 2
    assert console_errors == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_approving_a_conflicting_proposal_shows_both_sides(
    matrix, live_server, page, console_errors, screenshot_dir
):
    """The cell changed since the proposal was made: the conflict page, the matrix untouched."""
    author, other = UserFactory(username="mia"), UserFactory(username="otto")
    reviewer = make_reviewer(UserFactory(username="rita"))

    def propose(user, text):
        return services.proposal_create(
            author=user, skill=matrix, base_version=1,
            changes=[cell("llm-engineer", "senior", "required", text)], rationale=text,
        )  # fmt: skip

    mine = propose(author, NEW_TEXT)
    services.proposal_approve(proposal=propose(other, "Serves LLMs with vLLM."), by=reviewer)

    log_in(page, live_server.url, reviewer.username)
    page.goto(f"{live_server.url}/proposals/{mine.pk}/")
    expect(page.locator(".conflict-warning")).to_contain_text("would be refused")
    page.click(".approve-form button")
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text("the skill changed meanwhile")
    table = page.locator(".conflict-table")
    expect(table.locator(".side-current")).to_contain_text("Serves LLMs with vLLM.")
    expect(table.locator(".side-proposed")).to_contain_text(NEW_TEXT)
    expect(table).to_contain_text("Serves LLMs with batching.")  # as it was when proposed
    page.screenshot(path=str(screenshot_dir / "proposal-conflict.png"), full_page=True)
    mine.refresh_from_db()
    assert mine.status == ProposalStatus.OPEN
    assert Revision.objects.filter(skill=matrix).count() == 2
    assert console_errors == [] or all("409" in e for e in console_errors)
