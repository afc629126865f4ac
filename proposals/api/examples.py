"""Example payloads of the proposals and comments endpoints, for the OpenAPI documentation."""

from drf_spectacular.utils import OpenApiExample

SITE = "https://skillmatrix.example"

CHANGE = {
    "role": "llm-engineer",
    "level": "senior",
    "necessity": "required",
    "description": "Serves LLMs with continuous batching.",
}
REMOVAL = {"role": "data-scientist", "level": "junior", "delete": True}

PROPOSAL = {
    "id": 7,
    "skill": "ml-deployment",
    "author": "mia",
    "status": "open",
    "base_version": 3,
    "changes": [REMOVAL, CHANGE],
    "summary": None,
    "rationale": "Batching is what makes LLM serving affordable.",
    "changes_requested": False,
    "created_at": "2026-11-02T09:15:00Z",
    "updated_at": "2026-11-02T09:15:00Z",
    "decided_at": None,
    "decided_by": None,
    "rejection_reason": "",
    "rejection_note": "",
    "revision": None,
    "html_url": f"{SITE}/proposals/7/",
}
APPROVED = {
    **PROPOSAL,
    "status": "approved",
    "decided_at": "2026-11-03T10:00:00Z",
    "decided_by": "rita",
    "revision": 4,
}
REJECTED = {
    **PROPOSAL,
    "status": "rejected",
    "decided_at": "2026-11-03T10:00:00Z",
    "decided_by": "rita",
    "rejection_reason": "inaccurate",
    "rejection_note": "Batching is not specific to LLMs.",
}
WITHDRAWN = {**PROPOSAL, "status": "withdrawn", "decided_at": "2026-11-03T10:00:00Z"}

CREATE_REQUEST = {
    "skill": "ml-deployment",
    "base_version": 3,
    "rationale": "Batching is what makes LLM serving affordable.",
    "changes": [CHANGE, REMOVAL],
}
EDIT_REQUEST = {"rationale": "Batching, with a source: vLLM's paper.", "changes": [CHANGE]}

COMMENT = {
    "id": 12,
    "skill": "ml-deployment",
    "proposal": None,
    "author": "cora",
    "body": "Do we expect *juniors* to know this?",
    "body_html": "<p>Do we expect <em>juniors</em> to know this?</p>",
    "requests_changes": False,
    "created_at": "2026-11-02T09:15:00Z",
    "edited_at": None,
    "deleted": False,
}
PROPOSAL_COMMENT = {
    **COMMENT,
    "id": 13,
    "skill": None,
    "proposal": 7,
    "body": "Nice *work*.",
    "body_html": "<p>Nice <em>work</em>.</p>",
}
CHANGES_REQUESTED = {
    **PROPOSAL_COMMENT,
    "id": 14,
    "author": "rita",
    "body": "Cite a source, please.",
    "body_html": "<p>Cite a source, please.</p>",
    "requests_changes": True,
}
EDITED_COMMENT = {
    **COMMENT,
    "body": "Do we expect *middles* to know this?",
    "body_html": "<p>Do we expect <em>middles</em> to know this?</p>",
    "edited_at": "2026-11-02T09:20:00Z",
}

CONFLICT = {
    "status": 409,
    "code": "conflict",
    "detail": "The skill changed since the proposal's base version, in cells it touches.",
    "errors": [
        {
            "field": None,
            "code": "conflict",
            "message": "The skill changed since the proposal's base version, in cells it touches.",
        }
    ],
    "conflict": {
        "base_version": 3,
        "current_version": 4,
        "cells": [
            {
                "role": "llm-engineer",
                "level": "senior",
                "base": {"necessity": "optional", "description": "Serves LLMs with batching."},
                "theirs": {"necessity": "optional", "description": "Serves LLMs on GPUs."},
                "yours": {"necessity": "required", "description": CHANGE["description"]},
            }
        ],
        "summary": None,
    },
}
ALREADY_DECIDED = {
    "status": 409,
    "code": "already_decided",
    "detail": "status: This proposal was already decided: it is approved.",
    "errors": [
        {
            "field": "status",
            "code": "already_decided",
            "message": "This proposal was already decided: it is approved.",
        }
    ],
    "conflict": {
        "yours": {"action": "approve"},
        "theirs": {
            "status": "approved",
            "decided_by": "rob",
            "decided_at": "2026-11-03T10:00:00Z",
        },
    },
}


def response(name: str, value, status: int = 200) -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True, status_codes=[str(status)])


def request(name: str, value) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)


def conflict(name: str, value) -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True, status_codes=["409"])
