"""Browsing the matrix in a real browser, in both languages: home, search, the skill page and
its promotion cards, a role's matrix, comparing two levels, exporting a career track.

Every page must load without a console error — Chromium reports Content-Security-Policy
violations (an inline script or style, a resource from elsewhere) there.
"""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import DEMO_FILES

TEXTS = {
    "en": {"search": "Search", "skills": "Skills", "profile": "Skill profile",
           "next": "Show the next level", "matrix": "Skill matrix",
           "download": "Download the whole career track:", "compare": "Compare levels",
           "compare_title": "Data Scientist: what changes between two levels",
           "from_to": "From Middle to Senior", "csv_header": "Role"},
    "zh-hans": {"search": "搜索", "skills": "技能", "profile": "技能档案",
                "next": "显示下一级别", "matrix": "技能矩阵",
                "download": "下载完整职业路径：", "compare": "对比级别",
                "compare_title": "Data Scientist：两个级别之间的变化",
                "from_to": "从 Middle 到 Senior", "csv_header": "角色"},
}  # fmt: skip


@pytest.fixture
def demo(db):
    call_command("import_matrix", *map(str, DEMO_FILES), verbosity=0)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_browse_search_compare_and_export(
    lang, demo, live_server, page, console_errors, csp_violations, screenshot_dir
):
    t, base = TEXTS[lang], live_server.url
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    page.goto(f"{base}/?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("form.search-large button").inner_text() == t["search"]
    page.fill("#home-q", "deployment")
    page.press("#home-q", "Enter")
    page.wait_for_load_state()
    assert "/skills/?q=deployment" in page.url
    assert page.locator("h1").inner_text() == t["skills"]
    page.click("text=ML Deployment")
    page.wait_for_load_state()
    assert t["profile"] in page.text_content("main")
    assert page.locator("table.expectations tbody tr").count() == 10

    # The promotion cards: choose a role and a level, see what the next level asks.
    page.select_option("#pick-role", "data-scientist")
    page.select_option("#pick-level", "middle")
    page.click(f"text={t['next']}")
    page.wait_for_load_state()
    assert "role=data-scientist" in page.url and "level=middle" in page.url
    cards = page.locator(".promotion-cards")
    assert "Designs ML serving infrastructure" in cards.inner_text()
    page.screenshot(path=screenshot_dir / f"browse-skill-{lang}.png", full_page=True)

    # A row opens to its details.
    row = page.locator("#exp-llm-engineer-senior details")
    row.locator("summary").click()
    assert row.get_attribute("open") is not None

    # The role page: its matrix, and a cell opens its expectation.
    page.goto(f"{base}/roles/data-scientist/?lang={lang}")
    assert page.locator("#matrix-title").inner_text() == t["matrix"]
    cell = page.locator("table.matrix details.cell").first
    cell.locator("summary").click()
    assert cell.locator("p").inner_text().strip()
    page.screenshot(path=screenshot_dir / f"browse-role-{lang}.png", full_page=True)

    # Compare two levels.
    page.select_option("#cmp-from", "middle")
    page.select_option("#cmp-to", "senior")
    page.click(f"text={t['compare']}")
    page.wait_for_load_state()
    assert "/roles/data-scientist/compare/?from=middle&to=senior" in page.url
    assert page.locator("h1").inner_text() == t["compare_title"]
    assert page.locator(".panel h2").first.inner_text() == t["from_to"]
    assert page.locator("table.compare tbody tr").count() > 0
    page.screenshot(path=screenshot_dir / f"browse-compare-{lang}.png", full_page=True)

    # Export the career track.
    page.goto(f"{base}/roles/data-scientist/?lang={lang}")
    assert t["download"] in page.locator(".export-links").inner_text()
    with page.expect_download() as download_info:
        page.click("a[href$='export.csv']")
    path = download_info.value.path()
    rows = list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == t["csv_header"]
    assert len(rows) > 50

    assert violations == []
    assert csp_violations == []
    assert console_errors == []
