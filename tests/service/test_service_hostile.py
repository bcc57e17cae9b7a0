"""The hostile-input catalogue, uploaded to the live service: clean reports or 4xx, no crash.

Each hostile document gets the report ``validate()`` gives it (the safe parser, the same
code), through the API and the page; malformed requests (broken multipart, too many
files, unreadable form fields) get a 4xx problem. Meanwhile another client keeps asking
``/healthz`` and is answered every time; the server never fetches anything.
"""

from __future__ import annotations

import http.server
import importlib.util
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from urllib.parse import quote

import httpx
import pytest
from service_support import ROOT, Server

from lgstandards import validate

SECRET = "TOP-SECRET-do-not-leak-9c2e"


def _catalogue() -> ModuleType:
    path = ROOT / "tests" / "validation" / "hostile_cases.py"
    spec = importlib.util.spec_from_file_location("service_hostile_cases", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 - shared by the handler instances

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(f"<!ENTITY leak '{SECRET}'>".encode())

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def listener() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.hits = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def hostile(
    listener: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[bytes, str]]:
    secret = tmp_path_factory.mktemp("secret") / "secret.txt"
    secret.write_text(SECRET, "utf-8")
    found: dict[str, tuple[bytes, str]] = _catalogue().cases(str(secret), listener)
    return found


class Watcher:
    """Asks /healthz in a loop while the hostile uploads run; records every answer.

    Entering waits for the first answer, so that the uploads run while it asks (on a
    busy machine the thread may otherwise start asking only after they are done).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.answers: list[tuple[int, float]] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._asking = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as session:
            while not self._stop.is_set():
                start = time.perf_counter()
                try:
                    status = session.get("/healthz").status_code
                except httpx.HTTPError as exc:
                    self.failures.append(repr(exc))
                    self._asking.set()
                    continue
                self.answers.append((status, time.perf_counter() - start))
                self._asking.set()
                time.sleep(0.02)

    def __enter__(self) -> Watcher:
        self._thread.start()
        self._asking.wait(timeout=60)
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


def test_hostile_catalogue_through_the_api_and_the_page(
    client: httpx.Client, server: Server, hostile: dict[str, tuple[bytes, str]]
) -> None:
    with Watcher(server.url) as watcher:
        for name, (document, code) in hostile.items():
            response = client.post("/api/v1/validate", params={"name": name}, content=document)
            assert response.status_code == 200, name
            data = response.json()
            expected = validate(document)
            issues = data["documents"][0]["issues"]
            assert [i["code"] for i in issues] == expected.codes(), name
            assert code in [i["code"] for i in issues], name
            assert SECRET not in response.text
        uploads = [("files", (f"{n}.xml", d, "application/xml")) for n, (d, _) in hostile.items()]
        every = client.post("/api/v1/validate", files=uploads)
        assert every.status_code == 200
        assert every.json()["summary"]["documents"] == len(hostile)
        page = client.post("/", files=uploads[:10])
        assert page.status_code == 200
        assert SECRET not in page.text
    assert watcher.failures == []
    assert watcher.answers
    assert {status for status, _ in watcher.answers} == {200}
    assert _Recorder.hits == []
    assert server.process.poll() is None


@pytest.mark.parametrize(
    ("headers", "body", "path"),
    [
        (
            {"content-type": "multipart/form-data; boundary=xyz"},
            b"--xyz\r\ngarbage",
            "/api/v1/validate",
        ),
        ({"content-type": "multipart/form-data"}, b"no boundary at all", "/api/v1/validate"),
        (
            {"content-type": "multipart/form-data; boundary=b"},
            b"--b\r\nContent-Disposition: form-data; name=carried\r\n\r\nnot json\r\n--b--\r\n",
            "/",
        ),
        ({"content-type": "application/xml"}, b"", "/submission"),
    ],
)
def test_malformed_requests_get_4xx_or_reports(
    client: httpx.Client, server: Server, headers: dict[str, str], body: bytes, path: str
) -> None:
    response = client.post(path, content=body, headers=headers)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
    assert client.get("/healthz").status_code == 200
    assert server.process.poll() is None


def test_too_many_files_is_400(client: httpx.Client) -> None:
    uploads = [("files", (f"f{i}.xml", b"<r/>", "application/xml")) for i in range(101)]
    response = client.post("/api/v1/validate", files=uploads)
    assert response.status_code == 400


def test_time_limit_answers_503(tmp_path: Path) -> None:
    """A request past the time limit is answered 503 at once (the work finishes behind)."""
    import anyio

    from lgstandards.service.core import Problem, Service
    from lgstandards.service.settings import Settings

    service = Service(Settings(timeout=0.2, concurrency=1))

    async def run() -> tuple[int, float]:
        start = time.perf_counter()
        try:
            await service.run(time.sleep, 2)
        except Problem as problem:
            return problem.status, time.perf_counter() - start
        return 200, time.perf_counter() - start

    status, took = anyio.run(run)
    assert status == 503
    assert took < 1.5


def test_concurrency_limit_bounds_the_work_in_flight() -> None:
    import anyio

    from lgstandards.service.core import Service
    from lgstandards.service.settings import Settings

    service = Service(Settings(concurrency=2))
    running = 0
    most = 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1

    async def run() -> None:
        async with anyio.create_task_group() as group:
            for _ in range(8):
                group.start_soon(service.run, work)

    anyio.run(run)
    assert most == 2


def test_work_past_the_time_limit_keeps_its_slot() -> None:
    """With one slot, a request answered 503 still holds it until its work ends."""
    import anyio

    from lgstandards.service.core import Problem, Service
    from lgstandards.service.settings import Settings

    service = Service(Settings(timeout=0.3, concurrency=1))
    ran: list[str] = []

    def slow() -> None:
        time.sleep(1.2)
        ran.append("slow")

    def quick() -> None:
        ran.append("quick")

    async def status(function: object) -> int:
        try:
            await service.run(function)  # type: ignore[arg-type]
        except Problem as problem:
            return problem.status
        return 200

    async def scenario() -> list[int]:
        first = await status(slow)  # 503 after 0.3 s; the work goes on
        second = await status(quick)  # waits for the slot, in vain: 503, and dropped
        await anyio.sleep(1.2)  # the slow work is over
        third = await status(quick)
        return [first, second, third]

    assert anyio.run(scenario) == [503, 503, 200]
    assert ran == ["slow", "quick"]


#: A value no name or date has: long, with a line break, a control character and a
#: non-ASCII letter (a forged log line if echoed as it is, a megabyte if repeated).
HOSTILE_VALUE = "ŵ-start\nforged: line\x07" + "x" * 5000 + "-end"


@pytest.mark.parametrize(
    ("method", "path", "params"),
    [
        ("POST", "/api/v1/validate", {"kind": HOSTILE_VALUE}),
        ("POST", "/api/v1/validate", {"as_of": HOSTILE_VALUE}),
        ("GET", "/api/v1/rules/{value}", {}),
        ("GET", "/api/v1/vocab/{value}", {}),
        ("GET", "/api/v1/vocab/lgsl/{value}", {}),
    ],
)
def test_problems_show_a_wrong_value_short_and_on_one_line(
    client: httpx.Client, method: str, path: str, params: dict[str, str]
) -> None:
    """A problem names the value it refuses, cut to a line: start, "…", end."""
    url = path.format(value=quote(HOSTILE_VALUE, safe=""))
    response = client.request(method, url, params=params, content=b"<r/>")
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == "application/problem+json"
    detail = response.json()["detail"]
    assert len(detail) < 300
    assert "\n" not in detail
    assert "\x07" not in detail
    assert "ŵ-start\\nforged" in detail
    assert "…" in detail
    assert detail.rstrip(")'").endswith("-end") or "-end'" in detail
