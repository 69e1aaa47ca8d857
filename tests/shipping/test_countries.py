"""Country lists: babel's names of the ISO 3166 countries in the page's language, sorted as that language
sorts them, less the deployment's exclusions (staff edit them; EH in Morocco); the country chosen in
the basket is the checkout's."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from marketplace.checkout.forms import CheckoutForm
from marketplace.shipping.countries import (
    ISO_COUNTRY_CODES,
    country_choices,
    country_name,
    country_sort_key,
)
from marketplace.shipping.models import CountrySettings
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import PARIS, europe_zone, order_for
from tests.factories.sellers import SellerFactory

pytestmark = pytest.mark.django_db


class TestTheList:
    def test_western_sahara_is_not_offered_in_this_deployment(self):
        assert "EH" not in dict(country_choices("fr"))
        assert "Sahara occidental" not in dict(country_choices("fr")).values()
        assert "EH" not in dict(country_choices("ar")) and "EH" not in dict(country_choices("en"))

    def test_accented_names_sort_with_their_letter_in_french(self):
        names = [name for _code, name in country_choices("fr")]
        assert names.index("Égypte") < names.index("Espagne") < names.index("Zimbabwe")
        assert names.index("Émirats arabes unis") < names.index("Érythrée") < names.index("Estonie")
        assert names[-1] == "Zimbabwe"
        assert [country_sort_key(name) for name in names] == sorted(country_sort_key(name) for name in names)

    def test_the_collation_key_ignores_accents_and_case(self):
        assert country_sort_key("Égypte") == "egypte" and country_sort_key("Åland") == "aland"

    def test_only_countries_are_listed_never_regions_or_groupings(self):
        codes = set(dict(country_choices("en")))
        assert codes <= ISO_COUNTRY_CODES and {"001", "EU", "QO", "150", "EZ", "UN"}.isdisjoint(codes)
        assert len(codes) == len(ISO_COUNTRY_CODES) - 1  # all but EH

    def test_names_are_in_the_pages_language(self):
        with translation.override("fr"):
            assert dict(country_choices())["DE"] == "Allemagne"
        with translation.override("ar"):
            assert dict(country_choices())["MA"] == "المغرب"

    def test_an_excluded_country_is_still_named_where_it_was_stored(self):
        assert country_name("EH", "fr") == "Sahara occidental"


class TestStaffEditTheExclusions:
    def test_the_list_starts_from_the_deployments_setting(self, settings):
        settings.COUNTRIES_EXCLUDED = ["EH", "AQ"]
        assert CountrySettings.load().excluded == "EH, AQ"
        assert {"EH", "AQ"}.isdisjoint(dict(country_choices("en")))

    def test_a_change_by_staff_applies_at_once(self):
        assert "EH" not in dict(country_choices("en"))  # read, and cached
        config = CountrySettings.load()
        config.excluded = "aq fr"
        config.full_clean()
        config.save()
        codes = dict(country_choices("en"))
        assert "EH" in codes and "FR" not in codes and "AQ" not in codes

    def test_unknown_codes_are_refused(self):
        config = CountrySettings.load()
        config.excluded = "EH, XX"
        with pytest.raises(ValidationError):
            config.full_clean()


@pytest.fixture
def rug(tree):
    europe_zone()
    return product_create(seller_pages(tree, SellerFactory()), title="Rug", stock=3)


class TestExcludedCountriesCannotBeChosen:
    def test_the_checkout_form_refuses_an_excluded_country(self):
        form = CheckoutForm({"email": "a@example.com", "name": "A B", "line1": "1 Rue", "city": "Laayoune",
                             "country": "EH", "payment": "offline"})
        assert not form.is_valid() and "country" in form.errors

    def test_an_order_to_an_excluded_country_is_refused(self, rug):
        config = CountrySettings.load()
        config.excluded = "FR"
        config.save()
        with pytest.raises(ValidationError) as error:
            order_for((rug, 1), address=PARIS)
        assert "country" in error.value.message_dict


class TestTheBasketsCountryCarriesOver:
    def test_the_country_chosen_in_the_basket_is_the_checkouts(self, rug, client):
        client.post(reverse("basket_add"), {"product": rug.pk, "quantity": 1}, HTTP_ORIGIN="http://testserver")
        assert client.get(reverse("basket"), {"country": "BE"}).status_code == 200
        html = client.get(reverse("checkout")).content.decode()
        assert re.search(r'<option value="BE" selected>', html), "Belgium is not preselected"
        # and the basket remembers it too
        assert re.search(r'<option value="BE" selected>', client.get(reverse("basket")).content.decode())

    def test_a_country_not_offered_is_not_kept(self, rug, client):
        client.post(reverse("basket_add"), {"product": rug.pk, "quantity": 1}, HTTP_ORIGIN="http://testserver")
        assert client.get(reverse("basket"), {"country": "EH"}).status_code == 200
        assert client.get(reverse("basket"), {"country": ["x" * 300]}).status_code == 200
        html = client.get(reverse("checkout")).content.decode()
        assert '<option value="" selected>' in html and '<option value="EH"' not in html
