"""Gap reports within and across roles, their 400s, the packet, and their query counts."""

import io
import json
import re

import pytest
from pypdf import PdfReader

from growth import services
from growth.selectors import Ladder, gap_report
from skills.models import Expectation, Necessity
from tests.factories import ExpectationFactory, SkillFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

CROSS = "/me/gap/?from=ds:middle&to=llm:senior"
GAP_ITEM = re.compile(r'class="gap-item[^"]*" id="gap-([a-z]+)"')  # → the skill's slug


@pytest.fixture
def marked(matrix, user):
    """The user's marks: on two of LLM Engineer · Senior, and on the same skills elsewhere."""
    services.assessment_set(
        user=user,
        expectation=matrix.exp("python", "llm", "senior"),
        mark="meets",
        note="**asyncio**",
    )
    services.assessment_set(
        user=user, expectation=matrix.exp("evals", "llm", "senior"), mark="learning"
    )
    # Marks on other cells of the same skills must not leak into the target's rows.
    services.assessment_set(
        user=user, expectation=matrix.exp("python", "ds", "middle"), mark="not_yet"
    )
    services.assessment_set(
        user=user, expectation=matrix.exp("prompts", "llm", "middle"), mark="meets"
    )
    return user


def items_by_skill(report):
    return {item.skill.slug: item for item in report.items}


def test_the_cross_role_report_lists_exactly_the_targets_expectations_with_the_right_marks(
    matrix, marked
):
    ladder = Ladder.load()
    report = gap_report(
        source=ladder.parse("ds:middle", name="from"),
        target=ladder.parse("llm:senior", name="to"),
        user=marked,
    )
    target = Expectation.objects.filter(role__slug="llm", level__slug="senior")
    assert sorted(item.expectation.pk for item in report.items) == sorted(
        target.values_list("pk", flat=True)
    )
    items = items_by_skill(report)
    assert {slug: item.mark for slug, item in items.items()} == {
        "python": "meets",
        "prompts": None,  # marked at llm:middle only
        "evals": "learning",
    }
    assert items["python"].assessment.note == "**asyncio**"
    # Compared with what Data Scientist · Middle asks of the same skill.
    assert items["python"].kind == "required"  # optional at ds:middle, required at the target
    assert items["python"].source_assessment.mark == "not_yet"
    assert items["prompts"].kind == "new" and items["prompts"].source is None
    assert (report.required_met, report.required_total, report.progress_percent) == (1, 2, 50)
    assert report.is_cross_role


def test_the_cross_role_report_page(matrix, marked, client):
    client.force_login(marked)
    response = client.get(CROSS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "From Data Scientist · Middle to LLM Engineer · Senior" in page
    assert sorted(GAP_ITEM.findall(page)) == ["evals", "prompts", "python"]
    assert "1 of 2 required met" in page
    assert "<strong>asyncio</strong>" in page
    python = page[page.index('id="gap-python"') : page.index('id="gap-prompts"')]
    assert 'class="mark-button mark-meets" aria-pressed="true"' in python
    assert response["Cache-Control"] == "private, no-store"


def test_a_report_within_one_role(matrix, marked, client):
    services.assessment_set(
        user=marked, expectation=matrix.exp("stats", "ds", "senior"), mark="meets"
    )
    client.force_login(marked)
    page = client.get("/me/gap/?from=ds:middle&to=ds:senior").content.decode()
    assert sorted(GAP_ITEM.findall(page)) == ["python", "sql", "stats"]
    assert "1 of 2 required met" in page
    assert "Deeper expectation" in page  # stats: required at both, text deeper


def test_visitors_get_the_same_report_without_marks(matrix, marked, client):
    response = client.get(CROSS)
    assert response.status_code == 200
    page = response.content.decode()
    assert sorted(GAP_ITEM.findall(page)) == ["evals", "prompts", "python"]
    assert "mark-controls" not in page
    assert "mark-badge" not in page
    assert "asyncio" not in page
    assert "Log in</a> to mark each expectation" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "The parameter “from” is missing"),
        ("?from=ds:middle", "The parameter “to” is missing"),
        ("?from=ds&to=llm:senior", "“ds” is not a role:level pair (parameter “from”)"),
        ("?from=ds:middle&to=ghost:senior", "There is no role “ghost” (parameter “to”)"),
        ("?from=ds:middle&to=llm:guru", "There is no level “guru” (parameter “to”)"),
        ("?from=ds:middle&to=llm:", "“llm:” is not a role:level pair"),
    ],
)
def test_a_bad_or_missing_parameter_is_a_400_page_with_a_message(
    matrix, user, client, query, message
):
    for logged_in in (False, True):
        if logged_in:
            client.force_login(user)
        response = client.get(f"/me/gap/{query}")
        assert response.status_code == 400
        assert message in response.content.decode()
        assert client.get(f"/me/gap/export.json{query}").status_code == 400
        assert message in client.get(f"/me/gap/export.pdf{query}").content.decode()


def test_the_400_page_offers_the_gap_from_the_current_position(matrix, user, client):
    services.position_set(user=user, role=matrix.roles["ds"], level=matrix.levels["middle"])
    client.force_login(user)
    page = client.get("/me/gap/").content.decode()
    assert '<option value="ds:middle" selected>' in page
    assert '<option value="ds:senior" selected>' in page


# --- The packet -------------------------------------------------------------------------------


def test_the_json_packet_has_every_expectation_mark_and_note(matrix, marked, client):
    client.force_login(marked)
    response = client.get(f"/me/gap/export.json?{CROSS.split('?')[1]}")
    assert response.status_code == 200
    assert 'filename="gap-ds-middle-to-llm-senior.json"' in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["progress"] == {"required_met": 1, "required_total": 2, "percent": 50}
    rows = {row["skill"]: row for row in data["expectations"]}
    assert set(rows) == {"python", "prompts", "evals"}
    assert (rows["python"]["mark"], rows["python"]["note"]) == ("meets", "**asyncio**")
    assert rows["prompts"]["mark"] is None
    assert data["person"]["username"] == marked.username


def test_the_markdown_packet(matrix, marked, client):
    client.force_login(marked)
    text = client.get(f"/me/gap/export.md?{CROSS.split('?')[1]}").content.decode()
    assert text.startswith(f"# Promotion packet: {marked}")
    assert "**1 of 2 required expectations met (50%)**" in text
    assert "### Python" in text and "- Mark: **Meets**" in text
    assert "> **asyncio**" in text


def test_the_pdf_packet_is_text_with_notes_in_the_embedded_font(matrix, marked, client):
    client.force_login(marked)
    response = client.get(f"/me/gap/export.pdf?{CROSS.split('?')[1]}&lang=zh-hans")
    assert response["Content-Type"] == "application/pdf"
    assert b"NotoSansSC" in response.content and b"/Subtype /Image" not in response.content
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.replace("\x00", "").split())
    assert "Builds async Python services." in flat
    assert "**asyncio**" in flat


def test_a_visitors_packet_has_no_marks(matrix, marked, client):
    data = json.loads(client.get(f"/me/gap/export.json?{CROSS.split('?')[1]}").content)
    assert data["with_marks"] is False and "person" not in data
    assert all("mark" not in row for row in data["expectations"])


# --- Query counts -----------------------------------------------------------------------------


def grow_target(matrix, user, n):
    """Add `n` skills with an expectation for both ends of the report, all marked with notes."""
    for _ in range(n):
        skill = SkillFactory()
        ExpectationFactory(skill=skill, role=matrix.roles["ds"], level=matrix.levels["middle"])
        exp = ExpectationFactory(
            skill=skill,
            role=matrix.roles["llm"],
            level=matrix.levels["senior"],
            necessity=Necessity.REQUIRED,
        )
        services.assessment_set(user=user, expectation=exp, mark="meets", note="Done.")


def test_gap_report_queries_are_constant_in_the_number_of_expectations(matrix, user, client):
    """Figures (SQLite and PostgreSQL alike), whether the target has 3 expectations or 103:
    the member's page 10 queries (session, user, roles, levels, target rows, source rows,
    marks; and the header's unread count and two permission reads for its review link), the
    packet 7 (no header), a visitor's page 5 (the page cache's generation, roles, levels, target
    rows, source rows)."""
    client.force_login(user)
    small = {
        "member": count_queries(client, CROSS),
        "export": count_queries(client, f"/me/gap/export.json?{CROSS.split('?')[1]}"),
    }
    client.logout()
    small["visitor"] = count_queries(client, CROSS + "&v=1")
    grow_target(matrix, user, 100)
    client.force_login(user)
    large = {
        "member": count_queries(client, CROSS),
        "export": count_queries(client, f"/me/gap/export.json?{CROSS.split('?')[1]}"),
    }
    client.logout()
    large["visitor"] = count_queries(client, CROSS + "&v=2")
    assert small == large
    assert large == {"member": 10, "export": 7, "visitor": 5}
