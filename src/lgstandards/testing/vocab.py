"""Strategies for the code lists and the documents made of codes (needs ``hypothesis``).

Codes in force, codes that break one vocabulary check, and the documents built from
them (councils' transactions lists and RDF service catalogues), so suppliers can
property-test what their products do with LGSL and LGIL codes::

    from hypothesis import given
    from lgstandards.testing.vocab import lgsl_codes, unknown_lgsl_codes

    @given(lgsl_codes())
    def test_every_service_has_a_page(code): ...

    @given(unknown_lgsl_codes())
    def test_unknown_service_is_refused(code): ...

The strategies named in :data:`BREAKS` draw codes that the validator reports with
exactly one issue code when they appear in a message or catalogue (for example
``vocab.unknown-code``); the documents can break the rules in :data:`BREAKABLE`. The
shipped lists have no deprecated code today, so :func:`deprecated_lgsl_codes` and
:func:`deprecated_lgil_codes` are empty strategies (``.is_empty``) until a release
deprecates one. Install with ``pip install 'lgstandards[testing]'``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Literal

from lgstandards.models import transactions as tx
from lgstandards.testing._hypothesis import st
from lgstandards.testing.common import councils, recent_dates, text
from lgstandards.vocab.concepts import UNOFFICIAL_FROM
from lgstandards.vocab.types import LGILCode, LGSLCode, Transaction

#: Highest LGIL code the schemas allow (LGILCodeType: 0 to 34 but 18 and 19).
LGIL_MAX = 34

#: Strategy name -> the one issue code a drawn value raises in a message or catalogue.
BREAKS: dict[str, str] = {
    "unknown_lgsl_codes": "vocab.unknown-code",
    "unknown_lgil_codes": "vocab.unknown-code",
    "unofficial_lgsl_codes": "vocab.unofficial-code",
    "deprecated_lgsl_codes": "vocab.deprecated-code",
    "deprecated_lgil_codes": "vocab.deprecated-code",
}

#: What :func:`service_catalogues` can break on request (issue codes).
CATALOGUE_BREAKS = ("vocab.unknown-code", "vocab.unofficial-code", "shacl.violation")

#: The rules (or issue codes) each document strategy can break on request.
BREAKABLE: dict[str, tuple[str, ...]] = {
    "council_transactions": ("TX-R001", "TX-R002"),
    "service_catalogues": CATALOGUE_BREAKS,
}

_SERVICE = "http://id.esd.org.uk/service/"
_INTERACTION = "http://id.esd.org.uk/interaction/"


@cache
def _codes(list_name: str, deprecated: bool) -> tuple[int, ...]:
    from lgstandards.vocab import get_list

    vocabulary: Any = get_list(list_name)
    return tuple(
        sorted(c.code for c in vocabulary if bool(getattr(c, "deprecated", False)) == deprecated)
    )


def list_codes(name: str, *, include_deprecated: bool = False) -> st.SearchStrategy[int]:
    """Draw a code of the shipped list ``name``.

    ``name`` is ``lgsl``, ``lgil``, ``functions``, ``lgnl`` or ``tiers``. Deprecated
    codes are left out unless ``include_deprecated``.
    """
    codes = _codes(name, False) + (_codes(name, True) if include_deprecated else ())
    return st.sampled_from(sorted(codes))


def lgsl_codes(*, include_deprecated: bool = False) -> st.SearchStrategy[LGSLCode]:
    """Draw an LGSL service code in the shipped list (an :class:`~lgstandards.vocab.LGSLCode`)."""
    return list_codes("lgsl", include_deprecated=include_deprecated).map(LGSLCode)


def lgil_codes(*, include_deprecated: bool = False) -> st.SearchStrategy[LGILCode]:
    """Draw an LGIL code in the shipped list (an :class:`~lgstandards.vocab.LGILCode`)."""
    return list_codes("lgil", include_deprecated=include_deprecated).map(LGILCode)


def function_codes() -> st.SearchStrategy[int]:
    """Draw a code of the shipped functions list."""
    return list_codes("functions")


def lgnl_codes() -> st.SearchStrategy[int]:
    """Draw a code of the shipped LGNL navigation list."""
    return list_codes("lgnl")


def tier_codes() -> st.SearchStrategy[int]:
    """Draw a code of the shipped list of council tiers."""
    return list_codes("tiers")


def _sampled(values: Sequence[int]) -> st.SearchStrategy[int]:
    return st.sampled_from(values) if values else st.nothing()


def deprecated_lgsl_codes() -> st.SearchStrategy[LGSLCode]:
    """Draw a deprecated LGSL code (``st.nothing()`` while the shipped list deprecates none)."""
    return _sampled(_codes("lgsl", True)).map(LGSLCode)


def deprecated_lgil_codes() -> st.SearchStrategy[LGILCode]:
    """Draw a deprecated LGIL code (``st.nothing()`` while the shipped list deprecates none)."""
    return _sampled(_codes("lgil", True)).map(LGILCode)


def unknown_lgsl_codes() -> st.SearchStrategy[int]:
    """Draw a positive code below the unofficial range that is not in the LGSL list."""
    known = frozenset(_codes("lgsl", False) + _codes("lgsl", True))
    gaps = [c for c in range(1, max(known) + 1) if c not in known]
    beyond = st.integers(max(known) + 1, UNOFFICIAL_FROM - 1)
    return st.one_of(st.sampled_from(gaps), beyond) if gaps else beyond


def unofficial_lgsl_codes() -> st.SearchStrategy[int]:
    """Draw a GOV.UK unofficial LGSL code (100000 and up): a warning, not an error."""
    return st.integers(UNOFFICIAL_FROM, 999_999)


def unknown_lgil_codes() -> st.SearchStrategy[int]:
    """Draw an interaction code not in the LGIL list (18, 19, or above 34).

    Message schemas refuse these already (``xsd.pattern``); in RDF catalogues the
    cross-check reports ``vocab.unknown-code``.
    """
    known = frozenset(_codes("lgil", False) + _codes("lgil", True))
    gaps = [c for c in range(LGIL_MAX + 1) if c not in known]
    return st.one_of(st.sampled_from(gaps), st.integers(LGIL_MAX + 1, 999))


@cache
def _published_pairs() -> tuple[tuple[int, int], ...]:
    from lgstandards.vocab import transactions

    services = frozenset(_codes("lgsl", False))
    interactions = frozenset(_codes("lgil", False))
    return tuple(
        sorted(
            (pair.service_code, pair.interaction_code)
            for pair in transactions
            if pair.service_code in services and pair.interaction_code in interactions
        )
    )


def transactions(*, published: bool = True) -> st.SearchStrategy[Transaction]:
    """Draw a service x interaction pair (a :class:`~lgstandards.vocab.Transaction`).

    ``published`` (the default) draws pairs from the shipped transactions list whose
    codes are both in force; otherwise any pair of codes in force.
    """
    if published:
        pairs: st.SearchStrategy[tuple[int, int]] = st.sampled_from(_published_pairs())
    else:
        pairs = st.tuples(lgsl_codes(), lgil_codes())
    return pairs.map(lambda p: Transaction(service=p[0], interaction=p[1]))


def _check(strategy: str, breaks: str | None) -> None:
    """Refuse a rule the strategy cannot break, before anything is drawn."""
    if breaks is not None and breaks not in BREAKABLE[strategy]:
        raise ValueError(
            f"{strategy} cannot break {breaks!r}; choose from {', '.join(BREAKABLE[strategy])}"
        )


def council_transactions(breaks: str | None = None) -> st.SearchStrategy[tx.CouncilTransactions]:
    """Draw a council's transactions list: codes in force, each pair once, https links.

    ``breaks``: TX-R001 (a pair listed twice) or TX-R002 (an http link, a warning).
    """
    _check("council_transactions", breaks)
    return _council_transactions(breaks)


@st.composite
def _council_transactions(draw: st.DrawFn, breaks: str | None) -> tx.CouncilTransactions:
    pairs = draw(
        st.lists(
            st.tuples(lgsl_codes(), lgil_codes()).map(lambda p: (int(p[0]), int(p[1]))),
            min_size=1,
            max_size=6,
            unique=True,
        )
    )
    links = [
        tx.TransactionLink(
            lgsl=lgsl,
            lgil=lgil,
            url=f"https://www.example.org/services/{lgsl}/{lgil}",
            name=draw(st.none() | text(1, 255)),
        )
        for lgsl, lgil in pairs
    ]
    if breaks == "TX-R001":
        links.append(links[0].model_copy())
    elif breaks == "TX-R002":
        links[0] = links[0].model_copy(update={"url": links[0].url.replace("https:", "http:")})
    return tx.CouncilTransactions(
        council=draw(councils),
        council_name=draw(st.none() | text(1, 100)),
        published=draw(recent_dates),
        link=links,
    )


_TITLES = ("Council tax bill", "Bin collection", "Treth gyngor", "Casglu sbwriel", "Parking")


def _catalogue_text(
    style: Literal["cpsv", "schema"],
    services: Sequence[tuple[int, Sequence[int]]],
    titles: Sequence[str],
    untyped: int | None,
) -> str:
    lines = [
        "# A generated, fictional council service catalogue (example.org).",
        "@prefix cpsv: <http://purl.org/vocab/cpsv#> .",
        "@prefix cv: <http://data.europa.eu/m8g/> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        "@prefix schema: <http://schema.org/> .",
    ]
    for index, ((service, channels), title) in enumerate(zip(services, titles, strict=True)):
        subject = f"<https://council.example.org/services/s{index}>"
        channel_ids = [f"<https://council.example.org/channels/s{index}c{n}>" for n in channels]
        quoted = title.replace("\\", "\\\\").replace('"', '\\"')
        typed = index != untyped
        if style == "cpsv":
            lines.append(f"{subject} a cpsv:PublicService ;")
            lines.append(f'    dct:title "{quoted}"@en ;')
            lines.append(f'    dct:description "About {quoted}."@en ;')
            if typed:
                lines.append(f"    dct:type <{_SERVICE}{service}> ;")
            else:
                lines.append('    dct:type "not a service URI" ;')
            for channel in channel_ids:
                lines.append(f"    cpsv:hasChannel {channel} ;")
            lines[-1] = lines[-1][:-2] + " ."
            for channel, interaction in zip(channel_ids, channels, strict=True):
                lines.append(f"{channel} a cv:Channel ; dct:type <{_INTERACTION}{interaction}> .")
        else:
            lines.append(f"{subject} a schema:GovernmentService ;")
            lines.append(f'    schema:name "{quoted}" ;')
            if typed:
                lines.append(f"    schema:additionalType <{_SERVICE}{service}> ;")
            else:
                lines.append('    schema:additionalType "not a service URI" ;')
            for channel in channel_ids:
                lines.append(f"    schema:availableChannel {channel} ;")
            lines[-1] = lines[-1][:-2] + " ."
            for channel, interaction in zip(channel_ids, channels, strict=True):
                lines.append(
                    f"{channel} a schema:ServiceChannel ; "
                    f"schema:additionalType <{_INTERACTION}{interaction}> ."
                )
    return "\n".join(lines) + "\n"


def service_catalogues(breaks: str | None = None) -> st.SearchStrategy[str]:
    """Draw a council's service catalogue as Turtle (CPSV-AP or schema.org), typed with codes.

    Valid against the SHACL shapes and the vocabulary cross-checks by default. With
    ``breaks`` (one of :data:`CATALOGUE_BREAKS`) exactly one service breaks that
    check: an unknown LGSL or LGIL code, an unofficial LGSL code (a warning), or a
    service typed with something other than an LGSL URI (``shacl.violation``).
    Validate with ``kind="rdf.service-catalogue"`` when passing the text as bytes.
    """
    _check("service_catalogues", breaks)
    return _catalogues(breaks)


@st.composite
def _catalogues(draw: st.DrawFn, breaks: str | None) -> str:
    style: Literal["cpsv", "schema"] = draw(st.sampled_from(("cpsv", "schema")))
    services = draw(
        st.lists(
            st.tuples(lgsl_codes(), st.lists(lgil_codes(), min_size=0, max_size=3, unique=True)),
            min_size=1,
            max_size=4,
            unique_by=lambda s: s[0],
        )
    )
    chosen = [(int(code), [int(c) for c in channels]) for code, channels in services]
    titles = draw(st.lists(st.sampled_from(_TITLES), min_size=len(chosen), max_size=len(chosen)))
    target = draw(st.integers(0, len(chosen) - 1))
    untyped = None
    if breaks == "vocab.unknown-code":
        if draw(st.booleans()):
            chosen[target] = (draw(unknown_lgsl_codes()), chosen[target][1])
        else:
            channels = chosen[target][1]
            chosen[target] = (chosen[target][0], [*channels, draw(unknown_lgil_codes())])
    elif breaks == "vocab.unofficial-code":
        chosen[target] = (draw(unofficial_lgsl_codes()), chosen[target][1])
    elif breaks == "shacl.violation":
        untyped = target
    return _catalogue_text(style, chosen, titles, untyped)


#: A strategy for each document kind, by its kind in the catalogue.
STRATEGIES: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "transactions.council-list": council_transactions,
    "rdf.service-catalogue": service_catalogues,
}

__all__ = [
    "BREAKABLE",
    "BREAKS",
    "CATALOGUE_BREAKS",
    "LGIL_MAX",
    "STRATEGIES",
    "UNOFFICIAL_FROM",
    "council_transactions",
    "deprecated_lgil_codes",
    "deprecated_lgsl_codes",
    "function_codes",
    "lgil_codes",
    "lgnl_codes",
    "lgsl_codes",
    "list_codes",
    "service_catalogues",
    "tier_codes",
    "transactions",
    "unknown_lgil_codes",
    "unknown_lgsl_codes",
    "unofficial_lgsl_codes",
]
