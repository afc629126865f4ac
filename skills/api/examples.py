"""Example payloads for the OpenAPI documentation, taken from the demo matrix."""

from drf_spectacular.utils import OpenApiExample

SITE = "https://skillmatrix.example"
API = f"{SITE}/api/v1"

DOMAIN = {
    "slug": "machine-learning-ai",
    "name": "Machine Learning & AI",
    "description": "Building, shipping and running machine-learning and generative AI systems.",
    "position": 0,
    "group_count": 4,
    "skill_count": 18,
}
GROUP = {
    "slug": "mlops",
    "name": "MLOps",
    "domain": "machine-learning-ai",
    "position": 0,
    "skill_count": 5,
}
LEVEL = {"slug": "junior", "name": "Junior", "rank": 1}
SKILL = {
    "slug": "ml-deployment",
    "name": "ML Deployment",
    "summary": "Taking trained models to production and keeping them healthy.",
    "domain": "machine-learning-ai",
    "group": "mlops",
    "version": 3,
    "updated_at": "2026-11-02T09:15:00Z",
    "role_count": 2,
    "expectation_count": 10,
    "url": f"{API}/skills/ml-deployment/",
    "html_url": f"{SITE}/skills/ml-deployment/",
}
EXPECTATION_ROW = {
    "role": "data-scientist",
    "level": "junior",
    "necessity": "optional",
    "description": "Understands the fundamentals of ML Deployment. Applies basic practices in "
    "daily work.",
    "updated_at": "2026-11-02T09:15:00Z",
}
SKILL_DETAIL = {
    "slug": "ml-deployment",
    "name": "ML Deployment",
    "summary": "Taking trained models to production and keeping them healthy.",
    "domain": {"slug": "machine-learning-ai", "name": "Machine Learning & AI"},
    "group": {"slug": "mlops", "name": "MLOps"},
    "version": 3,
    "updated_at": "2026-11-02T09:15:00Z",
    "counts": {"roles": 2, "levels": 5, "required": 4, "optional": 6},
    "expectations": [EXPECTATION_ROW],
    "html_url": f"{SITE}/skills/ml-deployment/",
    "revisions_url": f"{API}/skills/ml-deployment/revisions/",
}
ROLE = {
    "slug": "data-scientist",
    "name": "Data Scientist",
    "description": "Turns data into models and decisions.",
    "domain": "machine-learning-ai",
    "skill_count": 24,
    "expectation_count": 120,
    "required_count": 61,
    "url": f"{API}/roles/data-scientist/",
    "html_url": f"{SITE}/roles/data-scientist/",
}
ROLE_DETAIL = {
    "slug": "data-scientist",
    "name": "Data Scientist",
    "description": "Turns data into models and decisions.",
    "domain": "machine-learning-ai",
    "counts": {"skills": 24, "levels": 5, "required": 61, "expectations": 120},
    "levels": [
        {
            "slug": "junior",
            "name": "Junior",
            "rank": 1,
            "focus": "Learns the team's tools; delivers well-defined analyses.",
            "stack": ["Python", "pandas", "scikit-learn"],
        }
    ],
    "matrix": [
        {
            "slug": "mlops",
            "name": "MLOps",
            "domain": "machine-learning-ai",
            "skills": [
                {
                    "slug": "ml-deployment",
                    "name": "ML Deployment",
                    "expectations": [
                        {
                            "level": "junior",
                            "necessity": "optional",
                            "description": "Understands the fundamentals of ML Deployment.",
                        }
                    ],
                }
            ],
        }
    ],
    "matrix_page": {
        "number": 1,
        "pages": 1,
        "skills_per_page": 100,
        "next": None,
        "previous": None,
    },
    "html_url": f"{SITE}/roles/data-scientist/",
}
EXPECTATION = {
    "id": 42,
    "skill": "ml-deployment",
    "role": "data-scientist",
    "level": "junior",
    "necessity": "optional",
    "description": "Understands the fundamentals of ML Deployment.",
    "updated_at": "2026-11-02T09:15:00Z",
    "url": f"{API}/expectations/42/",
}
AUTHOR = {"username": "ada", "display_name": "Ada L.", "url": f"{SITE}/users/ada/"}
REVISION = {
    "version": 3,
    "summary": "Middle data scientists now deploy on their own.",
    "created_at": "2026-11-02T09:15:00Z",
    "author": AUTHOR,
    "approver": {"username": "grace", "display_name": "", "url": f"{SITE}/users/grace/"},
    "diff": {
        "fields": [],
        "expectations": [
            {
                "role": "data-scientist",
                "level": "middle",
                "change": "changed",
                "before": {"necessity": "optional", "description": "Deploys with help."},
                "after": {"necessity": "required", "description": "Deploys on their own."},
            }
        ],
    },
    "html_url": f"{SITE}/skills/ml-deployment/history/3/",
}
REVISION_DETAIL = {
    **REVISION,
    "snapshot": {
        "name": "ML Deployment",
        "summary": "Taking trained models to production and keeping them healthy.",
        "group": "mlops",
        "expectations": [
            {
                "role": "data-scientist",
                "level": "middle",
                "necessity": "required",
                "description": "Deploys on their own.",
            }
        ],
    },
}


def response(name: str, value) -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True, status_codes=["200"])
