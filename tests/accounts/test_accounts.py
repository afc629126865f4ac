"""Sign-up, log-in, password reset, redirects, profiles, settings and the reviewer role."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import User
from proposals.services import comment_create
from skillmatrix import permissions
from tests.factories import SkillFactory, UserFactory

PASSWORD = "a-long-Passphrase-42"


def sign_up(client, username="ada", email="ada@example.com"):
    return client.post(
        "/accounts/signup/",
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


@pytest.mark.django_db
class TestSignUpAndLogIn:
    def test_sign_up_sends_a_verification_email_and_the_link_verifies(
        self, client, django_capture_on_commit_callbacks
    ):
        """Sign-up logs in at once (verification optional by default) and mails a link."""
        with django_capture_on_commit_callbacks(execute=True):
            response = sign_up(client)
        assert response.status_code == 302
        assert client.get("/notifications/").status_code == 200  # logged in
        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada@example.com"]
        key = re.search(r"/accounts/confirm-email/([^/\s]+)/", mail.outbox[0].body).group(1)
        client.post(f"/accounts/confirm-email/{key}/")
        assert EmailAddress.objects.get(email="ada@example.com").verified

    @override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
    def test_mandatory_verification_is_one_setting(
        self, client, django_capture_on_commit_callbacks
    ):
        """With verification mandatory, sign-up does not log in until the address is verified."""
        with django_capture_on_commit_callbacks(execute=True):
            response = sign_up(client)
        assert response["Location"] == "/accounts/confirm-email/"
        assert client.get("/notifications/").status_code == 302  # not logged in

    @pytest.mark.parametrize("login", ["ada", "ada@example.com"])
    def test_log_in_with_username_or_email(self, client, login):
        UserFactory(username="ada", email="ada@example.com")
        response = client.post(
            "/accounts/login/", {"login": login, "password": "correct-horse-battery"}
        )
        assert response.status_code == 302
        assert client.get("/watchlist/").status_code == 200

    def test_failed_logins_are_rate_limited(self, client):
        """After repeated wrong passwords for one account, even the right one is refused."""
        UserFactory(username="ada")
        for _ in range(5):
            client.post("/accounts/login/", {"login": "ada", "password": "wrong"})
        response = client.post(
            "/accounts/login/", {"login": "ada", "password": "correct-horse-battery"}
        )
        assert response.status_code in (200, 429)
        assert client.get("/watchlist/").status_code == 302  # still not logged in

    def test_password_reset_answers_alike_for_known_and_unknown_addresses(
        self, client, django_capture_on_commit_callbacks
    ):
        UserFactory(email="known@example.com")
        answers = []
        for email in ("known@example.com", "unknown@example.com"):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post("/accounts/password/reset/", {"email": email})
            answers.append((response.status_code, response["Location"]))
        assert answers[0] == answers[1] == (302, "/accounts/password/reset/done/")
        assert [m.to for m in mail.outbox] == [["known@example.com"], ["unknown@example.com"]]
        assert "/accounts/password/reset/key/" in mail.outbox[0].body
        assert "/accounts/password/reset/key/" not in mail.outbox[1].body

    @pytest.mark.parametrize(
        "target",
        ["https://evil.example/", "//evil.example/", "http://testserver.evil.example/",
         "https:evil.example", "/\\evil.example"],
    )  # fmt: skip
    def test_next_never_leaves_our_host(self, client, target):
        UserFactory(username="ada")
        response = client.post(
            f"/accounts/login/?next={target}",
            {"login": "ada", "password": "correct-horse-battery", "next": target},
        )
        assert response.status_code == 302
        assert response["Location"] == "/"

    def test_next_on_our_host_is_followed(self, client):
        UserFactory(username="ada")
        response = client.post(
            "/accounts/login/",
            {"login": "ada", "password": "correct-horse-battery", "next": "/watchlist/"},
        )
        assert response["Location"] == "/watchlist/"

    def test_login_applies_the_preferred_language(self, client):
        UserFactory(username="ada", preferred_language="zh-hans")
        response = client.post(
            "/accounts/login/", {"login": "ada", "password": "correct-horse-battery"}
        )
        assert response.cookies["django_language"].value == "zh-hans"

    @pytest.mark.parametrize(
        ("url", "lang", "title"),
        [
            ("/accounts/login/", "en", "Sign In"),
            ("/accounts/login/", "zh-hans", "登录"),
            ("/accounts/signup/", "en", "Sign Up"),
            ("/accounts/signup/", "zh-hans", "注册"),
            ("/accounts/password/reset/", "en", "Password Reset"),
            ("/accounts/password/reset/", "zh-hans", "密码重置"),
        ],
    )
    def test_allauth_pages_in_our_layout_and_both_languages(self, client, url, lang, title):
        """allauth's pages use our header and form styles, in the requested language."""
        html = client.get(f"{url}?lang={lang}").content.decode()
        assert f'<html lang="{lang}">' in html
        assert 'class="site-header"' in html and 'class="auth-form panel narrow"' in html
        assert f'<h1 class="auth-title">{title}</h1>' in " ".join(html.split()).replace(
            "> ", ">"
        ).replace(" <", "<")

    def test_logged_in_allauth_pages_render(self, client, user):
        client.force_login(user)
        for url in ("/accounts/email/", "/accounts/password/change/", "/accounts/logout/"):
            response = client.get(url)
            assert (
                response.status_code == 200 and 'class="site-header"' in response.content.decode()
            )


@pytest.mark.django_db
class TestProfiles:
    def test_public_profile_shows_join_date_comments_and_counts_but_never_the_email(self, client):
        person = UserFactory(username="grace", email="grace@secret.example", display_name="Grace")
        skill = SkillFactory(name="Compilers")
        comment_create(author=person, skill=skill, body="Nanoseconds matter.")
        html = client.get("/users/grace/").content.decode()
        assert "Grace" in html and "@grace" in html
        assert "Nanoseconds matter." in html and "Compilers" in html
        assert "secret.example" not in html
        assert person.date_joined.isoformat()[:10] in html
        assert "Comments <span" in html and "(1)" in html

    def test_unknown_or_inactive_users_are_404(self, client, db):
        UserFactory(username="gone", is_active=False)
        assert client.get("/users/nobody/").status_code == 404
        assert client.get("/users/gone/").status_code == 404

    def test_settings_change_display_name_bio_language_and_emails(self, client, user):
        client.force_login(user)
        response = client.post(
            "/accounts/profile/",
            {"display_name": "  Ada L. ", "bio": "Engines.", "preferred_language": "zh-hans"},
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert (user.display_name, user.bio, user.preferred_language) == (
            "Ada L.", "Engines.", "zh-hans"
        )  # fmt: skip
        assert user.email_notifications is False  # unticked box
        assert response.cookies["django_language"].value == "zh-hans"

    def test_settings_reject_bad_values_with_a_form_error(self, client, user):
        client.force_login(user)
        response = client.post(
            "/accounts/profile/", {"display_name": "x" * 81, "preferred_language": "klingon"}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert html.count('class="field-error"') == 2

    def test_settings_need_a_login(self, client, db):
        response = client.get("/accounts/profile/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
class TestReviewers:
    def test_the_reviewers_group_carries_the_review_permission(self):
        group = Group.objects.get(name=permissions.REVIEWERS_GROUP)
        assert [f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()] == [
            permissions.REVIEW_PERMISSION
        ]

    def test_grant_and_revoke_with_the_management_command(self, capsys):
        ada = UserFactory(username="ada")
        call_command("grant_reviewer", "ada")
        assert permissions.is_reviewer(User.objects.get(pk=ada.pk))
        call_command("grant_reviewer", "ada", "--revoke")
        assert not permissions.is_reviewer(User.objects.get(pk=ada.pk))
        assert "no longer a reviewer" in capsys.readouterr().out

    def test_unknown_usernames_are_an_error_and_nobody_is_changed(self):
        UserFactory(username="ada")
        with pytest.raises(CommandError, match="nobody"):
            call_command("grant_reviewer", "ada", "nobody")
        assert not Group.objects.get(name="Reviewers").user_set.exists()
