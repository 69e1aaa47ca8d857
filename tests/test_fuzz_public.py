"""Fuzz stage: every public URL with hostile parameters, every public form with hostile values; zero 5xx.

The URLs come from the URL conf, so a new public URL is fuzzed without anyone listing it; what cannot
be fuzzed here is in ``SKIPPED`` with the reason. Runs in the normal suite (marker ``fuzz``).
"""

import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from catalog.models import ProductPage
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

# Route prefixes not fuzzed here, and why.
SKIPPED = {
    "admin/": "signed-in only; tests/sellers/test_permission_matrix.py walks it for every role",
    "media/": "served by the proxy in production (SERVE_MEDIA); Django's static serve in development",
}

HOSTILE_TEXT = [
    "\x00", "a\x00b", "x" * 10_000, "-1", "0", "99999999999999999999999999", "1e309", "NaN", "-0.0", "１２３",
    "\u202e\u202dtxt.exe", "\u200f\u200e", "../../../etc/passwd", "..\\..\\windows", "' OR 1=1 --", '"; DROP TABLE x; --',
    "<script>alert(1)</script>", "%00", "%", "{}", "[]", "true", "\t\r\n", "😀" * 50, "\ufeff", "a" * 300 + "\x00",
]
# Every query parameter a public view reads (search, facets, paging, checkout, payment return, language).
PARAMETERS = [
    "q", "page", "page_size", "sort", "price", "craft", "region", "label", "material", "category", "seller_type",
    "availability", "language", "currency", "country", "next", "paid", "cancelled", "format", "lang", "shipping",
    "exact",
]
# Values put into a URL's own segments, per converter.
SEGMENTS = {
    "str": ["x", "\x00", "a\x00b", "x" * 2_000, "\u202etxt", "..", "' OR 1=1 --", "<b>", "%00", "１"],
    "slug": ["x", "a-b", "_" * 300],
    "int": ["0", "1", "99999999999999999999999999", "9223372036854775808"],
    "path": ["x", "a/../../b", "x\x00y"],
}
REGEX_ROUTE_SAMPLES = {
    "wagtaildocs_serve": ["1/x.pdf", "99999999999999999999999999/x.pdf", "1/%00", "0/" + "a" * 2_000],
    "wagtail_serve": ["", "nothing/", "a/" * 100, "%E2%80%AE/", "x%00/", "-/_/"],
}
CHECKOUT_ADDRESS = {"email": "camille@example.com", "name": "Camille Martin", "line1": "12 rue des Archives",
                    "city": "Paris", "postal_code": "75004", "country": "FR", "payment": "offline"}
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def public_routes():
    """(route, name) of every URL pattern outside ``SKIPPED``, prefixes joined, i18n ones in English."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if any(route.startswith(skipped) for skipped in SKIPPED):
                continue
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route, pattern.name

    return list(walk(get_resolver().url_patterns))


def concrete_paths(route: str, name: str) -> list[str]:
    """The route with each of its segments filled with ordinary, then hostile, values (one at a time)."""
    if route.count("^") or "(" in route:
        prefix = route.split("^")[0]
        return ["/" + prefix + sample for sample in REGEX_ROUTE_SAMPLES.get(name, [""])]
    converters = list(CONVERTER.finditer(route))
    # A converter not listed (the project's own) gets the text values: it must turn them away itself.
    values = {match.group(0): SEGMENTS.get(match.group("converter") or "str", SEGMENTS["str"]) for match in converters}
    ordinary = {placeholder: options[0] for placeholder, options in values.items()}

    def filled(values):
        path = route
        for placeholder, value in values.items():
            path = path.replace(placeholder, quote(value, safe=""), 1)
        return "/" + path

    paths = [filled(ordinary)]
    for placeholder, options in values.items():
        for value in options[1:]:
            paths.append(filled(ordinary | {placeholder: value}))
    return paths


def hostile_queries() -> list[str]:
    queries = [urlencode(dict.fromkeys(PARAMETERS, value)) for value in HOSTILE_TEXT]
    queries.append(urlencode([(name, value) for name in PARAMETERS for value in ("1", "2", "x")]))  # repeated
    queries.append("&".join(f"{name}[]=1&{name}[x]=2" for name in PARAMETERS))  # array syntaxes
    queries.append("%ZZ=%&=&&q")  # broken escapes, empty names
    return queries


class _Forms(HTMLParser):
    """The POST forms of a page: their action and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms, self.current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self.current = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self.current)
        elif tag in {"input", "select", "textarea", "button"} and self.current is not None and attrs.get("name"):
            self.current["fields"][attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def post_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


@pytest.fixture
def fuzz_site(tree):
    europe_zone()  # so that checkout reaches its review step
    product = product_create(seller_pages(tree), title="Azilal rug", stock=8)
    return tree, product


@pytest.fixture
def visitor():
    # Errors come back as 500 responses, collected, instead of stopping at the first. The Origin is
    # the site's own, as a browser sends it, so that origin-checked forms reach their validation.
    return Client(raise_request_exception=False, headers={"Origin": "http://testserver"})


def server_errors(client, requests) -> list[str]:
    errors = []
    for method, url, data in requests:
        response = client.post(url, data) if method == "POST" else client.get(url)
        if response.status_code >= 500:
            errors.append(f"{response.status_code} {method} {url[:200]!r} {str(data)[:200]}")
    return errors


class TestPublicUrls:
    def test_every_public_url_with_hostile_path_segments(self, fuzz_site, visitor):
        requests = [("GET", path, None) for route, name in public_routes() for path in concrete_paths(route, name)]
        assert len(requests) > 60  # the walk found the URL conf
        assert server_errors(visitor, requests) == []

    def test_every_public_url_with_hostile_query_parameters(self, fuzz_site, visitor):
        paths = [concrete_paths(route, name)[0] for route, name in public_routes()]
        requests = [("GET", f"{path}?{query}", None) for path in paths for query in hostile_queries()]
        assert server_errors(visitor, requests) == []

    def test_the_urls_of_real_pages_with_hostile_query_parameters(self, fuzz_site, visitor):
        tree, product = fuzz_site
        pages = [tree.homes["en"].url, tree.categories["en"].url, tree.categories["ar"].url, product_page_url(product)]
        requests = [("GET", f"{page}?{query}", None) for page in pages for query in hostile_queries()]
        assert server_errors(visitor, requests) == []


class TestPublicForms:
    PAGES = ["/en/", "/en/basket/", "/en/checkout/", "/en/sell/", "/en/account/login/", "/en/_util/login/",
             "/en/account/signup/", "/en/account/password/reset/"]

    def discovered_forms(self, client, fuzz_site):
        tree, product = fuzz_site
        # A line in the basket and a valid address, so that the basket, checkout and review pages show their forms.
        client.post("/en/basket/add/", {"product": product.pk, "quantity": 1})
        client.post("/en/checkout/", CHECKOUT_ADDRESS)
        pages = [*self.PAGES, "/en/checkout/review/", tree.categories["en"].url, product_page_url(product)]
        forms = {}
        for page in pages:
            response = client.get(page, follow=True)
            for form in post_forms(response.content.decode()):
                forms[(form["action"] or page, tuple(sorted(form["fields"])))] = form["fields"]
        return forms

    def test_forms_are_found(self, fuzz_site, visitor):
        actions = {action for action, _fields in self.discovered_forms(visitor, fuzz_site)}
        for expected in ("/en/basket/add/", "/en/basket/update/", "/en/sell/", "/en/checkout/", "/en/checkout/review/",
                         "/en/account/login/", "/en/account/signup/", "/en/account/password/reset/"):
            assert any(action.startswith(expected) for action in actions), (expected, actions)

    def test_every_public_form_with_hostile_values(self, fuzz_site, visitor):
        requests = []
        for (action, _names), fields in self.discovered_forms(visitor, fuzz_site).items():
            for value in HOSTILE_TEXT:
                hostile = {name: value for name in fields if name != "csrfmiddlewaretoken"}
                requests.append(("POST", action, fields | hostile))
            requests.append(("POST", action, {name: ["1", "2"] for name in fields}))  # every field repeated
            requests.append(("POST", action, {}))  # nothing at all
        assert server_errors(visitor, requests) == []


class TestSellerRegistrationHeldDocuments:
    """The registration form's hidden token for documents held after an error, and the documents."""

    def test_hostile_tokens_and_files_after_a_held_document(self, fuzz_site, visitor):
        from django.core.files.uploadedfile import SimpleUploadedFile

        form = {"kind": "artisan", "legal_name": "Atelier", "country": "MA", "email": "not an email", "password": "x"}
        first = visitor.post("/en/sell/", {**form, "identity": SimpleUploadedFile("id.pdf", b"%PDF-1.7\n")})
        assert first.status_code == 200 and 'name="upload_token"' in first.content.decode()
        requests = [("POST", "/en/sell/", {**form, "upload_token": value}) for value in HOSTILE_TEXT]
        requests.append(("POST", "/en/sell/", {**form, "upload_token": ["a", "b"]}))
        for name in ("x\x00.pdf", "../../etc/passwd", "\u202etxt.exe", "a" * 300 + ".pdf", ""):
            requests.append(("POST", "/en/sell/", {**form, "statutes": SimpleUploadedFile(name or "f", b"%PDF-1.7\n")}))
        requests.append(("POST", "/en/sell/", {**form, "identity": SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)}))
        assert server_errors(visitor, requests) == []


class TestSignedInBuyerForms:
    """The account area's forms, posted by a signed-in buyer (signed in again before each post)."""

    PAGES = ["/en/account/", "/en/account/addresses/", "/en/account/addresses/add/", "/en/account/favourites/",
             "/en/account/delete/", "/en/account/email/", "/en/account/password/change/", "/en/checkout/"]

    def test_every_account_form_with_hostile_values(self, fuzz_site, visitor):
        from allauth.account.models import EmailAddress

        from accounts.models import Favourite, SavedAddress
        from tests.factories.sellers import UserFactory

        tree, product = fuzz_site
        user = UserFactory(username="fuzzed-buyer")
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        SavedAddress.objects.create(user=user, name="Camille Martin", line1="12 rue des Archives", city="Paris",
                                    postal_code="75004", country="FR", is_default=True)
        Favourite.objects.create(user=user, product=product)
        visitor.force_login(user)
        visitor.post("/en/basket/add/", {"product": product.pk, "quantity": 1})
        forms = {}
        for page in [*self.PAGES, product_page_url(product)]:
            response = visitor.get(page, follow=True)
            assert response.status_code == 200, page
            for form in post_forms(response.content.decode()):
                forms[(form["action"] or page, tuple(sorted(form["fields"])))] = form["fields"]
        actions = {action for action, _names in forms}
        for expected in ("/en/account/addresses/add/", "/en/account/favourites/toggle/", "/en/account/delete/",
                         "/en/account/addresses/", "/en/account/password/change/"):
            assert any(action.startswith(expected) for action in actions), (expected, actions)

        errors = []
        for (action, _names), fields in forms.items():
            if action.startswith("/en/account/logout/"):
                continue
            for data in [*({name: value for name in fields if name != "csrfmiddlewaretoken"} for value in HOSTILE_TEXT),
                         {name: ["1", "2"] for name in fields}, {}]:
                visitor.force_login(user)
                response = visitor.post(action, fields | data if data else data)
                if response.status_code >= 500:
                    errors.append(f"{response.status_code} POST {action[:200]!r} {str(data)[:200]}")
        assert errors == []


def forms_posted_with_hostile_values(visitor, user, page) -> list[str]:
    """Every POST form of the page (as ``user`` sees it), posted with each hostile value in every field,
    with repeated values and empty; the server errors met."""
    visitor.force_login(user)
    response = visitor.get(page)
    assert response.status_code == 200, page
    forms = post_forms(response.content.decode())
    assert forms, page
    errors = []
    for form in forms:
        action = form["action"] or page
        fields = form["fields"]
        for data in [*({name: value for name in fields if name != "csrfmiddlewaretoken"} for value in HOSTILE_TEXT),
                     {name: ["1", "2"] for name in fields}, {}]:
            visitor.force_login(user)
            response = visitor.post(action, fields | data if data else data)
            if response.status_code >= 500:
                errors.append(f"{response.status_code} POST {action[:200]!r} {str(data)[:200]}")
    return errors


class TestTradeForms:
    """A trade buyer's forms (apply, invite, withdraw, roles, leave), posted with hostile values by a
    user without a company and by a company's manager."""

    def test_every_trade_form_with_hostile_values(self, fuzz_site, visitor):
        from marketplace.trade.services import trade_member_invite
        from tests.factories.sellers import UserFactory
        from tests.factories.trade import TradeCompanyFactory, trade_buyer_create

        company = TradeCompanyFactory()
        manager = trade_buyer_create(company)
        trade_buyer_create(company, role="buyer")
        trade_member_invite(company=company, email="invited@example.org", by=manager)
        newcomer = UserFactory(username="fuzzed-applicant")
        errors = []
        for user, page in ((newcomer, "/en/account/trade/apply/"), (manager, "/en/account/trade/company/")):
            errors += forms_posted_with_hostile_values(visitor, user, page)
        for token in ("%00", "a" * 3000, "1:abc:def"):
            visitor.force_login(newcomer)
            response = visitor.get(f"/en/account/trade/invitation/{token}/")
            if response.status_code >= 500:
                errors.append(f"{response.status_code} GET invitation {token[:20]}")
        assert errors == []


class TestQuoteForms:
    """Requests for quote: the buyer's forms (ask, accept, turn down, write, close) and the seller's in the
    admin (quote, decline, write, withdraw), posted with hostile values; never a 5xx."""

    def test_every_quote_form_with_hostile_values(self, fuzz_site, visitor):
        from marketplace.quotes.models import QuoteThread
        from sellers.models import SellerMember
        from tests.factories.quotes import quote_for, request_for_quote

        _tree, product = fuzz_site
        seller = product.seller
        potter = UserFactory(username="fuzz-potter", is_superuser=True, is_staff=True)
        SellerMember.objects.create(seller=seller, user=potter, role=SellerMember.Role.MANAGER)
        request = request_for_quote(sellers=[seller])
        buyer = request.created_by
        # One thread for each side's forms: the buyer's "close" or the seller's "decline" ends a thread.
        thread = QuoteThread.objects.get(request=request)
        seller_thread = QuoteThread.objects.get(request=request_for_quote(buyer, sellers=[seller]))
        for each in (thread, seller_thread):
            quote_for(each, potter)
        errors = []
        pages = ((buyer, f"/en/account/quotes/new/?seller={seller.pk}"), (buyer, f"/en/account/quotes/{thread.pk}/"),
                 (potter, reverse("quote_threads:inspect", args=[seller_thread.pk])))
        for user, page in pages:
            errors += forms_posted_with_hostile_values(visitor, user, page)
        for query in ("seller=%00", "craft=99999999999999", "seller=abc&product=-1", "craft=1&seller=1"):
            visitor.force_login(buyer)
            response = visitor.get(f"/en/account/quotes/new/?{query}")
            if response.status_code >= 500:
                errors.append(f"{response.status_code} GET new request {query}")
        assert errors == []


def product_page_url(product) -> str:
    return ProductPage.objects.get(product=product, locale__language_code="en").url


@pytest.mark.django_db
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(PARAMETERS), st.text(max_size=40), max_size=6))
def test_search_api_answers_any_parameters_without_a_server_error(tree, params):
    client = Client(raise_request_exception=False)
    for url in ("/api/v1/search/", "/api/v1/search/suggest/", "/en/search/"):
        response = client.get(url, params)
        assert response.status_code < 500, (url, params)


class TestStaffTransferForm:
    """Not public, but fed by what staff copy from bank statements: every field hostile, one at a time
    and all together, gets form errors, never a 5xx, and records nothing."""

    def test_hostile_values_in_the_bank_transfer_form(self, fuzz_site, visitor):
        _tree, product = fuzz_site
        order = order_for((product, 1))
        visitor.force_login(UserFactory(username="fuzz-staff", is_superuser=True, is_staff=True))
        url = reverse("orders:record_transfer", args=[order.pk])
        valid = {"amount": "1", "currency": "EUR", "received_on": "2026-01-05", "bank_reference": "R", "confirm": "on"}
        requests = []
        for value in HOSTILE_TEXT:
            requests.append(("POST", url, dict.fromkeys(valid, value)))
            requests.extend(("POST", url, valid | {name: value}) for name in valid if name != "amount")
            requests.append(("POST", url, valid | {"amount": value}))
        requests.append(("POST", url, {name: ["1", "2"] for name in valid}))
        assert server_errors(visitor, requests) == []
        # Only requests whose every field was valid were recorded: 1 EUR, or 123 typed in full-width
        # digits (read as such, like Arabic-Indic ones copied from a statement).
        assert set(order.bank_receipts.values_list("amount", flat=True)) <= {Decimal("1.00"), Decimal("123.00")}


@pytest.mark.django_db
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=60), language=st.sampled_from(["en", "fr", "ar"]), exact=st.sampled_from(["", "1", "x"]))
def test_searches_that_find_nothing_are_corrected_relaxed_and_logged_without_a_server_error(tree, text, language, exact):
    """Any text through the fallbacks (vocabulary correction, relaxed match, suggestions, the miss log)."""
    if not ProductPage.objects.exists():
        product_create(seller_pages(tree), title="Zellige tile panel")
    client = Client(raise_request_exception=False)
    for url in ("/api/v1/search/", f"/{language}/search/"):
        response = client.get(url, {"q": text, "language": language, "exact": exact})
        assert response.status_code < 500, (url, text)
