"""The proposal journey in a real browser, in English and in Simplified Chinese.

A member suggests an edit from a row of the skill page, previews the diff and submits; a
reviewer sees the queue count in the header, approves, and the skill page shows the new text,
its history the revision; the reviewer then restores the first version from the history. A
second test approves a proposal whose cell changed meanwhile and gets the conflict page with
both sides.
"""

import pytest
from playwright.sync_api import expect

from proposals import services
from proposals.models import Proposal, ProposalStatus
from skills.models import Revision
from tests.e2e.test_community import log_in
from tests.factories import UserFactory
from tests.proposals.conftest import build_matrix, cell, make_reviewer

PASSWORD = "correct-horse-battery"
OLD_TEXT = "Serves LLMs with batching."
NEW_TEXT = "Serves LLMs with continuous batching and paged attention."

TEXTS = {
    "en": {"suggest_row": "Suggest an edit of this row", "sign_in": "Sign In",
           "title": "Suggest an edit of ML Deployment", "chosen": "the row you chose",
           "preview": "Preview changes", "preview_title": "Preview of your change",
           "submit": "Submit proposal", "impact": "LLM Engineer · Senior becomes required",
           "counts": "required expectations 1 → 2", "becomes": "becomes required",
           "review": "Review", "queue": "Review queue", "approve": "Approve",
           "approved": "Approved: ML Deployment is now at version 2.",
           "history": "History of ML Deployment", "version": "Version {}",
           "proposal": "proposal #{}", "since": "Changes since version 1",
           "restore": "Restore version 1", "restored": "Version 1 is restored, as version 3.",
           "current": "This is the current version.",
           "refused": "approving it now would be refused",
           "conflict": "Not approved: the skill changed meanwhile", "now": "Now in the matrix"},
    "zh-hans": {"suggest_row": "建议修改此行", "sign_in": "登录",
                "title": "建议修改 ML Deployment", "chosen": "你选择的行",
                "preview": "预览修改", "preview_title": "修改预览",
                "submit": "提交修改建议", "impact": "LLM Engineer · Senior 变为必需",
                "counts": "必需期望 1 → 2", "becomes": "变为必需",
                "review": "审核", "queue": "审核队列", "approve": "批准",
                "approved": "已批准：ML Deployment 现在是版本 2。",
                "history": "ML Deployment 的历史", "version": "版本 {}",
                "proposal": "修改建议 #{}", "since": "自版本 1 以来的变更",
                "restore": "恢复版本 1", "restored": "版本 1 已恢复为版本 3。",
                "current": "这是当前版本。",
                "refused": "现在批准会被拒绝",
                "conflict": "未批准：该技能在此期间已被修改", "now": "矩阵中现在的内容"},
}  # fmt: skip


@pytest.fixture
def matrix(levels):
    return build_matrix(levels)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_member_proposes_a_reviewer_approves_then_restores_the_first_version(
    lang, matrix, live_server, page, browser, console_errors, csp_violations, watch,
    screenshot_dir,
):  # fmt: skip
    """From the skill page's row link to the new text on the skill page and in its history,
    and back to the old text by restoring version 1, every step in the chosen language."""
    t, base = TEXTS[lang], live_server.url
    UserFactory(username="mia")
    reviewer = make_reviewer(UserFactory(username="rita"))

    # An anonymous visitor following a row's link is sent to log in, and comes back to it.
    page.goto(f"{base}/skills/ml-deployment/?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    row = page.locator("#exp-llm-engineer-senior")
    row.locator("summary").click()
    row.get_by_role("link", name=t["suggest_row"]).click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url
    expect(page.locator("h1")).to_have_text(t["sign_in"])
    page.fill("input[name=login]", "mia")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.auth-form button[type=submit]")
    page.wait_for_load_state()
    assert "/skills/ml-deployment/propose/?role=llm-engineer&level=senior" in page.url
    expect(page.locator("h1")).to_have_text(t["title"])

    # The chosen row is marked and focused; change its text and necessity, preview.
    focus = page.locator(".cell-focus")
    expect(focus).to_have_id("cell-llm-engineer-senior")
    expect(focus.locator(".badge-new")).to_have_text(t["chosen"])
    expect(focus.locator("textarea")).to_be_focused()
    focus.locator("textarea").fill(NEW_TEXT)
    focus.locator("select").select_option("required")
    page.fill("textarea[name=rationale]", "Continuous batching is standard in LLM serving.")
    page.get_by_role("button", name=t["preview"]).click()
    page.wait_for_load_state()
    preview = page.locator("#preview")
    expect(preview.locator("h2")).to_have_text(t["preview_title"])
    expect(preview).to_contain_text(t["impact"])
    expect(preview).to_contain_text(t["counts"])
    expect(preview.locator("ins").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"proposal-preview-{lang}.png"), full_page=True)
    assert not Proposal.objects.exists()

    page.get_by_role("button", name=t["submit"]).click()
    page.wait_for_load_state()
    proposal = Proposal.objects.get()
    assert page.url.endswith(f"/proposals/{proposal.pk}/")
    expect(page.locator(".impact-summary")).to_contain_text(t["becomes"])
    page.screenshot(path=str(screenshot_dir / f"proposal-page-{lang}.png"), full_page=True)

    # The reviewer, in their own browser, sees the queue's count and approves.
    context = browser.new_context()
    review = watch(context.new_page())
    log_in(review, base, reviewer.username, PASSWORD, lang)
    review_link = review.locator(".review-link")
    expect(review_link).to_contain_text(t["review"])
    expect(review_link.locator(".count-badge")).to_have_text("1")
    review_link.click()
    review.wait_for_load_state()
    expect(review.locator("h1")).to_have_text(t["queue"])
    review.click(f"a[href='/proposals/{proposal.pk}/']")
    review.wait_for_load_state()
    review.screenshot(path=str(screenshot_dir / f"proposal-review-{lang}.png"), full_page=True)
    review.get_by_role("button", name=t["approve"], exact=True).click()
    review.wait_for_load_state()
    expect(review.locator(".message-success").first).to_have_text(t["approved"])
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    expect(review.locator(".review-link .count-badge")).to_have_count(0)

    # Everyone sees the new text on the skill page, and the revision in its history.
    page.goto(f"{base}/skills/ml-deployment/")
    row = page.locator("#exp-llm-engineer-senior")
    expect(row).to_contain_text(NEW_TEXT)
    expect(row.locator(".badge")).to_have_class("badge badge-required")
    page.goto(f"{base}/skills/ml-deployment/history/")
    expect(page.locator("h1")).to_have_text(t["history"])
    latest = page.locator(".revision-list li").first
    expect(latest).to_contain_text(t["version"].format(2))
    expect(latest).to_contain_text(t["proposal"].format(proposal.pk))
    latest.get_by_role("link", name=t["version"].format(2)).click()
    page.wait_for_load_state()
    expect(page.locator(".panel h2")).to_have_text(t["since"])
    expect(page.locator("table.diff")).to_contain_text("paged attention")
    page.screenshot(path=str(screenshot_dir / f"proposal-history-{lang}.png"), full_page=True)

    # The reviewer restores version 1 from the history: a new version, with the old text.
    review.goto(f"{base}/skills/ml-deployment/history/")
    review.locator(".revision-list").get_by_role("link", name=t["version"].format(1)).click()
    review.wait_for_load_state()
    review.get_by_role("button", name=t["restore"]).click()
    review.wait_for_load_state()
    assert review.url.endswith("/skills/ml-deployment/history/3/")
    expect(review.locator(".message-success").first).to_have_text(t["restored"])
    expect(review.locator("main")).to_contain_text(t["current"])
    expect(review.locator("table.diff")).to_contain_text(OLD_TEXT)
    review.screenshot(path=str(screenshot_dir / f"proposal-restored-{lang}.png"), full_page=True)
    context.close()
    page.goto(f"{base}/skills/ml-deployment/")
    expect(page.locator("#exp-llm-engineer-senior")).to_contain_text(OLD_TEXT)
    assert Revision.objects.filter(skill=matrix).count() == 3
    assert csp_violations == []
    assert console_errors == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_approving_a_conflicting_proposal_shows_both_sides(
    lang, matrix, live_server, page, console_errors, csp_violations, screenshot_dir
):
    """The cell changed since the proposal was made: the conflict page, the matrix untouched."""
    t = TEXTS[lang]
    author, other = UserFactory(username="mia"), UserFactory(username="otto")
    reviewer = make_reviewer(UserFactory(username="rita"))

    def propose(user, text):
        return services.proposal_create(
            author=user, skill=matrix, base_version=1,
            changes=[cell("llm-engineer", "senior", "required", text)], rationale=text,
        )  # fmt: skip

    mine = propose(author, NEW_TEXT)
    services.proposal_approve(proposal=propose(other, "Serves LLMs with vLLM."), by=reviewer)

    log_in(page, live_server.url, reviewer.username, PASSWORD, lang)
    page.goto(f"{live_server.url}/proposals/{mine.pk}/")
    expect(page.locator(".conflict-warning")).to_contain_text(t["refused"])
    page.get_by_role("button", name=t["approve"], exact=True).click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text(t["conflict"])
    table = page.locator(".conflict-table")
    expect(table.locator("thead")).to_contain_text(t["now"])
    expect(table.locator(".side-current")).to_contain_text("Serves LLMs with vLLM.")
    expect(table.locator(".side-proposed")).to_contain_text(NEW_TEXT)
    expect(table).to_contain_text(OLD_TEXT)  # as it was when proposed
    page.screenshot(path=str(screenshot_dir / f"proposal-conflict-{lang}.png"), full_page=True)
    mine.refresh_from_db()
    assert mine.status == ProposalStatus.OPEN
    assert Revision.objects.filter(skill=matrix).count() == 2
    assert csp_violations == []
    assert console_errors == [] or all("409" in e for e in console_errors)
