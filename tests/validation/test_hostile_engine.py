"""Hostile input beyond the first catalogue: the engine's promise holds.

Never a traceback; time and memory bounded by the input; no file a document names is
ever read. Streaming refuses exactly what whole-document mode refuses, in every
encoding the XML specification allows.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests_validate_support import TEST_NS, TEST_PROFILE, batch_xml
from testsupport.streams import Trickle

from lgstandards.codes import registry
from lgstandards.safexml import (
    Limits,
    XMLInputError,
    check_prolog,
    make_parser,
    open_checked,
    pull_parser,
    read_bytes,
)
from lgstandards.validation import validate
from lgstandards.validation.vocabcheck import check_code, lookup_for

HERE = Path(__file__).parent

# --- every encoding --------------------------------------------------------------------


def _swap(data: bytes, order: tuple[int, int, int, int]) -> bytes:
    """Reorder the bytes of each UCS-4 unit written big-endian (1234) into ``order``."""
    return b"".join(bytes(data[i + j - 1] for j in order) for i in range(0, len(data), 4))


#: name -> (declared encoding, encoder of the whole text)
ENCODINGS: dict[str, tuple[str, Callable[[str], bytes]]] = {
    "utf-8": ("UTF-8", lambda t: t.encode("utf-8")),
    "utf-8-bom": ("UTF-8", lambda t: t.encode("utf-8-sig")),
    "utf-16-le": ("UTF-16", lambda t: t.encode("utf-16-le")),
    "utf-16-be": ("UTF-16", lambda t: t.encode("utf-16-be")),
    "utf-16-le-bom": ("UTF-16", lambda t: b"\xff\xfe" + t.encode("utf-16-le")),
    "utf-16-be-bom": ("UTF-16", lambda t: b"\xfe\xff" + t.encode("utf-16-be")),
    "utf-32-le": ("UTF-32", lambda t: t.encode("utf-32-le")),
    "utf-32-be": ("UTF-32", lambda t: t.encode("utf-32-be")),
    "utf-32-le-bom": ("UTF-32", lambda t: b"\xff\xfe\x00\x00" + t.encode("utf-32-le")),
    "utf-32-be-bom": ("UTF-32", lambda t: b"\x00\x00\xfe\xff" + t.encode("utf-32-be")),
    "ebcdic": ("IBM037", lambda t: t.encode("cp037")),
    "latin-1": ("ISO-8859-1", lambda t: t.encode("latin-1")),
}
#: UCS-4 in the unusual byte orders: refused, in both modes, whatever the content.
UNUSUAL: dict[str, Callable[[str], bytes]] = {
    "ucs-4-2143": lambda t: _swap(t.encode("utf-32-be"), (2, 1, 4, 3)),
    "ucs-4-3412": lambda t: _swap(t.encode("utf-32-be"), (3, 4, 1, 2)),
    "ucs-4-2143-bom": lambda t: _swap(("\ufeff" + t).encode("utf-32-be"), (2, 1, 4, 3)),
    "ucs-4-3412-bom": lambda t: _swap(("\ufeff" + t).encode("utf-32-be"), (3, 4, 1, 2)),
}


def hostile(target: str) -> dict[str, tuple[str, str]]:
    """Return name -> (batch text with a DTD, the code it is refused with)."""
    batch = batch_xml(3).decode().partition("?>")[2]
    root = batch.index("<tb:TestBatch")
    cases = {
        "internal-dtd": (
            "<!DOCTYPE tb:TestBatch [<!ELEMENT tb:TestBatch ANY>]>",
            "xml.dtd-forbidden",
        ),
        "entity": ('<!DOCTYPE tb:TestBatch [<!ENTITY e "boom">]>', "xml.entity-forbidden"),
        "external-dtd": (
            f'<!DOCTYPE tb:TestBatch SYSTEM "{target}">',
            "xml.external-dtd-forbidden",
        ),
        "external-entity": (
            f'<!DOCTYPE tb:TestBatch [<!ENTITY e SYSTEM "{target}">]>',
            "xml.external-entity-forbidden",
        ),
        "public-dtd": (
            f'<!DOCTYPE tb:TestBatch PUBLIC "-//fake//x" "{target}">',
            "xml.external-dtd-forbidden",
        ),
    }
    found = {}
    for name, (doctype, code) in cases.items():
        body = batch[:root] + doctype + "\n" + batch[root:]
        if "ENTITY" in doctype:
            body = body.replace("REF000002", "&e;")
        found[name] = (body, code)
    return found


RUNNER = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from tests_validate_support import TEST_PROFILE
from lgstandards.validation import validate
out = {}
for name, path in json.loads(sys.argv[2]).items():
    data = open(path, "rb").read()
    out[name] = [
        validate(data, streaming=s, kind="test.batch", profile=TEST_PROFILE).codes()
        for s in (False, True)
    ]
print(json.dumps(out))
"""


def run_isolated(documents: dict[str, bytes], tmp_path: Path) -> dict[str, list[list[str]]]:
    """Validate each document whole and streamed in a child process (a hang fails, not hangs)."""
    paths = {}
    for name, data in documents.items():
        path = tmp_path / f"{name}.xml"
        path.write_bytes(data)
        paths[name] = str(path)
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(HERE), json.dumps(paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found: dict[str, list[list[str]]] = json.loads(result.stdout)
    return found


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    """A FIFO no one writes to: opening it for reading would block for ever."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path = tmp_path / "named.dtd"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_dtds_are_refused_alike_whole_and_streaming_in_every_encoding(
    encoding: str, fifo: Path, tmp_path: Path
) -> None:
    declared, encode = ENCODINGS[encoding]
    declaration = f'<?xml version="1.0" encoding="{declared}"?>\n'
    documents = {name: encode(declaration + body) for name, (body, _) in hostile(str(fifo)).items()}
    clean = declaration + batch_xml(3).decode().partition("?>")[2]
    documents["clean"] = encode(clean)
    found = run_isolated(documents, tmp_path)  # the FIFO named in the DTDs is never opened
    for name, (_, code) in hostile(str(fifo)).items():
        assert found[name] == [[code], [code]], (encoding, name, found[name])
    whole, streamed = found["clean"]
    assert whole == streamed
    if encoding != "ebcdic":  # libxml2 here reads no EBCDIC: refused alike
        assert whole == [], whole


@pytest.mark.parametrize("order", sorted(UNUSUAL))
def test_ucs4_in_unusual_byte_orders_is_refused(order: str, fifo: Path, tmp_path: Path) -> None:
    encode = UNUSUAL[order]
    declaration = '<?xml version="1.0" encoding="UCS-4"?>\n'
    documents = {n: encode(declaration + b) for n, (b, _) in hostile(str(fifo)).items()}
    documents["clean"] = encode(declaration + batch_xml(3).decode().partition("?>")[2])
    for codes in run_isolated(documents, tmp_path).values():
        assert codes == [["xml.encoding"], ["xml.encoding"]]


def test_a_dtd_spelled_in_utf7_is_refused(fifo: Path, tmp_path: Path) -> None:
    # "+ACE-" is "!" in UTF-7: a scan of the raw bytes sees no DTD, the parser does
    batch = batch_xml(3).decode().partition("?>")[2]
    root = batch.index("<tb:TestBatch")
    documents = {
        "entity": (
            '<?xml version="1.0" encoding="UTF-7"?>\n<+ACE-DOCTYPE tb:TestBatch '
            "+AFs-<+ACE-ENTITY e +ACI-boom+ACI->+AF0->\n" + batch[root:]
        ).encode("ascii"),
        "external": (
            f'<?xml version="1.0" encoding="UTF-7"?>\n<+ACE-DOCTYPE tb:TestBatch SYSTEM '
            f"+ACI-{fifo}+ACI->\n" + batch[root:]
        ).encode("ascii"),
    }
    found = run_isolated(documents, tmp_path)
    assert found["entity"] == [["xml.entity-forbidden"]] * 2
    assert found["external"] == [["xml.external-dtd-forbidden"]] * 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-32-le", "utf-32-be"])
def test_the_parsers_never_open_a_named_file_even_past_the_scan(
    encoding: str, fifo: Path, tmp_path: Path
) -> None:
    """The second wall: a parser given a DTD (the scan skipped) opens nothing."""
    text = f'<?xml version="1.0" encoding="UTF-{encoding[4:6]}"?>' if encoding != "utf-8" else ""
    text += f'<!DOCTYPE r SYSTEM "{fifo}"><r>x</r>'
    path = tmp_path / "doc.xml"
    path.write_bytes(text.encode(encoding))
    script = (
        "import sys\n"
        "from lxml import etree\n"
        "from lgstandards.safexml import make_parser, pull_parser\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "root = etree.fromstring(data, make_parser())\n"
        "parser = pull_parser(head=data[:16])\n"
        "parser.feed(data)\n"
        "parser.close()\n"
        "print(root.getroottree().docinfo.system_url)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert str(fifo) in result.stdout
    assert make_parser().resolvers is not None
    assert pull_parser().resolvers is not None


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(sorted(ENCODINGS)),
    st.lists(
        st.sampled_from(
            ["<!DOCTYPE r>", "<!DOCTYPE r [<!ENTITY e 'x'>]>", "<!-- c -->", "<?pi x?>", " ", "\n"]
        ),
        max_size=4,
    ).map("".join),
    st.sampled_from(["<r/>", "<r>&e;</r>", "<r><a/></r>", ""]),
)
def test_the_prolog_scan_decides_alike_in_any_encoding(
    encoding: str, prolog: str, body: str
) -> None:
    declared, encode = ENCODINGS[encoding]
    text = f'<?xml version="1.0" encoding="{declared}"?>' + prolog + body
    outcomes = set()
    for chunked in (False, True):
        data = encode(text)
        try:
            if chunked:
                open_checked(io.BufferedReader(io.BytesIO(data)))  # type: ignore[arg-type]
            else:
                check_prolog(data)
            outcomes.add(None)
        except XMLInputError as exc:
            outcomes.add(exc.code)
    assert len(outcomes) == 1
    outcome = outcomes.pop()
    if "DOCTYPE" in prolog:
        assert outcome in {"xml.dtd-forbidden", "xml.entity-forbidden"}
    assert outcome is None or outcome in registry()


# --- codes written oddly ---------------------------------------------------------------

ODD_CODES = ["²", "٣", "١٢", "9" * 5000, "--5", "5" * 30, "+0057", "-0", " 57 ", "5\u00a0"]


@pytest.mark.parametrize("value", ODD_CODES, ids=lambda v: f"{v[:6]!r}x{len(v)}")
@pytest.mark.parametrize("list_name", ["lgsl", "lgil"])
def test_odd_code_values_never_raise(value: str, list_name: str) -> None:
    issues = list(check_code(value, list_name, lookup=lookup_for(list_name)))
    assert all(i.code in registry() for i in issues)
    assert all(len(i.message) < 200 for i in issues)  # 5,000 digits are not repeated


@pytest.mark.parametrize(
    "value", ["²", "٣", "9" * 5000, "--5"], ids=["sup", "arabic", "long", "dash"]
)
@pytest.mark.parametrize("streaming", [False, True])
def test_odd_codes_in_documents_give_issues(value: str, streaming: bool) -> None:
    data = batch_xml(5).replace(
        b"<tb:Service>57</tb:Service>", f"<tb:Service>{value}</tb:Service>".encode(), 1
    )
    report = validate(data, streaming=streaming)
    located = [i for i in report if i.path and i.path.endswith("Record[1]/tb:Service")]
    assert located, report.codes()
    assert {i.code for i in located} <= {"xsd.type", "vocab.unknown-code"}
    vocab_only = validate(data, streaming=streaming, checks=["vocab"])
    assert all(i.code in registry() for i in vocab_only)


# --- reads are bounded ----------------------------------------------------------------


class Endless(io.RawIOBase):
    """A stream that never ends (``/dev/zero`` as a stream); counts what is read."""

    def __init__(self, byte: bytes = b"\x00") -> None:
        self.byte = byte
        self.read_so_far = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        count = min(len(buffer), 64 * 1024)
        buffer[:count] = self.byte * count
        self.read_so_far += count
        return count


@pytest.mark.parametrize("byte", [b"\x00", b" ", b"<"])
def test_an_endless_stream_stops_at_max_bytes(byte: bytes) -> None:
    endless = Endless(byte)
    limits = Limits(max_bytes=3_000_000)
    with pytest.raises(XMLInputError) as info:
        read_bytes(endless, limits=limits)  # type: ignore[arg-type]
    assert info.value.code == "xml.too-large"
    assert endless.read_so_far <= limits.max_bytes + 64 * 1024
    endless = Endless(byte)
    report = validate(io.BufferedReader(endless), limits=limits)
    assert report.codes() == ["xml.too-large"]
    assert endless.read_so_far <= limits.max_bytes + 2 * 1024 * 1024


def test_short_reads_are_read_on() -> None:
    data = batch_xml(20)
    assert read_bytes(Trickle(data)) == data  # type: ignore[arg-type]
    assert validate(Trickle(data), kind="test.batch").ok  # type: ignore[arg-type]


def _quickly(call: Callable[[], object], seconds: float = 20) -> object:
    """Run ``call`` in a thread; fail (not hang) when it does not return in time."""
    result: list[object] = []
    failed: list[BaseException] = []

    def target() -> None:
        try:
            result.append(call())
        except BaseException as exc:  # re-raised in the test's thread
            failed.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked"
    if failed:
        raise failed[0]
    return result[0]


def test_non_regular_paths_are_refused_without_blocking(fifo: Path, tmp_path: Path) -> None:
    paths = [str(fifo), str(tmp_path)]
    if Path("/dev/zero").exists():
        paths.append("/dev/zero")
    for path in paths:
        for streaming in (None, True, False):
            report = _quickly(lambda p=path, s=streaming: validate(p, streaming=s))
            assert report.codes() == ["io.unreadable"], (path, streaming)  # type: ignore[attr-defined]
        with pytest.raises(XMLInputError) as info:
            _quickly(lambda p=path: read_bytes(p))
        assert info.value.code == "io.unreadable"
        with pytest.raises(XMLInputError):
            _quickly(lambda p=path: open_checked(p))


def test_a_fifo_given_as_a_stream_is_read(fifo: Path) -> None:
    data = batch_xml(10)

    def write() -> None:
        with open(fifo, "wb") as out:
            out.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    with open(fifo, "rb") as stream:
        report = _quickly(lambda: validate(stream, kind="test.batch", profile=TEST_PROFILE))
    writer.join(10)
    assert report.ok  # type: ignore[attr-defined]


# --- small inputs, long runs: the issue cap -------------------------------------------


def many_attributes(count: int) -> bytes:
    attributes = " ".join(f'a{i}="x"' for i in range(count))
    return (
        f'<tb:TestMessage xmlns:tb="{TEST_NS}" SchemaVersion="1.0" {attributes}>'
        "<tb:Service>57</tb:Service></tb:TestMessage>"
    ).encode()


def test_100000_attributes_on_one_element_are_fast_and_capped() -> None:
    data = many_attributes(100_000)
    assert len(data) > 1_000_000
    start = time.perf_counter()
    report = validate(data)
    elapsed = time.perf_counter() - start
    cap = Limits().max_issues
    assert len(report) == cap + 1
    last = report.issues[-1]
    assert last.code == "report.truncated"
    assert str(100_000 - cap) in last.message
    assert last.severity.value == "error"
    assert not report.ok
    assert last.message_cy
    assert elapsed < 20, elapsed  # a loose net: about a second on a laptop


@pytest.mark.parametrize("streaming", [False, True])
@pytest.mark.parametrize("cap", [0, 1, 7])
def test_the_cap_is_a_limit_and_keeps_the_first_issues(cap: int, streaming: bool) -> None:
    data = batch_xml(40, bad_every=2)
    full = validate(data, streaming=streaming)
    capped = validate(data, streaming=streaming, limits=Limits(max_issues=cap))
    assert len(full) > cap + 1
    assert capped.issues[:cap] == full.issues[:cap]
    assert capped.issues[cap].code == "report.truncated"
    assert f"{len(full) - cap} more" in capped.issues[cap].message
    assert len(capped) == cap + 1


def test_warnings_only_beyond_the_cap_give_a_warning() -> None:
    body = "".join(
        '<tb:Service xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="a b.xsd">57</tb:Service>'
        for _ in range(5)
    )
    data = f'<tb:TestMessage xmlns:tb="{TEST_NS}" SchemaVersion="1.0">{body}</tb:TestMessage>'
    report = validate(data.encode(), limits=Limits(max_issues=2))
    assert report.issues[-1].code == "report.truncated"
    assert report.issues[-1].severity.value == "error"  # the dropped include an XSD error
    infos = validate(data.encode(), limits=Limits(max_issues=2), checks=["vocab"])
    assert infos.issues[-1].severity.value == "info"
    assert infos.ok


@pytest.mark.parametrize(
    "make",
    [
        lambda n: many_attributes(n),
        lambda n: (
            f'<tb:TestMessage xmlns:tb="{TEST_NS}" SchemaVersion="1.0">'
            + "<tb:Service>99998</tb:Service>" * n
            + "</tb:TestMessage>"
        ).encode(),
        lambda n: batch_xml(n // 10, bad_every=1),
    ],
    ids=["attributes", "unknown-codes", "bad-records"],
)
def test_time_is_about_linear_in_size(make: Callable[[int], bytes]) -> None:
    def timed(n: int) -> float:
        """The best CPU time of three runs (a busy machine stretches the wall clock)."""
        data = make(n)
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            validate(data)
            best = min(best, time.process_time() - start)
        return best

    timed(2_000)  # warm caches
    small, large = timed(5_000), timed(40_000)
    assert large < 8 * small * 3 + 1.0, (small, large)  # 8 times the input, not 64 times


# --- streaming memory is flat ---------------------------------------------------------

MEMORY_CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from peak_memory import peak_kb
from tests_validate_support import TEST_NS, TEST_PROFILE
from lgstandards.validation import validate
kind, count, path = sys.argv[2], int(sys.argv[3]), sys.argv[4]
records = 2000
between = {
    "comments": "<!-- a comment between records -->\n",
    "instructions": "<?pi data?>\n",
    "elements": "<tb:Note a='1'><tb:Service>57</tb:Service></tb:Note>\n",
}[kind]
with open(path, "w") as out:
    out.write(
        f'<?xml version="1.0"?>\n<tb:TestBatch xmlns:tb="{TEST_NS}" SchemaVersion="1.0">\n'
        "<tb:Header><tb:Created>2024-05-01T10:00:00Z</tb:Created>"
        "<tb:ServiceCode>57</tb:ServiceCode></tb:Header>\n<tb:Records>\n"
    )
    for n in range(records):
        out.write(
            f'<tb:Record method="card"><tb:Reference>REF{n:06d}</tb:Reference>'
            "<tb:Amount>1.00</tb:Amount></tb:Record>\n"
        )
        out.write(between * (count // records))
    out.write(
        f"</tb:Records>\n<tb:Trailer><tb:RecordCount>{records}</tb:RecordCount>"
        f"<tb:Total>{records}.00</tb:Total></tb:Trailer>\n</tb:TestBatch>\n"
    )
report = validate(path, streaming=True, profile=TEST_PROFILE)
print(json.dumps({"peak_kb": peak_kb(), "codes": sorted(set(report.codes()))}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["comments", "instructions", "elements"])
def test_streaming_memory_is_flat_with_content_between_records(kind: str, tmp_path: Path) -> None:
    peaks = []
    for count in (20_000, 200_000):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                MEMORY_CHILD,
                str(HERE),
                kind,
                str(count),
                str(tmp_path / "b.xml"),
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        data = json.loads(result.stdout)
        peaks.append(data["peak_kb"])
        if kind == "elements":
            assert data["codes"] == ["xsd.unexpected-element"]
        else:
            assert data["codes"] == []
    assert peaks[1] < peaks[0] + 20 * 1024, peaks  # ten times the content, about the same memory


def between_records_batch() -> bytes:
    """A batch with comments, instructions and elements (with codes) between its records."""
    data = batch_xml(1200, bad_every=97).decode()
    parts = data.split('<tb:Record method="card">')
    extras = [
        "<!-- note -->",
        "<?pi x?>",
        "<tb:Note><tb:Service>99998</tb:Service></tb:Note>",
        "<tb:Other n='1'/>",
        "<tb:Note><tb:Service>100001</tb:Service></tb:Note>\n",
    ]
    out = [parts[0]]
    for n, part in enumerate(parts[1:]):
        if n:
            out.append(extras[n % len(extras)] if n % 3 else "")
        out.append('<tb:Record method="card">' + part)
    return "".join(out).encode()


def test_content_between_records_gives_the_same_paths_streamed() -> None:
    data = between_records_batch()
    whole = validate(data, streaming=False)
    streamed = validate(data, streaming=True)
    between = [(i.code, i.line, i.path) for i in whole if i.path and "Note" in i.path]
    assert len(between) > 100
    assert between == [(i.code, i.line, i.path) for i in streamed if i.path and "Note" in i.path]
    assert [i for i in whole if i.code.startswith("xsd.unexpected")] == [
        i for i in streamed if i.code.startswith("xsd.unexpected")
    ]
    # (after an element out of place libxml2 checks no more of the records' parent, so
    # whole-document mode reports no schema errors in later records; streaming does)
    assert {i.code for i in whole} <= {i.code for i in streamed}


# --- dates before the first list ------------------------------------------------------


@pytest.mark.parametrize("streaming", [False, True])
def test_a_document_dated_before_the_first_list_gets_one_notice(streaming: bool) -> None:
    data = batch_xml(1500, bad_every=500).replace(b"2024-05-01", b"2012-05-01")
    data = data.replace(b"<tb:Service>57</tb:Service>", b"<tb:Service>99998</tb:Service>", 3)
    report = validate(data, streaming=streaming)
    notices = [i for i in report if i.code == "vocab.date-before-list"]
    assert len(notices) == 1
    (notice,) = notices
    version = lookup_for("lgsl").version.version  # type: ignore[attr-defined]
    assert version
    assert version in notice.message
    assert version in (notice.message_cy or "")
    assert "2012-05-01" in notice.message
    assert "earliest" in notice.message
    assert notice.severity.value == "info"
    unknown = [i for i in report if i.code == "vocab.unknown-code" and "LGSL" in i.message]
    assert len(unknown) == 3
    for issue in unknown:
        assert "in force at the document's date" not in issue.message
        assert version in issue.message
        assert "earliest" in issue.message
    assert report.codes().count("vocab.date-before-list") == 1


def test_a_document_dated_after_the_first_list_gets_no_notice() -> None:
    report = validate(batch_xml(20, bad_every=5))
    assert "vocab.date-before-list" not in report.codes()
    undated = validate(batch_xml(20).replace(b"<tb:Created>2024-05-01T10:00:00Z</tb:Created>", b""))
    assert "vocab.date-before-list" not in undated.codes()


def test_new_codes_are_registered_in_english_and_welsh() -> None:
    for code in ("report.truncated", "vocab.date-before-list"):
        entry = registry()[code]
        assert entry.description
        assert entry.description_cy
