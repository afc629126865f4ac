"""Example payloads for the OpenAPI documentation of /api/v1/me/…, taken from the demo matrix."""

from drf_spectacular.utils import OpenApiExample

SITE = "https://skillmatrix.example"


def response(name: str, value, status: str = "200") -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True, status_codes=[status])


ASSESSMENT = {
    "skill": "ml-deployment",
    "role": "data-scientist",
    "level": "senior",
    "mark": "meets",
    "note": "Shipped the churn model with a canary release: [design doc](https://example.com/doc)",
    "note_html": '<p>Shipped the churn model with a canary release: <a href="https://example.com/'
    'doc" rel="nofollow ugc noopener">design doc</a></p>',
    "assessed_at": "2026-11-20T10:02:00Z",
    "assessed_description": "Designs deployment strategies (canary, blue-green) for models.",
    "assessed_necessity": "required",
    "expectation": 412,
    "description": "Designs deployment strategies (canary, blue-green, shadow) for models.",
    "changed": True,
}
ASSESSMENT_PAGE = {"count": 1, "next": None, "previous": None, "results": [ASSESSMENT]}
BULK_RESULT = {"set": 2, "removed": 1}
GAP = {
    "from": {"role": "data-scientist", "role_name": "Data Scientist", "level": "middle",
             "level_name": "Middle"},
    "to": {"role": "llm-engineer", "role_name": "LLM Engineer", "level": "senior",
           "level_name": "Senior"},
    "cross_role": True,
    "with_marks": True,
    "progress": {"required_met": 3, "required_total": 8, "percent": 38},
    "counts": {"meets": 4, "learning": 2, "not_yet": 1, "unmarked": 7},
    "expectations": [
        {"skill": "prompt-engineering", "skill_name": "Prompt Engineering",
         "domain": "machine-learning-ai", "group": "llm-generative-ai", "necessity": "required",
         "description": "Designs prompt pipelines with systematic evaluation.", "kind": "new",
         "from_description": None, "mark": "learning", "note": "Built our RAG prompts.",
         "assessed_at": "2026-11-21T08:00:00Z", "changed_since_assessed": False,
         "assessed_description": None, "from_mark": None},
    ],
    "exported_at": "2026-11-28T12:00:00Z",
    "person": {"username": "olga", "name": "Olga"},
}  # fmt: skip
SHARE_LINK = {
    "id": 7,
    "label": "my manager",
    "token": "Zq3V0cXr6m0bQm9cY1d0b2tLZ2R3bHh5QkR6a3N0dQ",
    "url": f"{SITE}/share/Zq3V0cXr6m0bQm9cY1d0b2tLZ2R3bHh5QkR6a3N0dQ/",
    "created_at": "2026-11-28T12:00:00Z",
    "revoked_at": None,
    "is_active": True,
}
SHARE_LINK_PAGE = {"count": 1, "next": None, "previous": None, "results": [SHARE_LINK]}
