import csv
import io
import json

import pytest
from pypdf import PdfReader

from skills.models import Expectation


@pytest.mark.django_db
class TestRoleExports:
    def test_csv_has_every_expectation_in_full(self, client, demo_matrix):
        response = client.get("/roles/llm-engineer/export.csv")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert 'filename="llm-engineer-career-track.csv"' in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == ["Role", "Domain", "Group", "Skill", "Level", "Necessity", "Description"]
        expected = Expectation.objects.filter(role__slug="llm-engineer")
        assert len(rows) - 1 == expected.count()
        assert {row[6] for row in rows[1:]} == set(expected.values_list("description", flat=True))

    def test_csv_labels_in_chinese(self, client, demo_matrix):
        response = client.get("/roles/llm-engineer/export.csv?lang=zh-hans")
        header = response.content.decode("utf-8-sig").splitlines()[0]
        assert header.startswith("角色,领域")

    def test_json_has_levels_focus_and_every_text(self, client, demo_matrix):
        data = json.loads(client.get("/roles/data-scientist/export.json").content)
        assert data["role"]["slug"] == "data-scientist"
        assert [lvl["slug"] for lvl in data["levels"]] == [
            "junior",
            "middle",
            "senior",
            "lead",
            "principal",
        ]
        assert all(lvl["focus"] for lvl in data["levels"])
        texts = {e["description"] for s in data["skills"] for e in s["expectations"]}
        assert texts == set(
            Expectation.objects.filter(role__slug="data-scientist").values_list(
                "description", flat=True
            )
        )
        assert data["counts"]["expectations"] == len(texts)

    def test_pdf_is_text_not_a_picture_and_embeds_a_cjk_font(self, client, demo_matrix):
        response = client.get("/roles/llm-engineer/export.pdf?lang=zh-hans")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        body = response.content
        assert body.startswith(b"%PDF-")
        assert b"/FontFile" in body  # the font travels inside the file
        assert b"NotoSansSC" in body
        assert b"/Subtype /Image" not in body

    def test_pdf_text_is_every_expectation_in_full(self, client, demo_matrix):
        """The PDF holds text (searchable, copyable), with Chinese labels when asked."""
        response = client.get("/roles/llm-engineer/export.pdf?lang=zh-hans")
        reader = PdfReader(io.BytesIO(response.content))
        text = " ".join(page.extract_text() for page in reader.pages)
        # pypdf reads fpdf2's two-byte ToUnicode entries with NULs between the characters;
        # poppler's pdftotext reads the same file cleanly.
        flat = " ".join(text.replace("\x00", "").split())
        assert "职业路径" in flat  # "Career track"
        for description in Expectation.objects.filter(role__slug="llm-engineer").values_list(
            "description", flat=True
        )[:20]:
            assert " ".join(description.split())[:60] in flat

    def test_unknown_role_and_format(self, client, demo_matrix):
        assert client.get("/roles/ghost/export.csv").status_code == 404
        assert client.get("/roles/llm-engineer/export.xls").status_code == 404
