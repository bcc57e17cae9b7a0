"""One input: a document is opened once, its prolog checked by one code path in both modes.

Every route through ``validate`` (whole document, streamed, auto-streamed by size, RDF
by extension or by content, refused input, forced kinds) opens a path exactly once and
reads a stream from its start once; the prolog check runs once per document, on the
same bytes whether the document is then parsed whole or streamed. A ``str`` is XML text
when it starts with ``<`` (after a byte-order mark and whitespace), as in ``from_xml``.
"""

from __future__ import annotations

import builtins
import dataclasses
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_hostile_engine import ENCODINGS, hostile
from tests_validate_support import TEST_PROFILE, batch_xml

from lgstandards import safexml
from lgstandards.artefacts.kinds import RDF_KIND
from lgstandards.models import _xml as model_xml
from lgstandards.safexml import PROLOG_WINDOW, Input, is_xml_text
from lgstandards.validation import validate
from lgstandards.validation.batch import expand, validate_paths
from lgstandards.validation.core import make_options
from lgstandards.validation.input import RDF_EXTENSIONS, Document, content_syntax

REPO = Path(__file__).resolve().parents[2]
CATALOGUES = REPO / "examples" / "catalogues"
#: One example catalogue of each RDF syntax.
SAMPLES = {
    "turtle": CATALOGUES / "valid" / "cpsv-council-tax.ttl",
    "ntriples": CATALOGUES / "valid" / "services.nt",
    "json-ld": CATALOGUES / "valid" / "schema-org-waste.jsonld",
    "rdf/xml": CATALOGUES / "valid" / "services.rdf",
}


class Opens:
    """How often each path is opened (``os.open`` and ``open``) since :meth:`reset`."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def reset(self) -> None:
        """Forget the opens so far (the test writing its files)."""
        self.seen.clear()

    def __call__(self, path: Path) -> int:
        return self.seen.count(os.path.realpath(path))


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> Opens:
    """Count how often each path is opened, by real path."""
    counter = Opens()
    seen = counter.seen
    real_os_open = os.open
    real_open = builtins.open

    def note(file: object) -> None:
        if isinstance(file, str | os.PathLike):
            seen.append(os.path.realpath(os.fspath(file)))

    def counting_os_open(path: object, *args: object, **kwargs: object) -> int:
        note(path)
        return real_os_open(path, *args, **kwargs)  # type: ignore[arg-type]

    def counting_open(file: object, *args: object, **kwargs: object) -> object:
        note(file)
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "open", counting_os_open)
    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(io, "open", counting_open)
    return counter


def _dtd_batch() -> bytes:
    body, _ = hostile("/nonexistent/never-read.dtd")["internal-dtd"]
    return ('<?xml version="1.0"?>\n' + body).encode()


#: name -> (document bytes, file name, validate keyword arguments)
ROUTES: dict[str, tuple[Callable[[], bytes], str, dict[str, object]]] = {
    "whole": (lambda: batch_xml(50), "b.xml", {"streaming": False}),
    "streamed": (lambda: batch_xml(50, bad_every=7), "b.xml", {"streaming": True}),
    "streamed-kind": (lambda: batch_xml(50), "b.xml", {"streaming": True, "kind": "test.batch"}),
    "auto-streamed": (
        lambda: batch_xml(50),
        "b.xml",
        {"profile": dataclasses.replace(TEST_PROFILE, stream_threshold=100)},
    ),
    "streamed-not-a-batch": (
        lambda: batch_xml(1).replace(b"TestBatch", b"TestMessage"),
        "m.xml",
        {"streaming": True},
    ),
    "streamed-truncated": (lambda: batch_xml(200)[:-300], "b.xml", {"streaming": True}),
    "streamed-dtd": (_dtd_batch, "b.xml", {"streaming": True}),
    "whole-dtd": (_dtd_batch, "b.xml", {"streaming": False}),
    "not-xml": (lambda: b"plain text", "t.xml", {}),
    "turtle": (SAMPLES["turtle"].read_bytes, "c.ttl", {}),
    "json-ld-by-content": (SAMPLES["json-ld"].read_bytes, "c.json", {}),
    "json-ld-by-kind": (SAMPLES["json-ld"].read_bytes, "c.json", {"kind": RDF_KIND}),
    "rdf-kind-sniffed": (SAMPLES["turtle"].read_bytes, "c.xml", {"kind": RDF_KIND}),
    "rdf-xml-root": (SAMPLES["rdf/xml"].read_bytes, "c.xml", {}),
    "rdf-streamed": (SAMPLES["turtle"].read_bytes, "c.ttl", {"streaming": True}),
}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_a_path_is_opened_once(route: str, tmp_path: Path, opens: Opens) -> None:
    make, file_name, kwargs = ROUTES[route]
    path = tmp_path / file_name
    path.write_bytes(make())
    opens.reset()
    report = validate(path, **kwargs)  # type: ignore[arg-type]
    assert opens(path) == 1, (route, report.codes())
    expected = validate(path.read_bytes(), **kwargs).codes()  # type: ignore[arg-type]
    if not route.startswith(("json-ld", "turtle", "rdf-streamed")):  # by content, not name
        assert report.codes() == expected


def test_a_path_in_a_batch_run_is_opened_once(tmp_path: Path, opens: Opens) -> None:
    paths = []
    for n, syntax in enumerate(sorted(SAMPLES)):
        source = SAMPLES[syntax]
        path = tmp_path / f"c{n}{source.suffix}"
        path.write_bytes(source.read_bytes())
        paths.append(path)
    (tmp_path / "b.xml").write_bytes(batch_xml(20))
    paths.append(tmp_path / "b.xml")
    opens.reset()
    found = [str(p) for p in expand([str(tmp_path)]) if isinstance(p, str)]
    assert sorted(found) == sorted(str(p) for p in paths)
    options = make_options(streaming=True, profile=TEST_PROFILE)
    reports = list(validate_paths(found, options))
    assert [opens(Path(p)) for p in found] == [1] * len(found)
    assert all(r.ok for r in reports), [r.codes() for r in reports]


class _Recorder(io.RawIOBase):
    """A binary stream that records how many bytes are read and whether it is rewound."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)
        self.read_total = 0
        self.seeks = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        chunk = self.data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        self.read_total += len(chunk)
        return len(chunk)

    def seek(self, offset: int, whence: int = 0) -> int:
        self.seeks += 1
        return self.data.seek(offset, whence)


@pytest.mark.parametrize(
    ("data", "kwargs"),
    [
        (batch_xml(50), {"streaming": False}),
        (batch_xml(50, bad_every=5), {"streaming": True}),
        (batch_xml(7000), {"streaming": True}),  # over the head: read past it once
        (SAMPLES["turtle"].read_bytes(), {}),
        (SAMPLES["turtle"].read_bytes(), {"kind": RDF_KIND}),
    ],
    ids=["whole", "streamed", "streamed-large", "rdf-by-content", "rdf-by-kind"],
)
def test_a_stream_is_read_once_from_its_start(data: bytes, kwargs: dict[str, object]) -> None:
    stream = _Recorder(data)
    report = validate(stream, **kwargs)  # type: ignore[arg-type]
    assert stream.seeks == 0
    assert stream.read_total == len(data)
    assert report.codes() == validate(data, **kwargs).codes()  # type: ignore[arg-type]


def test_reading_a_document_again_does_not_open_it_again(tmp_path: Path, opens: Opens) -> None:
    path = tmp_path / "b.xml"
    data = batch_xml(3000)
    path.write_bytes(data)
    opens.reset()
    with Document.open(path) as document:
        assert document.size == len(data)
        assert document.stream().read() == data
        again = document.reread()
        assert again is not None
        assert again.read() == data
    assert opens(path) == 1
    with Document.open(io.BytesIO(data)) as document:
        assert document.reread() is None  # a caller's stream is read once


# --- the prolog: one check, the same bytes, in both modes ------------------------------


@pytest.fixture
def prolog_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, bool, int]]:
    """Record every call of the prolog check."""
    calls: list[tuple[bytes, bool, int]] = []
    real = safexml.check_prolog

    def spy(head: bytes, *, name: str | None = None, complete: bool = True) -> None:
        # what the check decides on: the window, whether the document ends in it, and how
        # much it was given (a whole document, or a head)
        effective = complete and len(head) <= PROLOG_WINDOW
        calls.append((bytes(head[:PROLOG_WINDOW]), effective, len(head)))
        real(head, name=name, complete=complete)

    monkeypatch.setattr(safexml, "check_prolog", spy)
    return calls


def _large_batch(encoding: str, doctype: bool) -> bytes:
    declared, encode = ENCODINGS[encoding]
    body = batch_xml(7000).decode().partition("?>")[2]
    if doctype:
        root = body.index("<tb:TestBatch")
        body = body[:root] + "<!DOCTYPE tb:TestBatch [<!ELEMENT tb:TestBatch ANY>]>\n" + body[root:]
    return encode(f'<?xml version="1.0" encoding="{declared}"?>' + body)


@pytest.mark.parametrize("doctype", [False, True], ids=["clean", "dtd"])
@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_the_prolog_is_checked_once_on_the_same_bytes_in_both_modes(
    encoding: str, doctype: bool, prolog_calls: list[tuple[bytes, bool, int]], tmp_path: Path
) -> None:
    data = _large_batch(encoding, doctype)
    assert len(data) > PROLOG_WINDOW  # the head is not the whole document
    path = tmp_path / "batch.xml"
    path.write_bytes(data)
    sources: dict[str, Callable[[], object]] = {
        "bytes": lambda: data,
        "path": lambda: path,
        "stream": lambda: io.BytesIO(data),
    }
    codes = set()
    calls = []
    for streaming in (False, True):  # load the artefacts first (their files are checked too)
        validate(data, streaming=streaming, checks=[])
    for name, source in sources.items():
        for streaming in (False, True):
            prolog_calls.clear()
            found = validate(source(), streaming=streaming, checks=[])  # type: ignore[arg-type]
            codes.add(tuple(found.codes()))
            assert len(prolog_calls) == 1, (encoding, name, streaming)
            calls.append(prolog_calls[0])
    assert all(call == calls[0] for call in calls), encoding  # one path: same bytes, same end
    assert len(codes) == 1, codes
    if doctype:
        assert codes == {("xml.dtd-forbidden",)}


# --- a str of XML text is XML text ------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", " ", "\n\t ", "\ufeff", "\ufeff \r\n"])
def test_a_str_starting_with_a_tag_is_xml_text(prefix: str) -> None:
    data = batch_xml(3, bad_every=2)
    text = prefix + data.decode()
    report = validate(text)
    assert report.source is None
    assert report.kind == "test.batch"
    assert report.codes() == validate(data).codes()
    assert validate(prefix + "<unclosed>").codes() == ["xml.truncated"]
    with Input.open(text) as document:
        assert document.name is None
        assert document.read_all() == data


def test_xml_text_declaring_another_encoding_is_read_as_text() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?>' + batch_xml(2).decode().partition("?>")[2]
    assert validate(text).codes() == []


def test_xml_text_that_cannot_be_encoded_is_an_issue() -> None:
    assert validate("<a>\ud800</a>").codes() == ["xml.encoding"]


def test_a_str_not_starting_with_a_tag_is_a_path(tmp_path: Path) -> None:
    path = tmp_path / "b.xml"
    path.write_bytes(batch_xml(3))
    report = validate(str(path))
    assert report.ok
    assert report.source == str(path)
    assert validate(str(tmp_path / "missing.xml")).codes() == ["io.unreadable"]
    assert validate("a < b").codes() == ["io.unreadable"]


@given(
    st.text(alphabet=" \t\r\n\ufeff", max_size=4),
    st.sampled_from(["<r/>", "r.xml", "/tmp/<r>", "", "\u00a0<r/>", "<"]),
)
def test_validate_and_from_xml_take_a_str_alike(prefix: str, rest: str) -> None:
    text = prefix + rest
    assert model_xml.is_xml_text(text) == is_xml_text(text)
    with Input.open(text) as document:
        assert (document.name is None) == is_xml_text(text)


# --- one table of RDF extensions ------------------------------------------------------


@pytest.mark.parametrize("extension", sorted(RDF_EXTENSIONS))
def test_every_rdf_extension_is_walked_and_read_as_rdf(extension: str, tmp_path: Path) -> None:
    from lgstandards.conformance.kit import sniff_kind

    syntax = RDF_EXTENSIONS[extension]
    path = tmp_path / f"catalogue{extension}"
    path.write_bytes(SAMPLES[syntax].read_bytes())
    assert expand([str(tmp_path)]) == [str(path)]
    report = validate(path)
    assert report.kind == RDF_KIND
    assert report.codes() == validate(SAMPLES[syntax]).codes()
    assert sniff_kind(path) == RDF_KIND
    with Document.open(path) as document:
        assert document.syntax == syntax


@pytest.mark.parametrize("extension", sorted(RDF_EXTENSIONS))
def test_a_stream_named_like_a_file_is_read_as_the_file_would_be(extension: str) -> None:
    """An open file or an upload named by its client tells its syntax as a path does."""
    syntax = RDF_EXTENSIONS[extension]
    data = SAMPLES[syntax].read_bytes()
    stream = io.BytesIO(data)
    stream.name = f"upload{extension}"
    with Document.open(stream) as document:
        assert document.syntax == syntax
    stream.seek(0)
    report = validate(stream)
    assert report.kind == RDF_KIND
    assert report.codes() == validate(SAMPLES[syntax]).codes()
    unnamed = io.BytesIO(data)
    unnamed.name = "<stdin>"  # a name that tells nothing: the content decides
    with Document.open(unnamed) as document:
        assert document.syntax == (content_syntax(data) or "xml")


def test_json_is_rdf_only_by_its_content_and_never_walked(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(b'{"PaymentRequest": 1}')
    assert expand([str(tmp_path)]) == []
    assert validate(path).codes() == ["xml.not-xml"]
    path.write_bytes(SAMPLES["json-ld"].read_bytes())
    assert validate(path).kind == RDF_KIND


# --- a path read whole: once, from its start, as the bytes it had when opened -----------


@pytest.mark.parametrize(
    "size", [0, 10, PROLOG_WINDOW, PROLOG_WINDOW + 1, PROLOG_WINDOW + 2, 3 * PROLOG_WINDOW + 7]
)
@pytest.mark.parametrize("change", ["none", "head", "rest", "grown", "shrunk", "over-limit"])
def test_a_path_is_read_whole_as_its_head_then_the_rest(
    size: int, change: str, tmp_path: Path
) -> None:
    """The head as checked, then the rest as the file has it when read.

    A file changed between opening and reading (its head, its rest, grown, shrunk or past
    the size limit) reads as the head read at opening followed by what the file now has
    after it (the prolog checked is the one parsed); the size limit is kept.
    """
    path = tmp_path / "d.xml"
    original = bytes(range(97, 123)) * (size // 26 + 1)
    original = original[:size]
    path.write_bytes(original)
    limits = dataclasses.replace(safexml.DEFAULT_LIMITS, max_bytes=4 * PROLOG_WINDOW)
    with Document.open(path, limits=limits) as document:
        head = document.head
        now = {
            "none": original,
            "head": b"X" * min(size, 100) + original[100:],
            "rest": original[: len(head)] + b"Y" * (size - len(head)),
            "grown": original + b"Z" * 1000,
            "shrunk": original[: size // 2],
            "over-limit": original + b"W" * (4 * PROLOG_WINDOW + 1 - size),
        }[change]
        path.write_bytes(now)
        expected = head + now[len(head) :]
        if document.complete:
            expected = head
        if len(expected) > limits.max_bytes:
            with pytest.raises(safexml.XMLInputError):
                document.read_all(limits)
        else:
            assert document.read_all(limits) == expected


def test_a_large_path_is_read_in_one_read_after_its_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not block by block then joined to the head: two more copies of a large document."""
    path = tmp_path / "b.xml"
    data = b"<a>" + b"x" * (3 * PROLOG_WINDOW) + b"</a>"
    path.write_bytes(data)
    reads: list[int] = []
    real = safexml.read_at_most

    def spy(stream: object, count: int, **kwargs: object) -> bytes:
        found = real(stream, count, **kwargs)  # type: ignore[arg-type]
        reads.append(len(found))
        return found

    monkeypatch.setattr(safexml, "read_at_most", spy)
    with Document.open(path) as document:
        reads.clear()
        assert document.read_all() == data
    assert reads == [len(data)]
