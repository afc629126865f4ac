"""The community journey in a real browser, in English and in Simplified Chinese.

A new user signs up, verifies their address, logs in, watches a skill and comments; another
member comments; the first user sees the unread count, opens the notification and it is read.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Notification, Watch
from proposals.models import Comment
from tests.factories import ExpectationFactory, LevelFactory, SkillFactory, UserFactory

TEXTS = {
    "en": {"watch": "Watch", "unwatch": "Unwatch", "watchers": "1 watcher", "post": "Post comment",
           "suggest_anon": "Log in to suggest edits", "no_proposals": "No proposals yet",
           "notified": "commented on", "notifications": "Notifications", "sign_up": "Sign Up"},
    "zh-hans": {"watch": "关注", "unwatch": "取消关注", "watchers": "1 人关注", "post": "发布评论",
                "suggest_anon": "登录后建议修改", "no_proposals": "暂无修改建议",
                "notified": "评论了", "notifications": "通知", "sign_up": "注册"},
}  # fmt: skip

PASSWORD = "a-long-Passphrase-42"


@pytest.fixture
def skill(db):
    skill = SkillFactory(name="ML Deployment", slug="ml-deployment")
    ExpectationFactory(skill=skill, level=LevelFactory(slug="junior", name="Junior", rank=1))
    return skill


def log_in(page, base, login, password, lang):
    page.goto(f"{base}/accounts/login/?lang={lang}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("form.auth-form button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_sign_up_watch_comment_and_read_a_notification(
    lang, skill, live_server, page, browser, console_errors, csp_violations, watch, screenshot_dir
):
    """The whole community journey works in the browser, in both languages."""
    t, base = TEXTS[lang], live_server.url
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    username = f"newbie-{lang}"

    # An anonymous visitor sees the community block, and is asked to log in to suggest edits.
    page.goto(f"{base}/skills/ml-deployment/?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    community = page.locator("#community")
    assert t["suggest_anon"] in community.inner_text()
    assert t["no_proposals"] in community.inner_text()

    # Sign up (the address is verified afterwards: verification is optional by default).
    mail.outbox.clear()
    page.goto(f"{base}/accounts/signup/?lang={lang}")
    assert page.locator("h1").inner_text().strip() == t["sign_up"]
    page.fill("input[name=email]", f"{username}@example.com")
    page.fill("input[name=username]", username)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("form.auth-form button[type=submit]")
    page.wait_for_load_state()
    assert len(mail.outbox) == 1, "one verification email"
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)

    # Verify, log out, log in again with the email address.
    page.goto(link)
    page.click("form.auth-form button[type=submit]")
    page.wait_for_load_state()
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(email=f"{username}@example.com").verified
    page.goto(f"{base}/?lang={lang}")
    page.click(".account-nav form button[type=submit]")  # log out
    page.wait_for_load_state()
    page.goto(f"{base}/accounts/logout/")
    if page.locator("form.auth-form").count():
        page.click("form.auth-form button[type=submit]")
    log_in(page, base, f"{username}@example.com", PASSWORD, lang)
    assert page.locator(".account-nav .user-name").inner_text() == username

    # Watch the skill: in place, without a reload.
    page.goto(f"{base}/skills/ml-deployment/")
    button = page.locator(".watch-form button")
    assert button.inner_text() == t["watch"]
    page.evaluate("window.__noReload = true")
    button.click()
    expect(button).to_have_text(t["unwatch"])  # updated in place
    assert button.inner_text() == t["unwatch"]
    assert page.locator(".watch-count").inner_text() == t["watchers"]
    assert page.evaluate("window.__noReload") is True, "the page did not reload"
    assert Watch.objects.filter(user__username=username, skill=skill).count() == 1

    # Comment.
    page.fill("#id_body", f"I deploy with **canaries** ({lang}).")
    page.click(f"form.comment-form button:has-text('{t['post']}')")
    page.wait_for_load_state()
    assert page.locator(".comment-body strong").last.inner_text() == "canaries"

    # Another member comments on the watched skill, in their own browser context.
    other = UserFactory(username=f"other-{lang}")
    other_context = browser.new_context()
    other_page = watch(other_context.new_page())
    log_in(other_page, base, other.username, "correct-horse-battery", lang)
    other_page.goto(f"{base}/skills/ml-deployment/")
    other_page.fill("#id_body", "Blue-green works too.")
    other_page.click("form.comment-form button[type=submit]")
    other_page.wait_for_load_state()
    other_context.close()
    assert Comment.objects.filter(skill=skill).count() == 2

    # The first user sees one unread notification in the header, and reads it.
    page.goto(f"{base}/skills/ml-deployment/")
    assert page.locator(".account-nav .count-badge").inner_text() == "1"
    page.screenshot(path=str(screenshot_dir / f"skill-page-community-{lang}.png"), full_page=True)
    page.click(".notifications-link")
    page.wait_for_load_state()
    item = page.locator(".notification.unread")
    assert item.count() == 1
    assert t["notified"] in item.inner_text()
    item.locator("button.notification-open").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"#comment-{Comment.objects.latest('pk').pk}")
    assert page.locator(".account-nav .count-badge").count() == 0
    notification = Notification.objects.get(recipient__username=username)
    assert notification.read_at is not None
    assert len(mail.outbox) == 2 and mail.outbox[1].to == [f"{username}@example.com"]

    assert dialogs == []
    assert csp_violations == []
    assert console_errors == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_xss_payloads_open_no_dialog_in_the_browser(live_server, page, console_errors):
    """Every payload, as comments and as the author's display name and bio: no dialog opens,
    no script of theirs runs (it would set window.__pwned)."""
    from proposals.services import comment_create
    from tests.xss import PAYLOADS

    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    skill = SkillFactory(slug="xss")
    author = UserFactory(username="mallory", display_name=PAYLOADS[2][:80], bio=PAYLOADS[4])
    for payload in PAYLOADS:
        comment_create(
            author=author, skill=skill, body=payload.replace("alert(1)", "window.__pwned=1")
        )
        comment_create(author=author, skill=skill, body=payload)
    urls = ["/skills/xss/", "/skills/xss/?comments=1", "/skills/xss/comments/?page=2",
            "/users/mallory/"]  # fmt: skip
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("load")
        page.wait_for_timeout(200)  # let onload/onerror/autofocus handlers fire, if any
        assert page.evaluate("window.__pwned === undefined"), url
        for link in page.locator(".comment-body a").all():
            href = (link.get_attribute("href") or "").lower()
            assert not href.strip().startswith(("javascript:", "data:", "vbscript:")), href
    assert dialogs == []
    assert not [e for e in console_errors if "Content Security Policy" not in e]
