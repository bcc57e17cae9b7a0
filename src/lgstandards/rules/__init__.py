"""Business rules beyond XSD: the registry of rule ids and the Python-coded rules.

Most rules are ISO Schematron (``schemas/**/*.sch``, XPath 1.0). Rules that XPath
1.0 cannot express (check digits, Luhn scans, NINO prefix lists ...) are Python
functions registered here with the same kind of ids, so both kinds produce the same
:class:`~lgstandards.report.Issue` shape (code ``rule.<ID>``). The families register
their rules in ``rules/epay.py``, ``rules/ebenefits.py`` and ``rules/common.py``.

A Python rule function yields *findings*: the element (or None for the document) and
the parameters of its message. Its severity and its message templates, English and
Welsh, are registered with its code in the issue-code registry
(:mod:`lgstandards.codes`, ``_rules``), which makes the issue
(:func:`lgstandards.codes.issue`); the validator's path maker formats the path. A rule
never types a severity or a message, and never builds a path.

A Python rule reads a value as XSD and Schematron do, as the element's whole string
value (comments and processing instructions inside it skipped), and parses numbers and
dates with the lexical helpers of ``lgstandards._xmlvalues``, which give None for
anything out of form (the XSD layer reports it): a rule never fails on a value. Every
word of a Welsh message is Welsh: a parameter that is wording rather than a value from
the document (a reason, a field's name) has a Welsh twin (``reason_cy`` ...) taken from a
small table beside the rule.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from lgstandards.report import Issue, Severity

if TYPE_CHECKING:
    from lgstandards.codes import IssueCode, Paths

#: A finding of a Python rule: the element (or None for the document) and message parameters.
Finding = tuple[Any, Mapping[str, object]]
#: A Python rule: takes the document's root element (lxml) and yields findings. A rule
#: that reads deployment data (a fund table) also has a ``profile`` parameter: the
#: validation profile, or None for the defaults.
RuleFunction = Callable[..., Iterable[Finding]]
#: A rule's quick screen: given the root and the document's bytes, False means the
#: rule cannot find anything (it is then not run); True means it must run.
Screen = Callable[[Any, bytes], bool]


class StreamScreen(Protocol):
    """A rule's screen for a document read in pieces (streaming): fed its bytes in order.

    :meth:`possible` may answer False only if the rule cannot find anything in a part of
    the document (``root``: a parsed part, all of whose bytes were fed before).
    """

    def feed(self, data: bytes) -> None:
        """See the next bytes of the document."""

    def possible(self, root: Any) -> bool:
        """Tell whether the rule may find something in ``root`` (False: skip it there)."""
        ...


class PythonRule(NamedTuple):
    """A business rule coded in Python, registered under a stable id.

    Its severity, description and messages are those registered with its code
    (:func:`lgstandards.codes.get`). (A named tuple: made in a fraction of a frozen
    dataclass's time, at every start-up.)
    """

    id: str
    kinds: tuple[str, ...]
    check: RuleFunction
    params: Mapping[str, object] = MappingProxyType({})
    #: A quick test on the whole document that lets it skip the rule (see :data:`Screen`).
    screen: Screen | None = None
    #: Makes the same test for a streamed document, fed as it is read (:class:`StreamScreen`).
    stream_screen: Callable[[], StreamScreen] | None = None
    #: The rule takes the validation profile (its function has a ``profile`` parameter).
    profiled: bool = False
    #: The rule reads a GovTalk envelope whole, its Body included (an integrity digest of
    #: the Body), where the other rules see the envelope without its body.
    whole: bool = False

    @property
    def code(self) -> str:
        """The issue code, ``rule.<ID>``."""
        return f"rule.{self.id}"

    @property
    def entry(self) -> IssueCode:
        """The rule's entry in the issue-code registry."""
        from lgstandards.codes import get  # the registry is read once there is an issue

        return get(self.code)

    @property
    def severity(self) -> Severity:
        """The registered severity."""
        return self.entry.severity

    @property
    def description(self) -> str:
        """The registered one-line description."""
        return self.entry.description

    @property
    def message_en(self) -> str:
        """The registered English message template."""
        return self.entry.template or self.entry.description

    @property
    def message_cy(self) -> str:
        """The registered Welsh message template."""
        return self.entry.template_cy or self.entry.description_cy or ""

    def findings(
        self, root: Any, *, data: bytes | None = None, profile: object = None
    ) -> Iterator[Finding]:
        """Run the rule on a parsed document (``data``: its bytes, for the screen).

        ``profile``: the validation profile, given to the rules that read it (None: the
        defaults).
        """
        if data is not None and self.screen is not None and not self.screen(root, data):
            return
        yield from self.check(root, profile=profile) if self.profiled else self.check(root)

    def run(
        self,
        root: Any,
        *,
        source: str | None = None,
        data: bytes | None = None,
        paths: Paths | None = None,
        profile: object = None,
    ) -> Iterator[Issue]:
        """Run the rule and make its issues (``paths``: the path maker; no path without one)."""
        for element, values in self.findings(root, data=data, profile=profile):
            from lgstandards.codes import issue  # the registry is read once there is an issue

            yield issue(self.code, values, element=element, paths=paths, source=source)


_REGISTRY: dict[str, PythonRule] = {}


def rule_modules() -> tuple[str, ...]:
    """Return the modules that register Python rules when imported (the catalogue's)."""
    from lgstandards.artefacts.catalogue import entries

    return tuple(dict.fromkeys(e.python_rules for e in entries() if e.python_rules))


def python_rule(
    rule_id: str,
    *,
    kinds: Iterable[str],
    screen: Screen | None = None,
    stream_screen: Callable[[], StreamScreen] | None = None,
    whole: bool = False,
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a Python rule function under ``rule_id`` (decorator).

    The code ``rule.<rule_id>`` must be registered with its severity and message
    templates (``lgstandards.codes._rules``). ``screen`` is an optional quick test on
    the whole document (root and bytes) that must return True whenever the rule could
    find something; it lets a run skip the rule on documents where it cannot fire.
    ``stream_screen`` makes a :class:`StreamScreen`, the same test while streaming.
    ``whole``: the rule is given a GovTalk envelope with its Body (each body is also
    validated as a document of its own, which the rule then sees too).
    """

    def decorate(function: RuleFunction) -> RuleFunction:
        if rule_id in _REGISTRY:
            raise ValueError(f"business rule {rule_id} is registered twice")
        _REGISTRY[rule_id] = PythonRule(
            id=rule_id,
            kinds=tuple(kinds),
            check=function,
            screen=screen,
            stream_screen=stream_screen,
            profiled="profile" in inspect.signature(function).parameters,
            whole=whole,
        )
        return function

    return decorate


_LOADED: set[str] = set()


def _load(names: Iterable[str] | None = None) -> None:
    """Import the rule modules ``names`` (None: every module of the catalogue), once each."""
    for name in rule_modules() if names is None else names:
        if name in _LOADED:
            continue
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
        _LOADED.add(name)


def modules_for(kind: str) -> tuple[str, ...] | None:
    """Return the rule modules a kind needs: its catalogue entry's and the shared ones.

    Shared: the modules of entries that declare no kind of their own (the common
    types, whose rules apply to every kind). None for a kind the catalogue does not
    list (a profile's own): every module is then loaded.
    """
    from lgstandards.artefacts.catalogue import entries

    found = entries()
    owners = [e for e in found if kind in e.roots.values()]
    if not owners:
        return None
    shared = [e for e in found if not e.roots]
    return tuple(dict.fromkeys(e.python_rules for e in (*shared, *owners) if e.python_rules))


def python_rules() -> Mapping[str, PythonRule]:
    """Return every registered Python rule by id (loads the rule modules once)."""
    _load()
    return MappingProxyType(_REGISTRY)


def rules_for(kind: str) -> tuple[PythonRule, ...]:
    """Return the Python rules that apply to a document kind (``epay.payment-request`` ...).

    Only the rule modules the kind needs are imported (:func:`modules_for`).
    """
    _load(modules_for(kind))
    family = kind.split(".", 1)[0]
    return tuple(
        r
        for r in _REGISTRY.values()
        if kind in r.kinds or f"{family}.*" in r.kinds or "*" in r.kinds
    )


__all__ = [
    "Finding",
    "PythonRule",
    "RuleFunction",
    "Screen",
    "StreamScreen",
    "modules_for",
    "python_rule",
    "python_rules",
    "rule_modules",
    "rules_for",
]
