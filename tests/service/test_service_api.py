"""The HTTP API, through httpx against a live uvicorn process on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from lxml import etree
from rdflib import Graph, URIRef
from service_support import MAX_BODY, ROOT, Server
from testsupport import EXTERNAL

from lgstandards.cli import cli

EXAMPLES = ROOT / "examples"
SARIF_SCHEMA = EXTERNAL / "sarif" / "sarif-schema-2.1.0.json"
INVALID = b"<not-closed>"


def _example_files() -> list[Path]:
    from lgstandards.validation.batch import DOCUMENT_EXTENSIONS

    return sorted(
        p
        for p in EXAMPLES.rglob("*")
        if p.is_file() and any(p.name.endswith(s) for s in DOCUMENT_EXTENSIONS)
    )


def _cli_documents(paths: list[Path]) -> dict[str, dict[str, object]]:
    """Return the CLI's JSON report of ``paths``, document by document (by source)."""
    result = CliRunner().invoke(
        cli, ["validate", "--format", "json", *[str(p.relative_to(ROOT)) for p in paths]]
    )
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    return {d["source"]: d for d in data["documents"]}


def test_every_example_gets_the_cli_report(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    files = _example_files()
    assert len(files) > 50
    expected = _cli_documents(files)
    for path in files:
        name = str(path.relative_to(ROOT))
        response = client.post("/api/v1/validate", params={"name": name}, content=path.read_bytes())
        assert response.status_code == 200, name
        data = response.json()
        assert data["documents"] == [expected[name]], name
        valid = "true" if expected[name]["valid"] else "false"
        assert response.headers["x-lgstandards-valid"] == valid


def test_multipart_gives_one_report_of_all_files_in_order(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    files = [p for p in _example_files() if "/invalid/" in str(p)][:3] + [
        p for p in _example_files() if "/valid/" in str(p)
    ][:2]
    expected = _cli_documents(files)
    uploads = [
        ("files", (str(p.relative_to(ROOT)), p.read_bytes(), "application/xml")) for p in files
    ]
    response = client.post("/api/v1/validate", files=uploads)
    assert response.status_code == 200
    documents = response.json()["documents"]
    assert documents == [expected[str(p.relative_to(ROOT))] for p in files]


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        ("application/json", None, "application/json"),
        ("application/sarif+json", None, "application/sarif+json"),
        ("application/xml", None, "application/xml"),
        ("text/html", None, "text/html"),
        ("text/plain", None, "text/plain"),
        ("text/html;q=0.5, application/sarif+json", None, "application/sarif+json"),
        ("*/*", None, "application/json"),
        ("text/html", "junit", "application/xml"),
        (None, "sarif", "application/sarif+json"),
    ],
)
def test_report_format_by_accept_or_format(
    client: httpx.Client, accept: str | None, fmt: str | None, media: str
) -> None:
    headers = {"accept": accept} if accept else {}
    params = {"format": fmt} if fmt else {}
    response = client.post("/api/v1/validate", content=INVALID, headers=headers, params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "xml.truncated" in response.text
    if media == "application/xml":
        suite = etree.fromstring(response.content)
        assert suite.find("testsuite").get("failures") == "1"


def test_sarif_report_meets_the_sarif_schema(client: httpx.Client) -> None:
    import jsonschema

    if not SARIF_SCHEMA.is_file():
        pytest.skip("the SARIF schema of ../shared is absent")
    response = client.post("/api/v1/validate", content=INVALID, params={"format": "sarif"})
    log = response.json()
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text("utf-8")))
    assert log["runs"][0]["results"][0]["ruleId"] == "xml.truncated"


def test_welsh_report(client: httpx.Client) -> None:
    english = client.post("/api/v1/validate", content=INVALID).json()
    welsh = client.post("/api/v1/validate", content=INVALID, params={"lang": "cy"}).json()
    assert welsh["lang"] == "cy"
    sarif = client.post(
        "/api/v1/validate", content=INVALID, params={"lang": "cy", "format": "sarif"}
    ).json()
    issue = english["documents"][0]["issues"][0]
    assert sarif["runs"][0]["results"][0]["message"]["text"] == issue["message_cy"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"kind": "no.such-kind"}, 400),
        ({"as_of": "31/12/2024"}, 400),
        ({"lang": "fr"}, 400),
        ({"format": "pdf"}, 400),
    ],
)
def test_wrong_parameters_are_400_problems(
    client: httpx.Client, params: dict[str, str], status: int
) -> None:
    response = client.post("/api/v1/validate", content=INVALID, params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["request_id"] == response.headers["x-request-id"]


def test_kind_and_as_of_are_the_cli_options(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    path = next(p for p in _example_files() if p.parent.name == "valid" and "epay" in str(p))
    name = str(path.relative_to(ROOT))
    for kind in ("epay.payment-request", "ebenefits.claim"):
        result = CliRunner().invoke(
            cli, ["validate", "--format", "json", "--kind", kind, "--as-of", "2010-01-01", name]
        )
        expected = json.loads(result.stdout)["documents"]
        response = client.post(
            "/api/v1/validate",
            params={"name": name, "kind": kind, "as_of": "2010-01-01"},
            content=path.read_bytes(),
        )
        assert response.json()["documents"] == expected


def test_unacceptable_accept_is_406(client: httpx.Client) -> None:
    response = client.post("/api/v1/validate", content=INVALID, headers={"accept": "image/png"})
    assert response.status_code == 406


def test_body_larger_than_the_limit_is_413(client: httpx.Client) -> None:
    big = b"<r>" + b"x" * MAX_BODY + b"</r>"
    response = client.post("/api/v1/validate", content=big)
    assert response.status_code == 413
    chunked = client.post("/api/v1/validate", content=iter([big[:1000], big[1000:]]))
    assert chunked.status_code == 413
    assert client.get("/healthz").status_code == 200


def test_request_id_on_every_response(client: httpx.Client, server: Server) -> None:
    responses = [
        client.get("/healthz"),
        client.get("/readyz"),
        client.get("/no/such/page"),
        client.post("/api/v1/validate", content=INVALID),
        client.get("/api/v1/rules/NO-SUCH"),
        client.get("/"),
        client.get("/static/service.css"),
    ]
    ids = [r.headers["x-request-id"] for r in responses]
    assert all(ids)
    assert len(set(ids)) == len(ids)
    echoed = client.get("/healthz", headers={"x-request-id": "my-id-123"})
    assert echoed.headers["x-request-id"] == "my-id-123"
    unsafe = client.get("/healthz", headers={"x-request-id": "bad id\twith spaces"})
    assert unsafe.headers["x-request-id"] != "bad id\twith spaces"
    # The access log: one JSON line per request, with its id.
    logged = {}
    for line in server.log_lines():
        if line.startswith("{"):
            entry = json.loads(line)
            logged[entry["request_id"]] = entry
    assert logged["my-id-123"]["status"] == 200
    assert logged["my-id-123"]["path"] == "/healthz"
    assert logged[ids[2]]["status"] == 404


def test_health_and_readiness(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


def test_kinds(client: httpx.Client) -> None:
    from lgstandards.cli._complete import known_kinds

    assert client.get("/api/v1/kinds").json()["kinds"] == known_kinds()


def test_rules(client: httpx.Client) -> None:
    from lgstandards.codes import registry

    entry = registry()["rule.EPAY-R001"]
    for asked in ("EPAY-R001", "rule.EPAY-R001"):
        data = client.get(f"/api/v1/rules/{asked}").json()
        assert data["code"] == "rule.EPAY-R001"
        assert data["description"] == entry.description
        assert data["description_cy"] == entry.description_cy
        assert data["documentation"].endswith("rules.html#rule-epay-r001")
    assert client.get("/api/v1/rules/xml.truncated").json()["code"] == "xml.truncated"
    page = client.get("/api/v1/rules/EPAY-R001", headers={"accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    assert "rule.EPAY-R001" in page.text
    assert client.get("/api/v1/rules/EPAY-R999").status_code == 404


def test_vocabulary_content_negotiation(client: httpx.Client) -> None:
    from lgstandards.vocab import get_list

    lgsl = get_list("lgsl")
    record = lgsl.lookup("57")
    data = client.get("/api/v1/vocab/lgsl").json()
    assert data["count"] == len(lgsl)
    assert {"code": record.code, "label": record.label, "uri": record.uri} in data["concepts"]
    concept = client.get("/api/v1/vocab/lgsl/57").json()
    assert concept["label"] == record.label
    assert concept["uri"] == record.uri
    for media, syntax in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        response = client.get("/api/v1/vocab/lgsl/57", headers={"accept": media})
        assert response.headers["content-type"].startswith(media)
        graph = Graph().parse(data=response.text, format=syntax)
        subjects = set(graph.subjects())
        assert subjects == {URIRef(record.uri)}
    whole = client.get("/api/v1/vocab/lgil", params={"format": "turtle"})
    graph = Graph().parse(data=whole.text, format="turtle")
    assert len(set(graph.subjects())) > len(get_list("lgil"))  # the concepts and the scheme
    page = client.get("/api/v1/vocab/lgsl/57", headers={"accept": "text/html"})
    assert record.label in page.text
    assert client.get("/api/v1/vocab/nolist").status_code == 404
    assert client.get("/api/v1/vocab/lgsl/99999999").status_code == 404
    assert client.get("/api/v1/vocab/lgsl/57", headers={"accept": "image/png"}).status_code == 406


def test_openapi_document_is_valid_and_describes_every_route(client: httpx.Client) -> None:
    from openapi_spec_validator import validate
    from starlette.routing import Route

    from lgstandards.service.application import create_app

    spec = client.get("/api/v1/openapi.json").json()
    validate(spec)
    documented = {(path, method.upper()) for path, item in spec["paths"].items() for method in item}
    served = {
        (route.path, method)
        for route in create_app().routes
        if isinstance(route, Route)
        and route.path.startswith(("/api/", "/submission", "/healthz", "/readyz"))
        and route.path != "/api/v1/openapi.json"
        for method in (route.methods or ()) - {"HEAD"}
    }
    assert served == documented


def test_cors_is_off_by_default(client: httpx.Client) -> None:
    response = client.get("/api/v1/kinds", headers={"origin": "https://example.org"})
    assert "access-control-allow-origin" not in response.headers
