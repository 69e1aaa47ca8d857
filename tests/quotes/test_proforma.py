"""The pro-forma invoice of a quote: the PDF holds the reference, parties, incoterm, lines, totals, deposit
and balance (in the base currency, the total also about so much in the request's currency), and the
task that the quote's sending queues stores it privately."""

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from pypdf import PdfReader

from currency.models import ExchangeRate
from currency.selectors import RATES_CACHE_KEY
from marketplace.quotes.models import Quote
from marketplace.quotes.proforma import proforma_pdf
from marketplace.quotes.tasks import quote_proforma_make
from marketplace.trade.models import TradeCompany
from sellers.models import seller_document_storage
from tests.factories.quotes import quote_request_made, quote_sent
from tests.factories.sellers import SellerFactory
from tests.factories.trade import TradeCompanyFactory, trade_buyer_create

pytestmark = pytest.mark.django_db

ARABIC_NAME = "تعاونية الأمل للفخار"


def pdf_text(data: bytes) -> str:
    """The text of every page, whitespace collapsed (a cell may wrap its text over two lines)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def dirhams(amount: str) -> str:
    """As English writes the base currency, "MAD 1,234.50" (its no-break space is collapsed by ``pdf_text``)."""
    return f"MAD {Decimal(amount):,.2f}"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path, monkeypatch):
    """Files of this module's tests only (the field's storage is made once, when the model is loaded)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    monkeypatch.setattr(Quote._meta.get_field("proforma"), "storage", seller_document_storage())
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def rates():
    """10 dirhams to the euro, so that the converted total reads plainly."""
    ExchangeRate.objects.filter(currency="MAD").update(per_euro=Decimal("10"))
    ExchangeRate.objects.filter(currency="EUR").update(per_euro=Decimal("1"))
    cache.delete(RATES_CACHE_KEY)


def quoted(*, currency="EUR", **quote_fields) -> Quote:
    """A Dutch importer asks an Arabic-named cooperative in Safi for 300 tagines; the cooperative quotes."""
    seller = SellerFactory(legal_name=ARABIC_NAME, city="Safi", register_number="4521/2019",
                           postal_address="Quartier des potiers, 46000 Safi")
    company = TradeCompanyFactory(legal_name="Interieur Winkel Rotterdam B.V.", vat_number="NL004495445B01",
                                  eori_number="NL123456789")
    request = quote_request_made(sellers=[seller], buyer=trade_buyer_create(company), currency=currency)
    return quote_sent(request.threads.get(), **quote_fields)


class TestProformaContent:
    def test_it_holds_the_reference_parties_incoterm_lines_totals_deposit_and_balance(self, rates):
        quote = quoted(notes="Glaze colour to approve on a sample first.")
        data = proforma_pdf(quote)
        assert data.startswith(b"%PDF")
        text = pdf_text(data)
        assert "PRO-FORMA INVOICE" in text
        assert f"Pro-forma invoice number {quote.reference}" in text
        assert f"Request for quote {quote.thread.request.reference}" in text
        assert f"Date {timezone.localdate().isoformat()}" in text
        assert f"Valid until {quote.valid_until.isoformat()}" in text
        assert "Incoterm DAP Rotterdam" in text and "Currency MAD" in text
        assert "45 days from the deposit to dispatch" in text and "8 days from dispatch" in text
        # 300 × 120.00 + 300 × 15.50 = 40,650.00; with 1,500.00 of shipping, 42,150.00.
        assert f"6912.00 300 {dirhams('120.00')} {dirhams('36000.00')}" in text
        assert f"4819.20 300 {dirhams('15.50')} {dirhams('4650.00')}" in text
        assert f"Products {dirhams('40650.00')}" in text and f"Shipping {dirhams('1500.00')}" in text
        assert f"Total {dirhams('42150.00')}" in text
        assert "Total in EUR about €4,215.00" in text
        # 30 % of 42,150.00 is 12,645.00; the balance 29,505.00.
        assert f"Deposit (30%) {dirhams('12645.00')}" in text and f"Balance {dirhams('29505.00')}" in text
        assert "not a demand for payment" in text
        assert "Glaze colour to approve on a sample first." in text

    def test_the_seller_is_named_in_arabic_and_the_buyer_with_its_vat_and_eori_numbers(self, rates):
        quote = quoted()
        text = pdf_text(proforma_pdf(quote))
        assert ARABIC_NAME in text
        assert "Register number: 4521/2019" in text and "Quartier des potiers, 46000 Safi" in text
        assert "Morocco" in text
        assert "Interieur Winkel Rotterdam B.V." in text and "Netherlands" in text
        assert "VAT number: NL004495445B01" in text and "EORI number: NL123456789" in text
        assert "Destination: Rotterdam, Netherlands" in text

    def test_a_sample_quote_is_paid_in_full_and_says_whether_it_is_credited(self, rates):
        quote = quoted(kind=Quote.Kind.SAMPLE, shipping="0", sample_credited=True)
        text = pdf_text(proforma_pdf(quote))
        assert "Quote for samples" in text and "Incoterm EXW Safi" in text
        assert "Deposit" not in text and "Balance" not in text
        assert "45 days from payment to dispatch" in text
        assert "credited against the bulk order" in text and "not credited" not in text

    def test_a_sample_quote_not_credited_says_so(self, rates):
        text = pdf_text(proforma_pdf(quoted(kind=Quote.Kind.SAMPLE, shipping="0")))
        assert "not credited against a bulk order" in text

    def test_a_request_in_the_base_currency_shows_no_converted_total(self, rates):
        text = pdf_text(proforma_pdf(quoted(currency="MAD")))
        assert "Total in" not in text and "about" not in text

    def test_it_is_written_in_the_active_language(self, rates):
        quote = quoted()
        with translation.override("fr"):
            data = proforma_pdf(quote)
        text = pdf_text(data)
        assert quote.reference in text and ARABIC_NAME in text

    def test_the_same_quote_makes_the_same_bytes(self, rates):
        quote = quoted()
        assert proforma_pdf(quote) == proforma_pdf(quote)


class TestProformaTask:
    def test_sending_a_quote_stores_its_proforma_privately(self, rates, private_media,
                                                           django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            quote = quoted()
        quote.refresh_from_db()
        assert quote.proforma.name.endswith(f"{quote.reference}-proforma.pdf")
        assert (private_media / quote.proforma.name).is_file()
        with quote.proforma.open("rb") as stored:
            assert quote.reference in pdf_text(stored.read())

    def test_making_it_again_replaces_the_file(self, rates, private_media):
        quote = quoted()
        quote_proforma_make(quote.pk)
        quote.refresh_from_db()
        first = quote.proforma.name
        assert (private_media / first).is_file()
        TradeCompany.objects.filter(pk=quote.thread.request.company_id).update(eori_number="NL999999999")
        quote_proforma_make(quote.pk)
        quote.refresh_from_db()
        assert (private_media / quote.proforma.name).is_file()
        with quote.proforma.open("rb") as stored:
            assert "NL999999999" in pdf_text(stored.read())
        if quote.proforma.name != first:
            assert not (private_media / first).exists()

    def test_a_quote_gone_is_ignored(self):
        quote_proforma_make(987654)
