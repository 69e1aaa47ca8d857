"""The open catalogue API: products, sellers, categories, labels, certificates, figures and currencies;
pagination, filters, errors, rate limits and the docs page."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def ids(data):
    return [result["id"] for result in data["results"]]


class TestProducts:
    def test_lists_verified_sellers_products_newest_first_with_a_total(self, client, catalogue):
        data = client.get("/api/v1/products").json()
        assert data["total"] == 3 and data["page"] == 1 and data["page_size"] == 24
        assert ids(data) == [catalogue["lamp"].pk, catalogue["plate"].pk, catalogue["rug"].pk]
        assert catalogue["hidden"].pk not in ids(data)

    def test_a_product_has_its_codes_names_labels_and_prices(self, client, catalogue):
        data = client.get("/api/v1/products", {"language": "fr", "currency": "EUR", "label": "LNA"}).json()
        (rug,) = data["results"]
        assert rug["title"] == "Taznakht rug (fr)" and rug["language"] == "fr"
        assert rug["url"].startswith("http://testserver/") and rug["image"].startswith("http://testserver/")
        assert rug["materials"] == [{"code": "wool", "name": "Laine"}]
        assert rug["craft"]["code"] == "1.01.01" and rug["region"]["code"] == "MA-08"
        assert rug["seller"] == {"id": catalogue["cooperative"].pk, "name": "Coopérative Tifawin"}
        assert rug["labels"][0]["certificate"] == catalogue["certificate"].number
        assert rug["price"]["currency"] == "EUR" and rug["base_price"] == {"amount": "1200.00", "currency": "MAD"}
        assert rug["availability"]["code"] == "in_stock"

    @pytest.mark.parametrize("params, expected", [
        ({"craft": "1.03.02"}, ["lamp", "plate"]),
        ({"region": "MA-07"}, ["lamp"]),
        ({"material": "wool"}, ["rug"]),
        ({"availability": "sold_out"}, ["lamp"]),
        ({"min_price": "300", "max_price": "700"}, ["lamp"]),
        ({"max_price": "25", "currency": "EUR"}, ["plate"]),
        ({"sort": "price_asc"}, ["plate", "lamp", "rug"]),
        ({"craft": ["1.01.01", "1.03.02"], "sort": "price_desc"}, ["rug", "lamp", "plate"]),
    ])
    def test_filters_and_sorts(self, client, catalogue, params, expected):
        data = client.get("/api/v1/products", params).json()
        assert ids(data) == [catalogue[name].pk for name in expected]

    def test_the_seller_filter(self, client, catalogue):
        data = client.get("/api/v1/products", {"seller": catalogue["cooperative"].pk}).json()
        assert set(ids(data)) == {catalogue["rug"].pk, catalogue["plate"].pk}

    def test_pages(self, client, catalogue):
        first = client.get("/api/v1/products", {"page_size": 2}).json()
        second = client.get("/api/v1/products", {"page_size": 2, "page": 2}).json()
        beyond = client.get("/api/v1/products", {"page_size": 2, "page": 9}).json()
        assert first["total"] == second["total"] == beyond["total"] == 3
        assert len(ids(first)) == 2 and len(ids(second)) == 1 and beyond["results"] == []

    @pytest.mark.parametrize("params, status, message", [
        ({"page_size": "101"}, 422, "page_size"),
        ({"page": "0"}, 422, "page"),
        ({"page": "two"}, 422, "page"),
        ({"sort": "cheapest"}, 422, "sort"),
        ({"min_price": "-1"}, 422, "min_price"),
        ({"seller": "x"}, 422, "seller"),
        ({"craft": "9.99"}, 400, "Unknown value"),
        ({"language": "xx"}, 400, "Unknown language"),
        ({"currency": "ZZZ"}, 400, "Unknown currency"),
        ({"min_price": "10", "max_price": "5"}, 400, "min_price"),
    ])
    def test_bad_parameters_get_a_4xx_with_a_message(self, client, catalogue, params, status, message):
        response = client.get("/api/v1/products", params)
        assert response.status_code == status and message in response.json()["error"]

    def test_one_product_in_the_language_asked_for(self, client, catalogue):
        rug = catalogue["rug"]
        data = client.get(f"/api/v1/products/{rug.pk}", {"language": "ar"}).json()
        assert data["id"] == rug.pk and data["language"] == "ar" and data["title"] == "Taznakht rug (ar)"
        assert set(data["translations"]) == {"en", "fr", "ar"} and data["hs_code"] == "5701.10"
        assert data["passport_url"] == f"http://testserver/p/{rug.pk}/"

    @pytest.mark.parametrize("name", ["hidden", None])
    def test_an_unlisted_or_unknown_product_is_a_404_with_a_message(self, client, catalogue, name):
        product_id = catalogue[name].pk if name else 999_999
        response = client.get(f"/api/v1/products/{product_id}")
        assert response.status_code == 404 and response.json()["error"]


class TestSellers:
    def test_verified_sellers_only_with_public_fields_only(self, client, catalogue):
        response = client.get("/api/v1/sellers")
        data = response.json()
        assert data["total"] == 2
        assert ids(data) == [catalogue["artisan"].pk, catalogue["cooperative"].pk]  # by name
        text = response.content.decode()
        for private in ("private@tifawin.example", "+212 600 000 000", "email", "phone", "register_number", "members"):
            assert private not in text
        cooperative = data["results"][1]
        assert cooperative["listed_products"] == 2 and cooperative["founded_year"] == 2009
        assert cooperative["url"].startswith("http://testserver/") and cooperative["kind"]["code"] == "cooperative"

    def test_filters(self, client, catalogue):
        assert ids(client.get("/api/v1/sellers", {"region": "MA-07"}).json()) == [catalogue["artisan"].pk]
        assert ids(client.get("/api/v1/sellers", {"kind": "cooperative"}).json()) == [catalogue["cooperative"].pk]
        assert client.get("/api/v1/sellers", {"kind": "pirate"}).status_code == 400

    def test_one_seller_with_its_active_certificates(self, client, catalogue):
        data = client.get(f"/api/v1/sellers/{catalogue['cooperative'].pk}").json()
        assert [each["certificate"] for each in data["certificates"]] == [catalogue["certificate"].number]
        assert "email" not in data and "phone" not in data

    def test_a_seller_not_verified_is_a_404(self, client, catalogue):
        response = client.get(f"/api/v1/sellers/{catalogue['applicant'].pk}")
        assert response.status_code == 404 and response.json()["error"]


class TestReferenceData:
    def test_categories_with_their_listings_in_the_language(self, client, catalogue):
        data = client.get("/api/v1/categories", {"language": "fr"}).json()
        by_code = {entry["code"]: entry for entry in data}
        assert by_code["1.01.01"]["level"] == 3 and by_code["1.01.01"]["parent"] == "1.01"
        assert by_code["1.01.01"]["listings"] == 1 and by_code["1.03.02"]["listings"] == 2
        assert by_code["1.01"]["listings"] == 1 and by_code["1"]["listings"] == 3
        branches = client.get("/api/v1/categories", {"level": 2}).json()
        assert {entry["level"] for entry in branches} == {2}

    def test_label_schemes_count_active_certificates(self, client, catalogue):
        (scheme,) = client.get("/api/v1/labels").json()
        assert scheme["code"] == "LNA" and scheme["active_certificates"] == 1

    def test_currencies_with_todays_rates(self, client, catalogue):
        data = client.get("/api/v1/currencies", {"language": "fr"}).json()
        codes = {entry["code"]: entry for entry in data["currencies"]}
        assert data["base"] == "MAD" and codes["MAD"]["rate"] == "1.000000"
        assert codes["EUR"]["name"] == "euro" and codes["EUR"]["rate"] and codes["XAF"]["decimals"] == 0


class TestMovedEndpoints:
    def test_the_certificate_is_the_verify_json_record(self, client, catalogue):
        number = catalogue["certificate"].number
        assert client.get(f"/api/v1/certificates/{number}").json() == client.get(f"/verify/{number}.json").json()

    def test_an_unknown_certificate_is_a_404_and_a_malformed_number_a_422(self, client, catalogue):
        unknown = client.get("/api/v1/certificates/MA-LNA-2020-000999")
        assert unknown.status_code == 404 and unknown.json()["number"] == "MA-LNA-2020-000999"
        malformed = client.get("/api/v1/certificates/nonsense")
        assert malformed.status_code == 422 and "number" in malformed.json()["error"]

    def test_sector_figures_are_the_open_data_json(self, client, catalogue):
        assert client.get("/api/v1/sector/figures", {"language": "fr"}).json() == client.get("/fr/sector/figures.json").json()

    def test_the_header_search_box_still_finds_its_suggestions(self, client, catalogue):
        assert "/api/v1/search/suggest/?language=en" in client.get("/en/search/").content.decode()


class TestSchemaAndDocs:
    def test_the_openapi_schema_names_every_endpoint(self, client):
        schema = client.get("/api/v1/openapi.json").json()
        assert schema["info"]["title"] == "Souk Export open catalogue"
        assert {"/api/v1/search/", "/api/v1/search/suggest/", "/api/v1/certificates/{number}", "/api/v1/sector/figures",
                "/api/v1/currencies", "/api/v1/products", "/api/v1/products/{product_id}", "/api/v1/sellers",
                "/api/v1/sellers/{seller_id}", "/api/v1/categories", "/api/v1/labels"} == set(schema["paths"])

    def test_the_docs_page_loads_swagger_from_this_site_only(self, client):
        html = client.get("/api/v1/docs").content.decode()
        assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()


@pytest.mark.usefixtures("catalogue")
class TestRateLimits:
    @pytest.mark.parametrize("url", ["/api/v1/products", "/api/v1/sellers", "/api/v1/currencies", "/api/v1/labels"])
    def test_over_the_limit_the_api_answers_429_in_json(self, client, url):
        with override_settings(RATE_LIMITS_ENABLED=True, RATE_LIMITS={"api": "2/m", "search": "100/m"}):
            statuses = [client.get(url, REMOTE_ADDR="203.0.113.7") for _ in range(3)]
        assert [response.status_code for response in statuses] == [200, 200, 429]
        assert "Too many requests" in statuses[-1].json()["error"] and int(statuses[-1]["Retry-After"]) > 0
