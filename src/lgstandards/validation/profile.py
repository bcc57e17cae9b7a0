"""A validation profile: what one deployment adds to the standards, passed as data.

A council validates its messages against the standards plus its own data: the
account-reference formats of its income funds (EPAY-R006), its payment gateway's
limits (EPAY-R004), document kinds of its own (an extension, a test kind), its own
values of the dated parameters (EPAY-R018, R022, R023), the keys it trusts for XML
signatures (COM-R013), and whether its receivers take only the GovTalk restricted
character set (COM-R019). A :class:`Profile` holds them; ``validate(..., profile=...)``
passes it to the engine, which hands it to the rules that read it. Nothing is
process-wide: two profiles can validate side by side, in two threads, each with its own
findings.

:func:`using_profile` makes a profile the default of the ``validate`` calls in a
``with`` block (a context variable: the current thread or task only), for code that
cannot pass it down, such as a test fixture.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from reprlib import recursive_repr
from types import MappingProxyType
from typing import Any

from lgstandards._records import FACTORY, written_out
from lgstandards.artefacts import kinds
from lgstandards.artefacts.kinds import KindSpec
from lgstandards.rules.epay import (
    DEFAULT_FUND_TABLE,
    DEFAULT_GATEWAY_LIMITS,
    ROUTINES,
    FundRule,
)

#: Batch files larger than this are streamed when ``streaming`` is None (auto); None:
#: those larger than the whole-document size limit (``Limits.max_bytes``), so that a
#: file that can be validated whole is (the faster path), and only a larger one streams.
STREAM_THRESHOLD: int | None = None


@dataclass(frozen=True, eq=False, init=False, repr=False)
@written_out
class Profile:
    """What a deployment adds to the standards: its kinds, fund table and limits.

    ``kinds``: extra document kinds, which win over the catalogue's; ``funds``: the fund
    table of EPAY-R006 (fund code -> :class:`~lgstandards.rules.epay.FundRule`);
    ``gateway_limits``: the lowest and highest sale total of EPAY-R004;
    ``stream_threshold``: batch files larger than this many bytes are streamed when
    ``streaming`` is None (None: larger than the whole-document limit
    ``max_bytes``); ``parameters``: dated values of the rules' parameters
    (name -> ``[{"effective_from": "YYYY-MM-DD", "value": ...}]``), which replace the
    packaged ones (:mod:`lgstandards.rules.parameters`); ``signature_keys``: the PEM
    certificates or public keys trusted to sign documents (COM-R013; with none, a
    signature is checked against the key it carries, which proves the signed content is
    unchanged but not who signed it); ``restricted_charset``: warn for text outside the
    GovTalk ``RestrictedStringType``, which legacy receivers refuse (COM-R019). A council
    keeps these in a file: :func:`lgstandards.validation.profile_files.load_profile`.
    """

    kinds: tuple[KindSpec, ...] = ()
    funds: Mapping[str, FundRule] = field(default_factory=lambda: DEFAULT_FUND_TABLE)
    gateway_limits: tuple[Decimal, Decimal] = DEFAULT_GATEWAY_LIMITS
    stream_threshold: int | None = STREAM_THRESHOLD
    parameters: Mapping[str, Sequence[Mapping[str, Any]]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    signature_keys: tuple[str | bytes, ...] = ()
    restricted_charset: bool = False
    #: The council the profile is of (its code, for reference), and the file it was read from.
    council: str | None = None
    source: str | None = None

    # What dataclass would generate, written out (lgstandards._records).
    def __init__(
        self,
        kinds: tuple[KindSpec, ...] = (),
        funds: Mapping[str, FundRule] = FACTORY,
        gateway_limits: tuple[Decimal, Decimal] = DEFAULT_GATEWAY_LIMITS,
        stream_threshold: int | None = STREAM_THRESHOLD,
        parameters: Mapping[str, Sequence[Mapping[str, Any]]] = FACTORY,
        signature_keys: tuple[str | bytes, ...] = (),
        restricted_charset: bool = False,
        council: str | None = None,
        source: str | None = None,
    ) -> None:
        put = object.__setattr__
        put(self, "kinds", kinds)
        put(self, "funds", DEFAULT_FUND_TABLE if funds is FACTORY else funds)
        put(self, "gateway_limits", gateway_limits)
        put(self, "stream_threshold", stream_threshold)
        put(self, "parameters", MappingProxyType({}) if parameters is FACTORY else parameters)
        put(self, "signature_keys", signature_keys)
        put(self, "restricted_charset", restricted_charset)
        put(self, "council", council)
        put(self, "source", source)
        self.__post_init__()

    @recursive_repr()
    def __repr__(self) -> str:
        return (
            f"{self.__class__.__qualname__}(kinds={self.kinds!r}, funds={self.funds!r}, "
            f"gateway_limits={self.gateway_limits!r}, "
            f"stream_threshold={self.stream_threshold!r}, parameters={self.parameters!r}, "
            f"signature_keys={self.signature_keys!r}, "
            f"restricted_charset={self.restricted_charset!r}, council={self.council!r}, "
            f"source={self.source!r})"
        )

    def __post_init__(self) -> None:
        for code, rule in self.funds.items():
            if rule.routine is not None and rule.routine not in ROUTINES:
                raise ValueError(f"fund {code}: unknown check-digit routine {rule.routine!r}")
        minimum, maximum = (Decimal(limit) for limit in self.gateway_limits)
        if minimum > maximum:
            raise ValueError(f"gateway limits {minimum} to {maximum}: the lowest is above")
        object.__setattr__(self, "kinds", tuple(self.kinds))
        object.__setattr__(self, "funds", MappingProxyType(dict(self.funds)))
        object.__setattr__(self, "gateway_limits", (minimum, maximum))
        dated = {
            name: tuple(MappingProxyType(dict(v)) for v in values)
            for name, values in self.parameters.items()
        }
        object.__setattr__(self, "parameters", MappingProxyType(dated))
        object.__setattr__(self, "signature_keys", tuple(self.signature_keys))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # read-only mappings do not pickle: send plain ones to worker processes
        plain = tuple(_plain_kind(spec) for spec in self.kinds)
        dated = {name: [dict(v) for v in values] for name, values in self.parameters.items()}
        return (
            Profile,
            (
                plain,
                dict(self.funds),
                self.gateway_limits,
                self.stream_threshold,
                dated,
                self.signature_keys,
                self.restricted_charset,
                self.council,
                self.source,
            ),
        )

    def spec_for_kind(self, kind: str) -> KindSpec | None:
        """Return the kind named ``kind`` (the profile's first, then the catalogue's), or None."""
        for spec in self.kinds:
            if spec.kind == kind:
                return spec
        return kinds.spec_for_kind(kind)

    def spec_for_root(self, namespace: str, local: str) -> KindSpec | None:
        """Return the kind whose root element is ``{namespace}local``, or None."""
        for spec in self.kinds:
            if spec.namespace == namespace and spec.root == local:
                return spec
        return kinds.spec_for_root(namespace, local)

    def all_kinds(self) -> dict[str, KindSpec]:
        """Return every kind by name: the catalogue's and the profile's (which win)."""
        found = kinds.all_kinds()
        found.update((spec.kind, spec) for spec in self.kinds)
        return found

    @cached_property
    def prefixes(self) -> Mapping[str, str]:
        """The namespace-to-prefix map of the catalogue and the profile's kinds."""
        found = dict(kinds.prefixes())
        for spec in self.kinds:
            found.update(spec.prefixes)
        return MappingProxyType(found)


def _plain_kind(spec: KindSpec) -> KindSpec:
    return dataclasses.replace(
        spec, prefixes=dict(spec.prefixes), body_classes=dict(spec.body_classes)
    )


#: The profile of the standards alone (the illustrative fund table, GOV.UK Pay's limits).
DEFAULT_PROFILE = Profile()

_CURRENT: ContextVar[Profile] = ContextVar("lgstandards_profile", default=DEFAULT_PROFILE)


def current_profile() -> Profile:
    """Return the default profile here (:data:`DEFAULT_PROFILE` outside :func:`using_profile`)."""
    return _CURRENT.get()


@contextmanager
def using_profile(profile: Profile) -> Iterator[Profile]:
    """Make ``profile`` the default of the validations in the ``with`` block.

    The default holds in the current thread (or asyncio task) only; a ``profile``
    argument given to ``validate`` wins over it.
    """
    token = _CURRENT.set(profile)
    try:
        yield profile
    finally:
        _CURRENT.reset(token)


__all__ = [
    "DEFAULT_PROFILE",
    "STREAM_THRESHOLD",
    "Profile",
    "current_profile",
    "using_profile",
]
