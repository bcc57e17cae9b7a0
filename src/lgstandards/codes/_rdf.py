"""Issue codes of RDF validation: parsing and SHACL shapes (service catalogues)."""

from lgstandards.codes import IssueCode
from lgstandards.report import Severity

E = Severity.ERROR
W = Severity.WARNING
I = Severity.INFO  # noqa: E741

CODES = (
    IssueCode(
        "rdf.syntax-error",
        E,
        "The document is not well-formed in its RDF syntax.",
        "Nid yw'r ddogfen wedi'i ffurfio'n dda yn ei chystrawen RDF.",
    ),
    IssueCode(
        "rdf.empty",
        E,
        "The RDF document holds no triples.",
        "Nid oes unrhyw driphlyg yn y ddogfen RDF.",
    ),
    IssueCode(
        "rdf.bad-iri",
        E,
        "An IRI is not valid (RFC 3987), or not absolute: reported once per IRI; the rest of "
        "the graph is still checked.",
        "Nid yw IRI yn ddilys (RFC 3987), neu nid yw'n absoliwt: adroddir unwaith am bob IRI; "
        "mae gweddill y graff yn dal i gael ei wirio.",
    ),
    IssueCode(
        "rdf.bad-language-tag",
        E,
        "A language tag is not valid (BCP 47): reported once per tag.",
        "Nid yw tag iaith yn ddilys (BCP 47): adroddir unwaith am bob tag.",
    ),
    IssueCode(
        "rdf.too-deep",
        E,
        "Brackets are nested deeper than the depth limit (Turtle, N-Triples, JSON-LD).",
        "Mae cromfachau wedi'u nythu'n ddyfnach na'r terfyn dyfnder (Turtle, N-Triples, JSON-LD).",
    ),
    IssueCode(
        "rdf.too-long",
        E,
        "A literal or IRI is longer than the text limit or the parser's buffer.",
        "Mae llythrennol neu IRI yn hwy na'r terfyn testun neu glustog y dosrannydd.",
    ),
    IssueCode(
        "rdf.parser-crashed",
        E,
        "The RDF parser crashed on this document (in a separate process; other documents "
        "are not affected).",
        "Chwalodd y dosrannydd RDF ar y ddogfen hon (mewn proses ar wahân; nid effeithir ar "
        "ddogfennau eraill).",
    ),
    IssueCode(
        "shacl.violation",
        E,
        "A node breaks a SHACL shape of the service catalogue (severity Violation).",
        "Mae nod yn torri siâp SHACL y catalog gwasanaethau (difrifoldeb Violation).",
    ),
    IssueCode(
        "shacl.warning",
        W,
        "A node breaks a SHACL shape of severity Warning.",
        "Mae nod yn torri siâp SHACL o ddifrifoldeb Warning.",
    ),
    IssueCode(
        "shacl.info",
        I,
        "A SHACL shape of severity Info reports a node.",
        "Mae siâp SHACL o ddifrifoldeb Info yn adrodd ar nod.",
    ),
)
