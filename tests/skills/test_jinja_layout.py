"""The skill page is rendered by Jinja2 (skillmatrix/jinja2.py) with its own copy of the page
layout, templates/jinja2/layout.html: it must stay the same as templates/base.html."""

import re

import pytest

from accounts.services import notification_notify
from tests.factories import UserFactory
from tests.proposals.conftest import make_reviewer


def chrome(response) -> str:
    """The head's links, the header, the messages and the footer, without what names the
    page itself (its description, its address in the language and log-in links)."""
    html = response.content.decode()
    parts = [
        re.search(r"<!doctype html>.*?<title>", html, re.S).group(0),
        re.search(r"</title>.*?</head>", html, re.S).group(0),
        re.search(r'<header class="site-header">.*?</header>', html, re.S).group(0),
        *re.findall(r'<div class="container messages".*?</div>', html, re.S),
        re.search(r'<footer class="site-footer">.*?</footer>', html, re.S).group(0),
    ]
    text = "\n".join(parts)
    text = re.sub(r'<meta name="description" content="[^"]*">', "", text)
    text = re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]+"', r'\1""', text)
    text = re.sub(r'href="[^"?]*\?lang=', 'href="?lang=', text)
    text = re.sub(r'\?next=[^"]*"', '?next="', text)
    return re.sub(r"\s+", " ", text)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize("visitor", ["anonymous", "member", "reviewer"])
def test_the_skill_page_has_the_layout_of_every_other_page(client, demo_matrix, lang, visitor):
    if visitor != "anonymous":
        user = UserFactory(username="lena")
        if visitor == "reviewer":
            make_reviewer(user)
        notification_notify(  # the header's unread count
            event="layout-test",
            verb="commented",
            actor=None,
            recipients=[user],
            target_title="ML Deployment",
            url="/skills/ml-deployment/",
        )
        client.force_login(user)
    skill_page = client.get(f"/skills/ml-deployment/?lang={lang}")
    catalogue = client.get(f"/skills/?lang={lang}")  # Django's templates; "Skills" is current
    assert skill_page.status_code == catalogue.status_code == 200
    assert chrome(skill_page) == chrome(catalogue)
    html = skill_page.content.decode()
    assert f'<html lang="{lang}">' in html
    if visitor == "reviewer":
        assert 'class="review-link"' in html and 'class="count-badge"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_message_shows_on_the_skill_page_as_on_other_pages(client, demo_matrix, lang):
    client.force_login(UserFactory(username="lena"))
    pages = {}
    for path in ("/skills/ml-deployment/", "/skills/"):
        client.post(
            f"/accounts/profile/?lang={lang}",
            {"display_name": "Lena <b>L</b>", "bio": "", "preferred_language": ""},
        )
        pages[path] = client.get(f"{path}?lang={lang}")
    expected = "Your profile is saved." if lang == "en" else "你的个人资料已保存。"
    assert expected in pages["/skills/ml-deployment/"].content.decode()
    assert chrome(pages["/skills/ml-deployment/"]) == chrome(pages["/skills/"])
    assert "Lena &lt;b&gt;L&lt;/b&gt;" in pages["/skills/ml-deployment/"].content.decode()
