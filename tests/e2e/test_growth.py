"""The "my growth" journey in a real browser, in English and in Simplified Chinese.

A member sets their position, marks three expectations of the next level on the role page (one
click each, in place), writes an evidence note on one, opens the gap report to the next level
and downloads the promotion packet.
"""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from growth.models import Assessment, Position
from skills.models import Expectation
from tests.e2e.test_community import log_in
from tests.factories import UserFactory

TEXTS = {
    "en": {"my_growth": "My growth", "you_are": "You are Data Scientist · Middle",
           "progress": "required met", "evidence": "Evidence"},
    "zh-hans": {"my_growth": "我的成长", "you_are": "你是 Data Scientist · Middle",
                "progress": "项必要要求已达到", "evidence": "证据"},
}  # fmt: skip

NOTE = "Shipped the **churn model** to production: [design doc](https://example.com/doc)"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_set_position_mark_write_a_note_open_the_gap_and_download_the_packet(
    lang, demo_matrix, live_server, page, console_errors, csp_violations, screenshot_dir
):
    """The whole growth journey works in the browser, marks set in place without a reload."""
    t, base = TEXTS[lang], live_server.url
    user = UserFactory(username=f"grower-{lang}")
    log_in(page, base, user.username, "correct-horse-battery", lang)

    # Set the current position on /me/, reached from the header.
    page.click(f".account-nav a:has-text('{t['my_growth']}')")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == t["my_growth"]
    page.select_option("#id_role", "data-scientist")
    page.select_option("#id_level", "middle")
    page.click("form.position-form button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator(".position.is-current")).to_contain_text("Data Scientist")
    assert Position.objects.get(user=user, is_current=True).level.slug == "middle"

    # The role page starts from the position; three Senior cells are marked, one click each.
    page.goto(f"{base}/roles/data-scientist/")
    expect(page.locator(".position-banner")).to_contain_text(t["you_are"])
    senior = list(
        Expectation.objects.filter(role__slug="data-scientist", level__slug="senior")
        .select_related("skill")
        .order_by("skill__name")[:3]
    )
    page.evaluate("window.__noReload = true")
    for expectation, mark in zip(senior, ["meets", "learning", "meets"], strict=True):
        button = page.locator(f"#mark-{expectation.pk} button.mark-{mark}")
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__noReload") is True, "marks were set in place"
    marks = dict(Assessment.objects.filter(user=user).values_list("skill__slug", "mark"))
    assert marks == {
        senior[0].skill.slug: "meets",
        senior[1].skill.slug: "learning",
        senior[2].skill.slug: "meets",
    }
    page.screenshot(
        path=str(screenshot_dir / f"growth-role-page-marks-{lang}.png"), full_page=False
    )

    # A private evidence note on the first one, back to the role page afterwards.
    page.click(f"#mark-{senior[0].pk} a.mark-note")
    page.wait_for_load_state()
    page.fill("#id_note", NOTE)
    page.click("form.assessment-form button[type=submit]")
    page.wait_for_load_state()
    assert "/roles/data-scientist/" in page.url
    assert Assessment.objects.get(user=user, skill=senior[0].skill).note == NOTE

    # The gap report to the next level, from /me/.
    page.goto(f"{base}/me/")
    page.click("a.gap-next-link")
    page.wait_for_load_state()
    assert "from=data-scientist%3Amiddle" in page.url or "from=data-scientist:middle" in page.url
    assert page.locator(".gap-progress").inner_text().count(t["progress"]) == 1
    item = page.locator(f"#gap-{senior[0].skill.slug}")
    expect(item.locator(".note-body strong")).to_have_text("churn model")
    expect(item.locator(".note-label")).to_have_text(t["evidence"])
    expect(item.locator("button.mark-meets")).to_have_attribute("aria-pressed", "true")
    page.screenshot(path=str(screenshot_dir / f"growth-gap-report-{lang}.png"), full_page=True)

    # The promotion packet downloads as a PDF holding the note.
    with page.expect_download() as download_info:
        page.click("a.packet-pdf")
    download = download_info.value
    path = screenshot_dir / f"growth-packet-{lang}.pdf"
    download.save_as(str(path))
    body = path.read_bytes()
    assert body.startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    flat = " ".join(text.replace("\x00", "").split())
    assert "churn model" in flat
    assert senior[0].skill.name in flat

    page.goto(f"{base}/me/")
    page.screenshot(path=str(screenshot_dir / f"growth-me-{lang}.png"), full_page=True)
    assert csp_violations == []
    assert console_errors == []
