"""The exporter's statement on origin that a commercial invoice carries, in each agreement's own wording.

One table, keyed by the destination rule's code and the goods' country of origin: the wordings are legal
texts, so they are kept here word for word, with their source (docs/cross-border.md lists the sources and
who checks them). They stay in English, one of the agreements' authentic languages, whatever the language
of the rest of the invoice: customs read the text the agreement prescribes, not a translation of it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class OriginStatementWording:
    agreement: str
    # ``{origin}``: the country of origin's name; ``{authorisation}``: the clause below, or nothing.
    text: str
    # Only an approved exporter states its authorisation number; the others leave the clause out, as the
    # agreement's footnote allows.
    authorisation: str
    source: str


# The PEM Convention (Appendix I, Annex IV "Text of the origin declaration"), which the EU–Morocco and
# UK–Morocco agreements apply; Protocol 4 of the EU–Morocco Association Agreement has the same text.
PEM_ORIGIN_DECLARATION = OriginStatementWording(
    agreement="Regional Convention on pan-Euro-Mediterranean preferential rules of origin",
    text=(
        "The exporter of the products covered by this document{authorisation} declares that, except where "
        "otherwise clearly indicated, these products are of {origin} preferential origin."
    ),
    authorisation=" (customs or competent governmental authority authorisation No {number})",
    source="PEM Convention, Appendix I, Annex IV; EU–Morocco Association Agreement, Protocol 4, Annex IV",
)

# The EU–Central Africa interim EPA (Annex II, Annex IV "Invoice declaration"), and the UK–Cameroon EPA
# that rolled it over.
EPA_INVOICE_DECLARATION = OriginStatementWording(
    agreement="Interim Economic Partnership Agreement with Central Africa (Cameroon)",
    text=(
        "The exporter of the products covered by this document{authorisation} declares that, except where "
        "otherwise clearly indicated, these products are of {origin} preferential origin."
    ),
    authorisation=" (customs or competent governmental authority authorisation No {number})",
    source="EU–Central Africa interim EPA, Protocol 1, Annex IV",
)

# The US–Morocco FTA prescribes no form: the importer claims the preference on the basis of a
# certification that names the exporter, producer and importer, describes the goods with their HS
# classification (all on the invoice) and is signed and dated. No value limit, no approval.
US_MOROCCO_CERTIFICATION = OriginStatementWording(
    agreement="United States–Morocco Free Trade Agreement",
    text=(
        "The exporter of the goods covered by this document{authorisation} certifies that, except where "
        "otherwise clearly indicated, these goods originate in {origin} and qualify as originating goods "
        "for preferential tariff treatment under the United States–Morocco Free Trade Agreement "
        "(Chapter Five, Rules of Origin). The exporter, producer, importer, description and HS "
        "classification of the goods are as stated on this invoice."
    ),
    authorisation="",
    source="US–Morocco FTA, Chapter Five (Rules of Origin); CBP's implementing regulations, 19 CFR Part 10",
)

ORIGIN_STATEMENT_WORDINGS: dict[tuple[str, str], OriginStatementWording] = {
    ("EU", "MA"): PEM_ORIGIN_DECLARATION,
    ("GB", "MA"): PEM_ORIGIN_DECLARATION,
    ("EU", "CM"): EPA_INVOICE_DECLARATION,
    ("GB", "CM"): EPA_INVOICE_DECLARATION,
    ("US", "MA"): US_MOROCCO_CERTIFICATION,
}


def origin_statement_wording(rule_code: str, origin_country: str) -> OriginStatementWording | None:
    """The wording for goods of this origin entering under this destination rule; ``None`` without one."""
    return ORIGIN_STATEMENT_WORDINGS.get((rule_code, origin_country))


def origin_statement_text(wording: OriginStatementWording, *, origin: str, authorisation_number: str = "") -> str:
    """The statement filled in: the origin's name and, for an approved exporter, its authorisation number."""
    clause = wording.authorisation.format(number=authorisation_number) if authorisation_number else ""
    return wording.text.format(origin=origin, authorisation=clause)
