"""A screened batch gets exactly the XSD issues of the tree's validation.

The class of failure: a second way of finding schema errors (a validating pass of
libxml2's parser, whose errors name no element, each then located in its record, found
by its value in the bytes or by walking the elements, and validated on its own) that
reports another code, message, path, line, column or order than the reference
(``XMLSchema.validate`` on the whole tree and its errors' node paths, kept as
:func:`lgstandards.validation.xsd.validate_element`), or that trusts the validating
parser where it hides what the plain parser refuses. Generated batches with random
XSD faults (wrong type, bad enumeration, pattern, missing and unexpected elements and
attributes, several faults on one line, faults on the root, in the trailer and after
it, the whole document on one line, values written with references, CDATA, comments
or white space, decoys of a value or of a record's start tag in comments, another
prefix or the default namespace) are checked both ways: the XSD layer alone and the
whole report (English and Welsh). Faults inside records never make the whole tree
validated (its cost per error grows with the records before it).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from epay_batches import write_batch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgstandards.artefacts.kinds import spec_for_kind
from lgstandards.artefacts.schemas import schema_for
from lgstandards.report import Issue
from lgstandards.safexml import XMLInputError, parse_checked, parse_screened
from lgstandards.validation import engine, validate, xsd
from lgstandards.validation.columns import DocumentLines
from lgstandards.validation.paths import PathMaker

_SPEC = spec_for_kind("epay.reconciliation-batch")
assert _SPEC is not None
SPEC = _SPEC
_RECORD = re.compile(r"<epay:PaymentRecord>.*?</epay:PaymentRecord>", re.DOTALL)


@pytest.fixture(autouse=True)
def _screen_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Screen batches of any size (the engine screens only large ones)."""
    monkeypatch.setattr(xsd, "SCREEN_FROM", 0)


def _sub(pattern: str, replacement: str) -> Callable[[str], str]:
    return lambda record: re.sub(pattern, replacement, record, count=1)


#: Faults inside one record (applied to its text).
RECORD_FAULTS: dict[str, Callable[[str], str]] = {
    "type": _sub(r"<epay:GrossAmount>[^<]*", "<epay:GrossAmount>abc"),
    "enumeration": _sub(r"<epay:RecordType>[^<]*", "<epay:RecordType>BOGUS"),
    "pattern": _sub(r"<epay:AccountReference>[^<]*", "<epay:AccountReference>PCN 1"),
    "missing": _sub(r"<epay:Fee>[^<]*</epay:Fee>", ""),
    "unexpected": _sub(r"(</epay:TransactionId>)", r"\1<epay:Bogus>1</epay:Bogus>"),
    "twice": _sub(r"(<epay:Fee>[^<]*</epay:Fee>)", r"\1\1"),
    "attribute": _sub(r"<epay:PaymentRecord>", '<epay:PaymentRecord Extra="1">'),
    "empty": _sub(r"<epay:FundCode>[^<]*", "<epay:FundCode>"),
    # values written otherwise than the engine shows them, or in the way of a search
    # for them in the bytes: each must be located as the tree validation locates it
    "reference": _sub(r"<epay:AccountReference>[^<]*", "<epay:AccountReference>PCN&#32;1"),
    "ampersand": _sub(r"<epay:AccountReference>[^<]*", "<epay:AccountReference>PCN&amp;1"),
    "spaced": _sub(r"<epay:AccountReference>[^<]*", "<epay:AccountReference>  PCN 1 "),
    "cdata": _sub(r"<epay:AccountReference>[^<]*", "<epay:AccountReference><![CDATA[PCN 1]]>"),
    "comment": _sub(r"<epay:AccountReference>[^<]*", "<epay:AccountReference>PCN<!--x--> 1"),
    "decoy": _sub(r"(<epay:PaymentRecord>)", r"<!-->PCN 1</epay:AccountReference>-->\1"),
    "prefix": _sub(
        r"<epay:AccountReference>[^<]*</epay:AccountReference>",
        '<e:AccountReference xmlns:e="urn:lgstandards:epay:1">PCN 1</e:AccountReference>',
    ),
    "empty element": _sub(r"<epay:FundCode>[^<]*</epay:FundCode>", "<epay:FundCode/>"),
}

#: Faults outside the records (applied to the whole text).
DOCUMENT_FAULTS: dict[str, Callable[[str], str]] = {
    "root attribute": lambda t: t.replace(' SchemaVersion="1.0"', "", 1),
    "root extra attribute": lambda t: t.replace(
        ' SchemaVersion="1.0"', ' SchemaVersion="1.0" X="1"'
    ),
    "trailer": _sub(r"(<epay:Trailer><epay:RecordCount>)\d+", r"\1x"),
    "header": _sub(r"<epay:SequenceNumber>[^<]*", "<epay:SequenceNumber>-"),
    "record after trailer": lambda t: t.replace(
        "</epay:ReconciliationBatch>",
        "<epay:PaymentRecord><epay:RecordType>PAYMENT</epay:RecordType>"
        "</epay:PaymentRecord></epay:ReconciliationBatch>",
    ),
    "one line": lambda t: t.replace("\n", " ").replace("?> ", "?>\n", 1),
    "record tag in a comment": lambda t: t.replace(
        "</epay:BatchHeader>", "</epay:BatchHeader><!--<epay:PaymentRecord>-->", 1
    ),
    "default namespace": lambda t: (
        t.replace("xmlns:epay=", "xmlns=").replace("<epay:", "<").replace("</epay:", "</")
    ),
    "two prefixes": lambda t: t.replace(
        'SchemaVersion="1.0"', 'SchemaVersion="1.0" xmlns:e2="urn:lgstandards:epay:1"', 1
    ),
}


def make_batch(count: int, faults: dict[int, list[str]], document: list[str]) -> bytes:
    """A batch of ``count`` records, ``faults`` by record position, then document faults."""
    buffer = io.BytesIO()
    write_batch(buffer, count)
    text = buffer.getvalue().decode()
    records = _RECORD.findall(text)
    pieces = []
    start = 0
    for position, match in enumerate(_RECORD.finditer(text), 1):
        record = match.group(0)
        for fault in faults.get(position, []):
            record = RECORD_FAULTS[fault](record)
        pieces.append(text[start : match.start()] + record)
        start = match.end()
    assert len(pieces) == len(records) == count
    text = "".join(pieces) + text[start:]
    for fault in document:
        text = DOCUMENT_FAULTS[fault](text)
    return text.encode()


def _fields(issues: list[Issue]) -> list[tuple[Any, ...]]:
    return [
        (
            i.code,
            i.severity,
            i.message,
            i.message_cy,
            i.source,
            i.line,
            i.column,
            i.path,
            i.detail,
        )
        for i in issues
    ]


def unscreened(data: bytes) -> list[tuple[Any, ...]]:
    """The fields of the whole report when nothing screens the document (lxml validates)."""
    with mock.patch.object(engine, "_screen", return_value=None):
        return _fields(list(validate(data, streaming=False)))


def reference_issues(data: bytes) -> list[Issue]:
    """The old method: ``XMLSchema.validate`` on the whole tree, its errors' node paths."""
    tree = parse_checked(data)
    schema = schema_for(SPEC)
    paths = PathMaker(engine.Options().profile.prefixes, SPEC.record_tag)
    return list(
        xsd.validate_element(
            schema,
            tree,
            context=tree.getroot(),
            paths=paths,
            source="batch.xml",
            lines=DocumentLines(data),
        )
    )


def screened_issues(data: bytes) -> list[Issue]:
    """The new method: validated as parsed, each error located in its record."""
    schema = xsd.screen_schema(SPEC, 0)
    assert schema is not None
    tree, errors = parse_screened(data, schema)
    assert errors is not None
    return issues_of_screen(xsd.Screened(schema, errors), tree, data)


def issues_of_screen(screened: xsd.Screened, tree: Any, data: bytes) -> list[Issue]:
    """The issues :func:`.xsd.screened_issues` makes of what a screen found in ``data``."""
    paths = PathMaker(engine.Options().profile.prefixes, SPEC.record_tag)
    return list(
        xsd.screened_issues(
            screened,
            SPEC,
            tree,
            paths=paths,
            source="batch.xml",
            lines=DocumentLines(data),
            data=data,
        )
    )


def whole_reports(data: bytes, lang: str) -> tuple[list[Issue], list[Issue]]:
    """The engine's reports with and without the screen (whole-document mode)."""
    screened = list(validate(data, streaming=False, lang=lang))
    with mock.patch.object(engine, "_screen", return_value=None):
        plain = list(validate(data, streaming=False, lang=lang))
    return screened, plain


batches = st.builds(
    lambda count, faults, document: (count, faults, document),
    st.integers(min_value=1, max_value=24),
    st.dictionaries(
        st.integers(min_value=1, max_value=24),
        st.lists(st.sampled_from(sorted(RECORD_FAULTS)), min_size=1, max_size=3),
        max_size=6,
    ),
    st.lists(st.sampled_from(sorted(DOCUMENT_FAULTS)), max_size=2, unique=True),
)


@pytest.mark.parametrize("fault", sorted(RECORD_FAULTS))
@pytest.mark.parametrize("one_line", [False, True])
def test_faults_in_records_never_validate_the_whole_tree(fault: str, one_line: bool) -> None:
    """Each error is located in its record, whatever the records before it."""
    faults = {n: [fault] for n in (1, 2, 40, 41, 79)}
    faults[41] = [fault, "pattern", "type"]  # several errors on one line
    data = make_batch(80, faults, ["one line"] if one_line else [])
    expected = _fields(reference_issues(data))
    assert expected  # the faults are schema errors
    with mock.patch.object(xsd, "validate_element", side_effect=AssertionError("whole tree")):
        assert _fields(screened_issues(data)) == expected
        screened = list(validate(data, streaming=False))
    with mock.patch.object(engine, "_screen", return_value=None):
        assert _fields(screened) == _fields(list(validate(data, streaming=False)))


def test_a_valid_batch_is_validated_once_while_parsed() -> None:
    data = make_batch(30, {}, [])
    schema = xsd.screen_schema(SPEC, 0)
    assert schema is not None
    assert parse_screened(data, schema)[1] == []
    with mock.patch.object(xsd, "validate_element", side_effect=AssertionError("validated twice")):
        assert [i for i in validate(data, streaming=False) if i.code.startswith("xsd.")] == []


@pytest.mark.parametrize(
    "change",
    [
        # a namespace name that is not a URI: the validating parser says nothing of it
        lambda t: t.replace('SchemaVersion="1.0"', 'SchemaVersion="1.0" xmlns:zz="not a uri"'),
        lambda t: t.replace("<epay:Fee>", "<foo:Fee>", 1).replace("</epay:Fee>", "</foo:Fee>", 1),
        lambda t: t.replace('SchemaVersion="1.0"', 'SchemaVersion="1.0" foo:bar="1"'),
        lambda t: t.replace("<epay:Trailer>", "<epay:Trailer", 1),
        lambda t: t[: len(t) // 2],
        lambda t: t.replace("xmlns:epay=", 'xmlns:epay="urn:x" xmlns:epay=', 1),
        lambda t: RECORD_FAULTS["type"](t).replace('xmlns:lgc="', "xmlns:lgc='", 1),
        lambda t: t.replace('"urn:lgstandards:common:1"', '"urn:lgstandards:common:&#49;"', 1),
        lambda t: t.replace(
            'SchemaVersion="1.0"',
            'SchemaVersion="1.0" xmlns:x="http://www.w3.org/XML/1998/namespace"',
        ),
        lambda t: t.replace(
            'SchemaVersion="1.0"', 'SchemaVersion="1.0" xmlns:x="http://www.w3.org/2000/xmlns/"'
        ),
    ],
    ids=[
        "bad-uri",
        "undeclared-element-prefix",
        "undeclared-attribute-prefix",
        "syntax",
        "truncated",
        "duplicate-declaration",
        "mismatched-quote",
        "reference-in-declaration",
        "xml-namespace-bound",
        "xmlns-namespace-bound",
    ],
)
@pytest.mark.parametrize("faulty", [False, True])
def test_what_the_plain_parser_refuses_is_refused_alike(
    change: Callable[[str], str], faulty: bool
) -> None:
    data = change(make_batch(5, {2: ["pattern"]} if faulty else {}, []).decode()).encode()
    screened, plain = whole_reports(data, "en")
    assert _fields(screened) == _fields(plain)
    schema = xsd.screen_schema(SPEC, 0)
    assert schema is not None
    refused: XMLInputError | None = None
    expected: Any = None
    try:
        expected = parse_checked(data)
    except XMLInputError as exc:
        refused = exc
    if refused is not None:
        with pytest.raises(XMLInputError) as raised:
            parse_screened(data, schema)
        assert (raised.value.code, raised.value.message) == (refused.code, refused.message)
    else:
        from lxml import etree

        tree, _ = parse_screened(data, schema)
        assert etree.tostring(tree) == etree.tostring(expected)


@pytest.mark.parametrize("fault", ["type", "enumeration", "pattern", "empty element"])
def test_an_error_naming_a_value_is_found_without_walking_the_elements(fault: str) -> None:
    """The record of an error that names a value is found in the bytes (cost per error).

    Walking the elements with the error's name, to the error's, costs as many steps as
    there are records before it; the bytes are searched at C speed from the last error.
    """
    faults = {n: [fault] for n in (2, 30, 31, 59)}
    data = make_batch(60, faults, [])
    expected = _fields(reference_issues(data))
    assert expected
    with mock.patch.object(xsd, "_plausible", side_effect=AssertionError("walked")):
        assert _fields(screened_issues(data)) == expected


# --- the tree validated by libxml2 directly (lgstandards.validation.treeschema) -------


def tree_issues(data: bytes) -> list[Issue]:
    """The tree's own validation, each error with its element (no node path made)."""
    schema = xsd.screen_schema(SPEC, 0)
    assert schema is not None
    tree = parse_checked(data)
    screened = xsd.screen_tree(SPEC, schema, tree)
    assert screened is not None, "the direct tree validation is available here"
    return issues_of_screen(screened, tree, data)


@pytest.mark.parametrize("issues_of", [screened_issues, tree_issues], ids=["bytes", "tree"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches)
def test_the_screen_and_the_direct_validation_give_the_issues_of_lxml(
    issues_of: Callable[[bytes], list[Issue]],
    batch: tuple[int, dict[int, list[str]], list[str]],
) -> None:
    """Codes, messages, lines, columns, paths and order as ``XMLSchema.validate``'s."""
    count, faults, document = batch
    data = make_batch(count, {k: v for k, v in faults.items() if k <= count}, document)
    assert _fields(issues_of(data)) == _fields(reference_issues(data))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches, st.sampled_from(["en", "cy"]))
def test_the_whole_report_is_the_same_whichever_way_the_schema_is_checked(
    batch: tuple[int, dict[int, list[str]], list[str]], lang: str
) -> None:
    """Tree validated directly, bytes screened (where it cannot be), or lxml: one report.

    Directly and screened, the schema check runs in the helper thread while the rules
    run; without a helper (one CPU), before them: one report too.
    """
    count, faults, document = batch
    data = make_batch(count, {k: v for k, v in faults.items() if k <= count}, document)
    with mock.patch.object(engine, "screen_tree", return_value=None):
        screened = list(validate(data, streaming=False, lang=lang))
    direct = list(validate(data, streaming=False, lang=lang))
    with mock.patch.object(engine, "_screen", return_value=None):
        plain = list(validate(data, streaming=False, lang=lang))
    with mock.patch.object(engine, "helper_pool", return_value=None):  # no rules meanwhile
        here = list(validate(data, streaming=False, lang=lang))
    assert _fields(screened) == _fields(plain) == _fields(direct) == _fields(here)


@pytest.mark.parametrize("fault", sorted(RECORD_FAULTS))
def test_the_engine_validates_the_tree_once_and_makes_no_node_path(fault: str) -> None:
    """Neither lxml's validation (a node path per error) nor the bytes' screen runs."""
    faults = {n: [fault] for n in (1, 2, 40, 41, 79)}
    faults[41] = [fault, "pattern", "type"]
    data = make_batch(80, faults, [])
    expected = _fields(reference_issues(data))
    assert expected
    with (
        mock.patch.object(xsd, "validate_element", side_effect=AssertionError("lxml")),
        mock.patch.object(engine, "screen_bytes", side_effect=AssertionError("screened")),
    ):
        found = list(validate(data, streaming=False))
    assert _fields(found) == unscreened(data)


def test_without_the_direct_validation_the_bytes_are_screened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No API (another Python, another lxml build): the engine screens the bytes."""
    from lgstandards.validation import treeschema

    monkeypatch.setattr(treeschema, "_API", [None])
    data = make_batch(20, {3: ["pattern"], 9: ["missing"]}, [])
    schema = xsd.screen_schema(SPEC, 0)
    assert schema is not None
    assert xsd.screen_tree(SPEC, schema, parse_checked(data)) is None
    found = list(validate(data, streaming=False))
    assert _fields(found) == unscreened(data)


def test_no_memory_for_a_callback_falls_back_to_the_bytes_screen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A hardened system refusing ctypes callbacks: the same report, by the bytes' screen."""
    from lgstandards.validation import treeschema

    def refuse(*_args: Any) -> Any:
        raise MemoryError("cannot allocate a callback")

    data = make_batch(20, {3: ["pattern"], 9: ["missing"]}, [])
    expected = _fields(list(validate(data, streaming=False)))
    monkeypatch.setattr(treeschema, "_HANDLER", refuse)
    monkeypatch.setattr(treeschema, "_API", [])  # found again, with the schema compiled again
    tree = parse_checked(data)
    assert treeschema.tree_errors(SPEC.schema_file, tree.getroot()) is None  # type: ignore[arg-type]
    assert _fields(list(validate(data, streaming=False))) == expected


def test_an_element_of_another_layout_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The element's fields are read only where lxml/etree.h puts them (checked first)."""
    from lgstandards.validation import treeschema

    api = treeschema._api()
    assert api is not None
    tree = parse_checked(make_batch(2, {}, []))
    monkeypatch.setattr(api, "doc_offset", api.node_offset)  # as if the fields moved
    assert treeschema.tree_errors(SPEC.schema_file, tree.getroot()) is None  # type: ignore[arg-type]


def test_a_schema_libxml2_cannot_read_alone_is_not_compiled_by_it(tmp_path: Any) -> None:
    """A remote location (read through the catalogue) or an import without one."""
    from lgstandards.validation import treeschema

    remote = tmp_path / "remote.xsd"
    remote.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:import namespace="urn:x" schemaLocation="https://example.org/x.xsd"/></xs:schema>'
    )
    bare = tmp_path / "bare.xsd"
    bare.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:y">'
        '<xs:import namespace="http://www.w3.org/2000/09/xmldsig#"/></xs:schema>'
    )
    assert not treeschema._readable_alone(remote)
    assert not treeschema._readable_alone(bare)
    assert SPEC.schema_file is not None
    assert treeschema._readable_alone(SPEC.schema_file)


def test_threads_validating_trees_at_once_each_get_their_own_errors() -> None:
    """The compiled schema is shared; each validation keeps its own errors."""
    from concurrent.futures import ThreadPoolExecutor

    batches = [make_batch(60, {n: ["pattern"] for n in range(k, 60, 7)}, []) for k in (1, 2, 3)]
    expected = [_fields(tree_issues(data)) for data in batches]
    with ThreadPoolExecutor(max_workers=3) as pool:
        for _ in range(3):
            found = list(pool.map(lambda data: _fields(tree_issues(data)), batches * 2))
            assert found == expected * 2


# --- the compiled error sink (treeschema's _errsink.c) --------------------------------


def _tree_errors_both_ways(data: bytes) -> tuple[list[Any], list[Any]]:
    """``tree_errors`` of one parsed tree, kept by the compiled sink and by Python."""
    from lgstandards.validation import treeschema

    assert treeschema.sink() is not None, "the sink is built where a C compiler is"
    tree = parse_checked(data)
    compiled = treeschema.tree_errors(SPEC.schema_file, tree.getroot())  # type: ignore[arg-type]
    with mock.patch.object(treeschema, "_SINK", [None]):
        python = treeschema.tree_errors(SPEC.schema_file, tree.getroot())  # type: ignore[arg-type]
    assert compiled is not None
    assert python is not None
    return compiled, python


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches)
def test_the_compiled_sink_keeps_the_errors_the_python_handler_keeps(
    batch: tuple[int, dict[int, list[str]], list[str]],
) -> None:
    """Every error: its type, message, line and element (the same object), in order."""
    count, faults, document = batch
    data = make_batch(count, {k: v for k, v in faults.items() if k <= count}, document)
    compiled, python = _tree_errors_both_ways(data)
    assert [(e.type_name, e.message, e.line) for e in compiled] == [
        (e.type_name, e.message, e.line) for e in python
    ]
    assert all(map(lambda a, b: a.element is b.element, compiled, python))


def test_the_sink_keeps_thousands_of_errors_and_long_messages() -> None:
    """Past its first blocks of errors and of text (64 errors, 4 KiB), nothing is lost."""
    faults = {n: ["pattern", "type", "enumeration"] for n in range(1, 400)}
    data = make_batch(400, faults, [])
    compiled, python = _tree_errors_both_ways(data)
    assert len(compiled) >= 1000
    assert sum(len(e.message) for e in compiled) > 64 * 1024
    assert [(e.type_name, e.message, e.line, e.element) for e in compiled] == [
        (e.type_name, e.message, e.line, e.element) for e in python
    ]


def test_with_the_sink_no_python_handler_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """The errors reach no Python code while libxml2 runs (so need no GIL): none is made."""
    from lgstandards.validation import treeschema

    assert treeschema.sink() is not None
    data = make_batch(30, {3: ["pattern"], 9: ["missing"], 20: ["type"]}, [])
    expected = _fields(tree_issues(data))

    def refuse(*_args: Any) -> Any:
        raise AssertionError("a Python handler was made")

    monkeypatch.setattr(treeschema, "_HANDLER", refuse)
    assert _fields(tree_issues(data)) == expected


@pytest.mark.parametrize("sink", [True, False], ids=["compiled sink", "python handler"])
def test_the_report_is_the_same_with_or_without_the_sink(
    sink: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole report, the schema checked in the helper thread while the rules run."""
    from lgstandards.validation import treeschema

    faults = {n: ["pattern"] for n in range(2, 200, 9)} | {50: ["missing"], 51: ["type"]}
    data = make_batch(200, faults, [])
    with mock.patch.object(engine, "_screen", return_value=None):
        plain = list(validate(data, streaming=False))
    if not sink:
        monkeypatch.setattr(treeschema, "_SINK", [None])
    assert (treeschema.sink() is not None) is sink
    assert _fields(list(validate(data, streaming=False))) == _fields(plain)


def test_a_sink_library_that_cannot_be_loaded_is_not_used(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another platform's file, or a broken one: the Python handler, the same errors."""
    from lgstandards.validation import treeschema

    broken = tmp_path / "liberrsink.so.1"
    broken.write_bytes(b"not a shared library")
    monkeypatch.setattr(treeschema, "SINK_LIBRARY", broken)
    monkeypatch.setattr(treeschema, "_SINK", [])
    assert treeschema.sink() is None
    data = make_batch(20, {3: ["pattern"], 9: ["missing"]}, [])
    with mock.patch.object(engine, "_screen", return_value=None):
        plain = list(validate(data, streaming=False))
    assert _fields(list(validate(data, streaming=False))) == _fields(plain)
