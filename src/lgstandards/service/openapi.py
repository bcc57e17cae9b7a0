"""The OpenAPI 3.1 description of the service (``GET /api/v1/openapi.json``)."""

from __future__ import annotations

from typing import Any

from lgstandards.service.reports import MEDIA_TYPES

_PROBLEM = {"$ref": "#/components/schemas/Problem"}
_PROBLEM_CONTENT = {"application/problem+json": {"schema": _PROBLEM}}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": _PROBLEM_CONTENT}


def _query(name: str, description: str, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", **schema},
    }


def _path(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


_LD = {
    "application/json": {"schema": {"type": "object"}},
    "application/ld+json": {"schema": {"type": "object"}},
    "text/turtle": {"schema": {"type": "string"}},
    "text/html": {"schema": {"type": "string"}},
}
_LD_FORMAT = _query(
    "format",
    "The format (instead of the Accept header).",
    enum=["json", "jsonld", "turtle", "html"],
)


def document() -> dict[str, Any]:
    """Return the OpenAPI document."""
    from lgstandards import __version__

    report_content = {
        media.split(";")[0]: {"schema": {"type": "object" if "json" in media else "string"}}
        for media in MEDIA_TYPES.values()
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "lgstandards validation service",
            "version": __version__,
            "description": "Validate messages of the UK local e-government standards, look up "
            "rules and controlled lists, and test the GovTalk Document Submission Protocol.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/validate": {
                "post": {
                    "operationId": "validate",
                    "summary": "Validate one document (the body) or several (multipart files).",
                    "description": "The report is the CLI's for the same bytes: JSON, SARIF, "
                    "JUnit, HTML or text, chosen by the Accept header or format. The status is "
                    "200 for any document; X-Lgstandards-Valid tells whether all are valid.",
                    "parameters": [
                        _query("kind", "Force the document kind (default: detect)."),
                        _query(
                            "as_of", "Check codes against the lists at this date.", format="date"
                        ),
                        _query("lang", "Language of messages.", enum=["en", "cy"]),
                        _query(
                            "format",
                            "Report format (instead of the Accept header).",
                            enum=sorted(MEDIA_TYPES),
                        ),
                        _query("name", "The document's name in the report (a whole-body upload)."),
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/xml": {"schema": {"type": "string"}},
                            "text/turtle": {"schema": {"type": "string"}},
                            "application/octet-stream": {
                                "schema": {"type": "string", "format": "binary"}
                            },
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "files": {
                                            "type": "array",
                                            "items": {"type": "string", "format": "binary"},
                                        },
                                        "kind": {"type": "string"},
                                        "as_of": {"type": "string", "format": "date"},
                                        "lang": {"type": "string", "enum": ["en", "cy"]},
                                    },
                                }
                            },
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The report.",
                            "headers": {
                                "X-Lgstandards-Valid": {
                                    "description": "true when every document is valid",
                                    "schema": {"type": "string", "enum": ["true", "false"]},
                                },
                                "X-Request-ID": {"$ref": "#/components/headers/RequestId"},
                            },
                            "content": report_content,
                        },
                        "400": _problem("A wrong parameter, or no document."),
                        "406": _problem("No format the Accept header allows."),
                        "413": _problem("The body is larger than the service takes."),
                        "503": _problem("The request took longer than the service's limit."),
                    },
                }
            },
            "/api/v1/kinds": {
                "get": {
                    "operationId": "kinds",
                    "summary": "The document kinds the validator knows.",
                    "responses": {
                        "200": {
                            "description": "The kinds.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "kinds": {"type": "array", "items": {"type": "string"}}
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/api/v1/rules/{id}": {
                "get": {
                    "operationId": "rule",
                    "summary": "An issue code or business rule (EPAY-R001 or rule.EPAY-R001).",
                    "parameters": [
                        _path("id", "The issue code or rule id."),
                        _query("format", "json or html", enum=["json", "html"]),
                    ],
                    "responses": {
                        "200": {
                            "description": "The rule.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Rule"}
                                },
                                "text/html": {"schema": {"type": "string"}},
                            },
                        },
                        "404": _problem("No such code."),
                    },
                }
            },
            "/api/v1/vocab/{list}": {
                "get": {
                    "operationId": "vocabulary",
                    "summary": "A controlled list: JSON, JSON-LD, Turtle or HTML.",
                    "parameters": [_path("list", "The list (lgsl, lgil ...)."), _LD_FORMAT],
                    "responses": {
                        "200": {"description": "The list.", "content": _LD},
                        "404": _problem("No such list."),
                        "406": _problem("No format the Accept header allows."),
                    },
                }
            },
            "/api/v1/vocab/{list}/{code}": {
                "get": {
                    "operationId": "concept",
                    "summary": "One concept of a list, as Linked Data or HTML.",
                    "parameters": [
                        _path("list", "The list (lgsl, lgil ...)."),
                        _path("code", "The concept's code."),
                        _LD_FORMAT,
                    ],
                    "responses": {
                        "200": {"description": "The concept.", "content": _LD},
                        "404": _problem("No such list or code."),
                        "406": _problem("No format the Accept header allows."),
                    },
                }
            },
            "/submission": {
                "post": {
                    "operationId": "submission",
                    "summary": "The GovTalk test gateway (Document Submission Protocol).",
                    "parameters": [_query("sender", "The authenticated organisation (COM-R011).")],
                    "requestBody": {
                        "required": True,
                        "content": {"application/xml": {"schema": {"type": "string"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "The gateway's GovTalk message: acknowledgement, "
                            "response or error.",
                            "content": {"application/xml": {"schema": {"type": "string"}}},
                        },
                        "413": _problem("The body is larger than the service takes."),
                    },
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "The process is alive.",
                    "responses": {"200": {"description": "Alive."}},
                }
            },
            "/readyz": {
                "get": {
                    "operationId": "ready",
                    "summary": "The service is ready to take requests.",
                    "responses": {
                        "200": {"description": "Ready."},
                        "503": {"description": "Starting or stopping."},
                    },
                }
            },
        },
        "components": {
            "headers": {
                "RequestId": {
                    "description": "The request's id (the client's X-Request-ID, if sane).",
                    "schema": {"type": "string"},
                }
            },
            "schemas": {
                "Problem": {
                    "type": "object",
                    "description": "An RFC 9457 problem document.",
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                        "request_id": {"type": ["string", "null"]},
                    },
                    "required": ["title", "status"],
                },
                "Rule": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "severity": {"type": "string", "enum": ["error", "warning", "info"]},
                        "description": {"type": "string"},
                        "description_cy": {"type": ["string", "null"]},
                        "documentation": {"type": "string", "format": "uri"},
                    },
                    "required": ["code", "severity", "description", "documentation"],
                },
            },
        },
    }


__all__ = ["document"]
