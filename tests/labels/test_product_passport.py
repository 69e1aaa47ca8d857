"""The product passport behind a tag's QR code: in the visitor's language, with its maker, origin,
materials, care and labels and each certificate's status as it is now; as JSON and JSON-LD; reached by
GS1 Digital Link when the product has a GTIN; never for a product that was never on sale."""

import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.models import Product, ProductPage
from labels.services import label_certificate_suspend

pytestmark = pytest.mark.django_db


def passport_json_ld(response) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(block.group(1))


class TestPassport:
    @pytest.mark.parametrize("language, heading", [("en", "Product passport"), ("fr", "Passeport produit"),
                                                   ("ar", "جواز المنتج")])
    def test_it_speaks_the_visitors_language_and_shows_the_live_label(self, client, certificate, applicant,
                                                                      language, heading):
        _user, seller, product = applicant
        Product.objects.filter(pk=product.pk).update(fibre_composition="100% wool", product_identifier="TAZ-24-07")
        ProductPage.objects.filter(product=product).update(care_instructions="Shake it out, never machine-wash.")
        response = client.get(f"/p/{product.pk}/", headers={"accept-language": language})
        html = response.content.decode()
        assert response.status_code == 200 and heading in html
        page = ProductPage.objects.get(product=product, locale__language_code=language)
        assert page.title in html and seller.legal_name in html
        assert "100% wool" in html and "TAZ-24-07" in html and "never machine-wash" in html
        assert f'data-label="{certificate.number}" data-label-status="active"' in html
        assert f"/verify/{certificate.number}/" in html

    def test_the_label_status_is_the_certificates_status_now(self, client, certificate, applicant, inspector):
        product = applicant[2]
        label_certificate_suspend(certificate=certificate, by=inspector, reason="Dyes under review.")
        html = client.get(f"/p/{product.pk}/").content.decode()
        assert f'data-label="{certificate.number}" data-label-status="suspended"' in html

    def test_json_and_json_ld_carry_the_identifier_carrier_operator_and_labels(self, client, certificate, applicant):
        _user, seller, product = applicant
        data = client.get(f"/p/{product.pk}.json").json()
        assert data["identifier"].endswith(f"/p/{product.pk}/") and data["data_carrier"].startswith("QR code")
        assert data["maker"]["name"] == seller.legal_name and data["country_of_origin"] == "MA"
        assert [label["status"] for label in data["labels"]] == ["active"]
        structured = passport_json_ld(client.get(f"/p/{product.pk}/"))
        assert structured["@type"] == "Product" and structured["manufacturer"]["name"] == seller.legal_name
        assert structured["hasCertification"][0]["certificationIdentification"] == certificate.number

    def test_a_script_closing_tag_in_a_title_cannot_break_out_of_the_json_ld(self, client, applicant):
        product = applicant[2]
        ProductPage.objects.filter(product=product).update(title="Rug</script><script>alert(1)</script>")
        response = client.get(f"/p/{product.pk}/")
        assert "</script><script>alert(1)" not in response.content.decode()
        assert passport_json_ld(response)["name"] == "Rug</script><script>alert(1)</script>"

    def test_a_product_never_on_sale_or_unknown_has_no_passport(self, client, applicant):
        product = applicant[2]
        ProductPage.objects.filter(product=product).update(first_published_at=None, live=False)
        assert client.get(f"/p/{product.pk}/").status_code == 404
        assert client.get(f"/p/{product.pk}.json").status_code == 404
        assert client.get("/p/999999/").status_code == 404

    def test_a_withdrawn_product_keeps_its_passport_without_a_shop_link(self, client, applicant):
        product = applicant[2]
        ProductPage.objects.filter(product=product).update(live=False)
        response = client.get(f"/p/{product.pk}/")
        assert response.status_code == 200 and "See it in the shop" not in response.content.decode()


class TestGtin:
    def test_gs1_digital_link_resolves_to_the_passport(self, client, applicant):
        product = applicant[2]
        Product.objects.filter(pk=product.pk).update(gtin="6111245590017")
        for path in ("/01/6111245590017/", "/01/6111245590017/10/TAZ-24-07"):
            response = client.get(path)
            assert response.status_code == 200 and f'data-passport="{product.pk}"' in response.content.decode()
        for path in ("/01/6111245590018/", "/01/abc/", "/01/" + "9" * 40 + "/", "/01/%00/"):
            assert client.get(path).status_code == 404

    @pytest.mark.parametrize("gtin", ["6111245590018", "12345", "61112455900a7", "6111245590017 "])
    def test_a_wrong_gtin_is_refused(self, applicant, gtin):
        product = applicant[2]
        product.gtin = gtin
        with pytest.raises(ValidationError) as refused:
            product.full_clean()
        assert "gtin" in refused.value.message_dict


def test_the_seller_tag_sheet_offers_one_qr_per_product(client, certificate, applicant):
    user, _seller, product = applicant
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    html = client.get(reverse("certificate_tag", args=[certificate.pk]) + f"?product={product.pk}").content.decode()
    assert f'data-scan-url="http://testserver/p/{product.pk}/"' in html
