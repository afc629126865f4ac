"""The interface in English and Simplified Chinese: ?lang= first, then the switcher's
choice (cookie), then the browser's Accept-Language."""

import re

import pytest
from django.conf import settings

PAGES = [
    "/",
    "/skills/",
    "/skills/?q=deployment",
    "/skills/ml-deployment/",
    "/skills/ml-deployment/?role=data-scientist&level=middle",
    "/skills/ml-deployment/history/",
    "/skills/ml-deployment/history/1/",
    "/roles/",
    "/roles/data-scientist/",
    "/roles/data-scientist/compare/?from=middle&to=senior",
]


def html_lang(response):
    return re.search(r'<html lang="([^"]+)">', response.content.decode()).group(1)


@pytest.mark.django_db
class TestLanguages:
    @pytest.mark.parametrize("url", PAGES)
    def test_every_page_in_both_languages(self, client, demo_matrix, url):
        joiner = "&" if "?" in url else "?"
        english = client.get(f"{url}{joiner}lang=en")
        chinese = client.get(f"{url}{joiner}lang=zh-hans")
        assert english.status_code == chinese.status_code == 200
        assert html_lang(english) == "en" and html_lang(chinese) == "zh-hans"
        assert "Skills" in english.content.decode()
        assert "技能" in chinese.content.decode()
        assert english["Content-Language"] == "en"
        assert chinese["Content-Language"] == "zh-hans"

    def test_skill_page_interface_in_chinese(self, client, demo_matrix):
        html = client.get("/skills/ml-deployment/?lang=zh-hans").content.decode()
        for label in [
            "技能档案",
            "角色数",
            "包含此技能的角色",
            "级别数",
            "结构化成长路径",
            "必要要求",
            "其余 10 个可选",
            "最后更新",
            "如何使用",
            "各级别期望",
        ]:
            assert label in html, label
        # The content stays as written.
        assert "Understands the fundamentals of ML Deployment." in html

    def test_dates_are_formatted_for_the_locale(self, client, demo_matrix):
        chinese = client.get("/skills/ml-deployment/history/1/?lang=zh-hans").content.decode()
        english = client.get("/skills/ml-deployment/history/1/?lang=en").content.decode()
        assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", chinese)
        assert not re.search(r"\d{4}年", english)

    def test_accept_language_is_the_fallback(self, client, db):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
        assert html_lang(response) == "zh-hans"
        assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en-US")) == "en"

    def test_switcher_choice_beats_accept_language_and_query_beats_both(self, client, db):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN")) == "en"
        assert html_lang(client.get("/?lang=zh-hans", HTTP_ACCEPT_LANGUAGE="en")) == "zh-hans"

    def test_lang_parameter_is_remembered_for_the_next_pages(self, client, db):
        response = client.get("/roles/?lang=zh-hans")
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
        assert html_lang(client.get("/skills/")) == "zh-hans"

    def test_unknown_lang_is_ignored(self, client, db):
        response = client.get("/?lang=klingon", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert html_lang(response) == "en"

    def test_switcher_links_keep_the_page_and_its_query(self, client, demo_matrix):
        html = client.get("/skills/?q=deploy&lang=en").content.decode()
        assert 'href="/skills/?q=deploy&amp;lang=zh-hans"' in html

    @pytest.mark.parametrize("lang,title", [("en", "Page not found"), ("zh-hans", "页面未找到")])
    def test_404_page_in_both_languages(self, client, db, lang, title):
        response = client.get(f"/skills/missing/?lang={lang}")
        assert response.status_code == 404
        assert title in response.content.decode()
