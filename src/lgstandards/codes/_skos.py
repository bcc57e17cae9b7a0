"""Issue codes for SKOS vocabulary quality checks (``lgstandards vocab check``).

Names follow the qSKOS quality-issue catalogue where a check matches one of its
issues (noted in each description); the others are the library's own profile.
"""

from lgstandards.codes import IssueCode
from lgstandards.report import Severity

E = Severity.ERROR
W = Severity.WARNING

CODES = (
    IssueCode(
        "skos.syntax-error",
        E,
        "The file is not well-formed RDF in its format.",
        "Nid yw'r ffeil yn RDF wedi'i ffurfio'n dda yn ei fformat.",
    ),
    IssueCode(
        "skos.no-concepts",
        W,
        "The file holds no skos:Concept.",
        "Nid oes skos:Concept yn y ffeil.",
    ),
    IssueCode(
        "skos.missing-preflabel",
        E,
        "A concept has no skos:prefLabel (qSKOS: Missing Labels).",
        "Nid oes gan gysyniad skos:prefLabel.",
    ),
    IssueCode(
        "skos.empty-preflabel",
        E,
        "A concept's skos:prefLabel is empty or only whitespace.",
        "Mae skos:prefLabel cysyniad yn wag.",
    ),
    IssueCode(
        "skos.inconsistent-preflabels",
        E,
        "A concept has two skos:prefLabel in one language (qSKOS: Inconsistent Preferred Labels).",
        "Mae gan gysyniad ddau skos:prefLabel yn yr un iaith.",
    ),
    IssueCode(
        "skos.overlapping-labels",
        W,
        "Two concepts of one scheme share a preferred label in one language "
        "(qSKOS: Overlapping Labels).",
        "Mae dau gysyniad yn yr un cynllun yn rhannu label dewisol.",
    ),
    IssueCode(
        "skos.disjoint-labels",
        E,
        "A label is both preferred and alternative (or hidden) on one concept "
        "(qSKOS: Disjoint Labels Violation).",
        "Mae label yn ddewisol ac yn amgen ar yr un cysyniad.",
    ),
    IssueCode(
        "skos.label-whitespace",
        W,
        "A label has leading, trailing or repeated whitespace (qSKOS: Extra Whitespace in Labels).",
        "Mae gan label ofod gwyn ychwanegol.",
    ),
    IssueCode(
        "skos.missing-language-tag",
        W,
        "A label has no language tag (qSKOS: Omitted or Invalid Language Tags).",
        "Nid oes tag iaith ar label.",
    ),
    IssueCode(
        "skos.not-in-scheme",
        E,
        "A concept is in no concept scheme (no skos:inScheme, skos:topConceptOf).",
        "Nid yw cysyniad mewn unrhyw gynllun cysyniadau.",
    ),
    IssueCode(
        "skos.orphan-concept",
        W,
        "A concept has no broader, narrower or related concept and is not a top concept "
        "(qSKOS: Orphan Concepts).",
        "Nid yw cysyniad yn perthyn i unrhyw gysyniad arall ac nid yw'n gysyniad brig.",
    ),
    IssueCode(
        "skos.cyclic-hierarchy",
        E,
        "skos:broader (or skos:narrower) relations form a cycle "
        "(qSKOS: Cyclic Hierarchical Relations).",
        "Mae perthnasoedd skos:broader yn ffurfio cylch.",
    ),
    IssueCode(
        "skos.relation-clash",
        E,
        "A concept is both broader and related to another (qSKOS: Relation Clashes).",
        "Mae cysyniad yn ehangach ac yn perthyn i gysyniad arall.",
    ),
    IssueCode(
        "skos.top-concept-has-broader",
        E,
        "A top concept has a broader concept (qSKOS: Top Concept Having Broader Concepts).",
        "Mae gan gysyniad brig gysyniad ehangach.",
    ),
    IssueCode(
        "skos.missing-notation",
        E,
        "A concept has no skos:notation (its code).",
        "Nid oes gan gysyniad skos:notation (ei god).",
    ),
    IssueCode(
        "skos.duplicate-notation",
        E,
        "Two concepts of one scheme share a skos:notation.",
        "Mae dau gysyniad yn yr un cynllun yn rhannu skos:notation.",
    ),
    IssueCode(
        "skos.undefined-concept",
        E,
        "A relation (broader, narrower, related, isReplacedBy, top concept) points to a concept "
        "that is not defined in the vocabulary.",
        "Mae perthynas yn pwyntio at gysyniad nad yw wedi'i ddiffinio yn yr eirfa.",
    ),
    IssueCode(
        "skos.deprecated-without-reason",
        E,
        "A deprecated concept has no skos:changeNote giving the date and reason.",
        "Nid oes gan gysyniad anghymeradwy skos:changeNote yn rhoi'r dyddiad a'r rheswm.",
    ),
    IssueCode(
        "skos.replaced-not-deprecated",
        W,
        "A concept has dct:isReplacedBy but is not deprecated.",
        "Mae gan gysyniad dct:isReplacedBy ond nid yw wedi'i anghymeradwyo.",
    ),
    IssueCode(
        "skos.replacement-deprecated",
        E,
        "Following dct:isReplacedBy from a concept ends in a deprecated concept with no "
        "replacement.",
        "Mae'r gadwyn dct:isReplacedBy yn gorffen mewn cysyniad anghymeradwy.",
    ),
    IssueCode(
        "skos.replacement-cycle",
        E,
        "dct:isReplacedBy relations form a loop.",
        "Mae perthnasoedd dct:isReplacedBy yn ffurfio dolen.",
    ),
    IssueCode(
        "skos.deprecated-replacement",
        W,
        "A deprecated concept is named as the replacement of another concept "
        "(point the replacement at the current concept instead).",
        "Mae cysyniad anghymeradwy wedi'i enwi fel y cysyniad newydd ar gyfer un arall.",
    ),
    IssueCode(
        "skos.shacl-result",
        E,
        "A SHACL result from a shape that names no lgstandards code (custom shapes).",
        "Canlyniad SHACL o siâp nad yw'n enwi cod lgstandards.",
    ),
)
