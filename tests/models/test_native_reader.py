"""The native reader (``models._native``, ``_xmlread.c``) gives the Python reader's dict.

The class of failure: a value the C side writes into JSON differently from what lxml
gives Python (escaping, white space, non-ASCII text, empty elements, attributes), a
document larger than the thread's buffer, threads sharing a buffer, and a package
where the library is missing, broken or the element not lxml's own. Every case
compares with the Python reader (``_xml._read``) or with reading without the library.
The mutations of ``test_reader_differential`` check it on malformed documents too.
"""

from __future__ import annotations

import copy
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from lgstandards.models import _native, epay, govtalk
from lgstandards.models._xml import _native_shape, _read, plan_for
from lgstandards.safexml import parse_root

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "epay" / "valid"
needs_library = pytest.mark.skipif(
    _native.reader() is None, reason="the native reader was not built (no C compiler)"
)

#: Text an XML document can hold (no surrogates, no C0 controls but tab, CR and LF).
XML_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters=[chr(c) for c in range(32) if c not in (9, 10, 13)]
        + ["\ufffe", "\uffff"],
    ),
    max_size=40,
) | st.sampled_from(['"', "\\", 'a"b\\c', "\t x \n", "\r\n", " ", "Siân Gwŷn", "\u2028", "€ 12"])


def _model_of(data: bytes) -> type[Any]:
    from lgstandards.models._xml import _ROOTS

    return _ROOTS[etree.fromstring(data).tag]


EPAY_EXAMPLES = sorted(p.name for p in EXAMPLES.glob("*.xml"))


def _both(cls: type[Any], data: bytes) -> tuple[Any, Any]:
    root = parse_root(data)
    plan = plan_for(cls)
    return _native.read(plan, root, _native_shape), _read(root, plan, ())


@needs_library
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EPAY_EXAMPLES), st.data())
def test_any_text_in_a_value_or_attribute_reads_as_in_python(
    name: str, data: st.DataObject
) -> None:
    """Values of any characters, with any white space, as elements' text or attributes."""
    source = (EXAMPLES / name).read_bytes()
    root = etree.fromstring(source)
    leaves = [e for e in root.iter() if isinstance(e.tag, str) and not len(e)]
    for leaf in data.draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=4)):
        leaf.text = data.draw(XML_TEXT)
    for element in (e for e in root.iter() if isinstance(e.tag, str) and e.attrib):
        for attribute in element.attrib:
            if data.draw(st.booleans()):
                element.set(attribute, data.draw(XML_TEXT))
    document = etree.tostring(root, encoding="UTF-8", xml_declaration=True)
    native, python = _both(_model_of(source), document)
    assert native is not None  # still plain: only values changed
    assert native == python


@needs_library
@pytest.mark.parametrize("name", EPAY_EXAMPLES)
def test_every_example_reads_natively_to_the_same_model(name: str) -> None:
    data = (EXAMPLES / name).read_bytes()
    cls = _model_of(data)
    native, python = _both(cls, data)
    assert native == python
    with_library = cls.from_xml(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_native, "_READER", [None])
        assert cls.from_xml(data) == with_library


def _batch(more: int) -> bytes:
    """The example reconciliation batch with ``more`` copies of its records."""
    root = etree.fromstring((EXAMPLES / "reconciliation-batch.xml").read_bytes())
    records = [e for e in root if etree.QName(e).localname == "PaymentRecord"]
    for i in range(more):
        records[-1].addnext(copy.deepcopy(records[i % len(records)]))
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


@needs_library
@pytest.mark.parametrize("more", [400, 8_000])
def test_a_document_larger_than_the_buffer_reads_whole(more: int) -> None:
    """The buffer grows until the document fits; a thread keeps only a small one."""
    document = _batch(more)
    result: list[Any] = []

    def fresh_thread() -> None:  # a thread of its own starts with the first buffer
        result.append(_both(epay.ReconciliationBatch, document))
        result.append(len(_native.reader().output.local.buffer))  # type: ignore[union-attr]

    thread = threading.Thread(target=fresh_thread)
    thread.start()
    thread.join()
    (native, python), kept = result
    assert native is not None
    assert native == python
    records = etree.fromstring(document).findall("{urn:lgstandards:epay:1}PaymentRecord")
    assert len(native["PaymentRecord"]) == len(records) > more
    output = _native.reader().output  # type: ignore[union-attr]
    assert output.first < kept <= output.kept  # grew, kept small


@needs_library
def test_threads_reading_at_once_each_get_their_own_documents() -> None:
    names = [n for n in EPAY_EXAMPLES if n != "reconciliation-batch.xml"][:6]
    documents = [(EXAMPLES / n).read_bytes() for n in names]
    expected = [_model_of(d).from_xml(d) for d in documents]
    failures: list[str] = []

    def work(offset: int) -> None:
        for i in range(300):
            at = (i + offset) % len(documents)
            if _model_of(documents[at]).from_xml(documents[at]) != expected[at]:
                failures.append(names[at])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


@needs_library
def test_an_element_of_another_class_is_read_in_python() -> None:
    class Custom(etree.ElementBase):
        pass

    data = (EXAMPLES / "dispute.xml").read_bytes()
    parser = etree.XMLParser()
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=Custom))
    root = etree.fromstring(data, parser)
    assert isinstance(root, Custom)
    assert _native.read(plan_for(epay.Dispute), root, _native_shape) is None
    assert epay.Dispute.from_element(root) == epay.Dispute.from_xml(data)


@needs_library
def test_a_class_with_wildcard_content_is_not_read_natively() -> None:
    plan = plan_for(govtalk.GovTalkMessage)
    assert _native.reader().table(plan, _native_shape) == 0  # type: ignore[union-attr]
    envelope = etree.Element(f"{{{govtalk.GovTalkMessage.xml_namespace}}}GovTalkMessage")
    assert _native.read(plan, envelope, _native_shape) is None
