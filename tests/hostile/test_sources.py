"""Sources that are not documents: paths no file can have, odd files, streams and types.

A ``str`` that does not start with ``<`` is a path: one with a NUL (text decoded from
UTF-32 starts with NULs) or a character no file name can hold once raised ValueError
out of ``validate``, and a closed stream did too. Each entry point (``validate``,
``iter_issues``, ``is_valid`` and a model's ``from_xml``) is given each.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from hostile_support import EXAMPLES, VALID, assert_kept_promise, within
from hypothesis import given, settings
from hypothesis import strategies as st

import lgstandards
from lgstandards.models.epay import PaymentRequest
from lgstandards.safexml import XMLInputError

REQUEST = EXAMPLES / "epay" / "valid" / "payment-request.xml"


def _unreadable(source: Any) -> str:
    """Check every entry point refuses ``source`` as io.unreadable; return the message."""
    report = lgstandards.validate(source)
    assert report.codes() == ["io.unreadable"], report.codes()
    assert_kept_promise(report.issues)
    assert [i.code for i in lgstandards.iter_issues(source)] == ["io.unreadable"]
    assert lgstandards.is_valid(source) is False
    with pytest.raises(XMLInputError) as caught:
        PaymentRequest.from_xml(source)
    assert caught.value.code == "io.unreadable"
    return report.issues[0].message


@pytest.mark.parametrize(
    "path",
    ["a\x00b.xml", "\x00\x00\ufeff<a/>", "\ud800.xml", Path("x\x00.xml")],
    ids=["NUL", "decoded UTF-32", "lone surrogate", "Path with NUL"],
)
def test_a_path_no_file_can_have_is_unreadable(path: Any) -> None:
    assert "no file can have this name" in _unreadable(path)


@settings(max_examples=60)
@given(
    name=st.text(min_size=1, max_size=30).filter(
        lambda t: not t.lstrip("\ufeff \t\r\n").startswith("<")
    )
)
def test_any_text_that_is_not_xml_is_a_path(name: str) -> None:
    for source in (name, "\x00" + name):
        report = lgstandards.validate(source)
        assert_kept_promise(report.issues)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-le", "utf-8-sig"])
def test_decoded_text_of_any_encoding_is_validated_or_refused(encoding: str) -> None:
    data = REQUEST.read_bytes()
    for text in (data.decode("utf-8"), data.decode("utf-8").encode(encoding).decode("latin-1")):
        assert_kept_promise(lgstandards.validate(text).issues)


def test_a_closed_stream_is_unreadable() -> None:
    stream = io.BytesIO(REQUEST.read_bytes())
    stream.close()
    assert _unreadable(stream) == "the input stream is closed"


class _Gives(io.RawIOBase):
    def __init__(self, value: Any) -> None:
        self.value = value

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> Any:
        return self.value


@pytest.mark.parametrize(("value", "said"), [("<a/>", "text"), (5, "int"), ([b"<a/>"], "list")])
def test_a_stream_that_gives_no_bytes_is_unreadable(value: Any, said: str) -> None:
    assert _unreadable(_Gives(value)) == f"the input stream gives {said}, not bytes"


@pytest.mark.parametrize(
    "source", [5, None, [b"<a/>"], 1.5, object()], ids=lambda s: type(s).__name__
)
def test_a_source_of_another_type_is_a_type_error(source: Any) -> None:
    for call in (lgstandards.validate, lgstandards.is_valid, PaymentRequest.from_xml):
        with pytest.raises(
            TypeError, match="a source is a path, bytes, XML text or a binary stream"
        ):
            call(source)
    with pytest.raises(TypeError, match="a source is"):
        list(lgstandards.iter_issues(source))


def _odd_paths(folder: Path) -> dict[str, Path]:
    found = {"folder": folder / "folder", "missing": folder / "missing.xml"}
    found["folder"].mkdir()
    loop = folder / "loop.xml"
    loop.symlink_to(folder / "loop2.xml")
    (folder / "loop2.xml").symlink_to(loop)
    found["symlink loop"] = loop
    dangling = folder / "dangling.xml"
    dangling.symlink_to(folder / "nothing-here")
    found["dangling symlink"] = dangling
    zero = folder / "zero.xml"
    zero.symlink_to("/dev/zero")
    found["link to /dev/zero"] = zero
    if hasattr(os, "mkfifo"):
        fifo = folder / "fifo.xml"
        os.mkfifo(fifo)
        found["FIFO without a writer"] = fifo
    return found


def test_paths_that_are_not_documents_are_unreadable_at_once(tmp_path: Path) -> None:
    for what, path in _odd_paths(tmp_path).items():
        with within(10):  # a FIFO opened for reading would block for ever
            assert _unreadable(path), what
            assert _unreadable(str(path)), what


def test_an_empty_file_is_empty(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    assert lgstandards.validate(empty).codes() == ["xml.empty"]


@pytest.mark.parametrize("document", VALID[:3], ids=lambda p: p.name)
def test_a_file_name_that_is_not_utf8_is_kept(document: Path, tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9-\xff" + document.suffix.encode())
    path = tmp_path / name
    path.write_bytes(document.read_bytes())
    report = lgstandards.validate(path)
    assert report.ok, report.codes()
    assert report.source == str(path)
