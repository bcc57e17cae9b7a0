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
