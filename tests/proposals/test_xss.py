"""User text never becomes live markup: ≥ 20 payloads in comments and in profile fields."""

import pytest

from proposals import markdown
from proposals.services import comment_create, comment_edit
from tests.factories import SkillFactory, UserFactory
from tests.xss import PAYLOADS, live_markup

#: Our own pages use <meta>, <body>, <form> and <input>: on whole pages those tags are allowed
#: (their attributes are still checked); inside user text no dangerous tag is.
PAGE_TAGS = {"meta", "body", "form", "input"}


def between(html, start, end):
    return "".join(part.split(end)[0] for part in html.split(start)[1:])


def test_there_are_at_least_twenty_payloads():
    assert len(PAYLOADS) >= 20


def test_the_checker_catches_live_markup():
    """The checker itself finds each kind of problem (so the tests below can fail)."""
    assert live_markup("<p onclick='x()'>") and live_markup("<a href=' javascript:x'>")
    assert live_markup("<script>x</script>") and live_markup("<svg></svg>")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_render_leaves_nothing_live(payload):
    html = markdown.render(payload)
    assert live_markup(html) == [], html


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_a_comment_is_inert_on_every_page_that_shows_it(client, payload):
    author = UserFactory(username="mallory")
    skill = SkillFactory(slug="xss")
    comment = comment_create(author=author, skill=skill, body=payload)
    comment_edit(comment=comment, by=author, body=f"{payload}\n\nedited {payload}")
    client.force_login(author)  # the author sees the edit form with the raw text too
    for url in ("/skills/xss/", "/skills/xss/comments/", "/skills/xss/comments/?fragment=1",
                "/users/mallory/", f"/comments/{comment.pk}/edit/",
                f"/comments/{comment.pk}/delete/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        bodies = between(html, 'class="comment-body">', "</div>")
        assert live_markup(html, allowed_tags=PAGE_TAGS) == [], url
        assert live_markup(bodies) == [], url


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_profile_fields_is_inert(client, payload):
    """Display name (in the header, comments, titles) and bio are escaped everywhere."""
    person = UserFactory(username="eve", display_name=payload[:80], bio=payload)
    skill = SkillFactory(slug="xss")
    comment_create(author=person, skill=skill, body="hello")
    client.force_login(person)
    for url in ("/users/eve/", "/skills/xss/", "/accounts/profile/"):
        html = client.get(url).content.decode()
        assert live_markup(html, allowed_tags=PAGE_TAGS) == [], url
        user_text = between(html, "<h1>", "</h1>") + between(html, 'class="bio">', "</div>")
        user_text += between(html, 'class="comment-author" href="/users/eve/">', "</a>")
        assert live_markup(user_text) == [], url
        if "<" in payload:
            assert payload[:80] not in html  # it is there, but only escaped
