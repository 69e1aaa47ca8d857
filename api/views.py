"""The open catalogue API, /api/v1/ (django-ninja): search and suggestions, certificates, the sector's
figures, currencies, and the catalogue (products, sellers, categories, label schemes). The OpenAPI
schema is at /api/v1/openapi.json and the interactive docs at /api/v1/docs (Swagger UI from the
files django-ninja ships, so that the Content-Security-Policy holds). Thin: each operation parses its
parameters and calls one selector. Anonymous use is rate-limited per client address
(``RATE_LIMITS["search"]`` for search, ``RATE_LIMITS["api"]`` for the rest); over the limit, 429 JSON.

Every 4xx answers ``{"error": "<message>"}``: invalid parameters 422 (with ``detail`` naming each),
the search endpoints' own checks 400 as before, an unknown record 404."""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Query, Router, Status
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer

from config.ratelimit import rate_limited
from currency.selectors import base_currency, display_currencies, money_convert
from labels.selectors import certificate_public_record
from observatory.public import sector_figures
from search.backends import get_listing_backend
from search.facets import facet_names, facet_values
from search.listing import request_search
from search.params import ParameterError

from . import schemas, selectors


class JsonRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # names in Arabic and French stay readable


api = NinjaAPI(
    urls_namespace="api_v1",
    title="Souk Export open catalogue",
    version="1",
    description="Handicraft products of verified cooperatives and artisans, their sellers, quality labels and "
                "certificates, the sector's open figures and the display currencies. Read-only, anonymous, "
                "rate-limited. Documentation: docs/api.md.",
    renderer=JsonRenderer(),
)

ID = Path(..., ge=1, le=schemas.ID_MAX, description="The record's id.", example=1)
CERTIFICATE_NUMBER = Path(..., pattern=r"^[A-Z]{2}-[A-Z]{2,5}-\d{4}-\d{6}$", description="The certificate's number.",
                          example="MA-LNA-2026-000123")
RATE_LIMITED = {429: schemas.Error}
# What every operation of the catalogue router may answer besides 200: a parameter its own checks refuse
# (400), one of the wrong type or out of range (422), too many requests (429).
ERRORS = {400: schemas.Error, 422: schemas.Error, **RATE_LIMITED}


@api.exception_handler(ValidationError)
def _invalid_parameters(request, error):
    first = error.errors[0] if error.errors else {}
    where = ".".join(str(part) for part in first.get("loc", ())[1:]) or _("request")
    message = _("Invalid parameter %(name)s: %(reason)s") % {"name": where, "reason": first.get("msg", "")}
    detail = [{"loc": list(each.get("loc", ())), "msg": str(each.get("msg", "")), "type": each.get("type", "")}
              for each in error.errors]
    return api.create_response(request, {"error": message, "detail": detail}, status=422)


@api.exception_handler(HttpError)
def _http_error(request, error):
    return api.create_response(request, {"error": str(error)}, status=error.status_code)


@api.exception_handler(Http404)
def _not_found(request, error):
    return api.create_response(request, {"error": str(error) or _("Not found.")}, status=404)


def _language(code: str) -> str:
    if code not in dict(settings.LANGUAGES):
        raise HttpError(400, _("Unknown language “%(language)s”.") % {"language": code})
    return code


def _currency(code: str | None) -> str:
    if not code:
        return base_currency()
    if code.upper() not in display_currencies():
        raise HttpError(400, _("Unknown currency “%(currency)s”; use one of: %(currencies)s.")
                        % {"currency": code, "currencies": ", ".join(display_currencies())})
    return code.upper()


def _known(facet: str, values: list[str] | None) -> tuple[str, ...]:
    values = tuple(value for value in values or () if value)
    known = facet_values()[facet]
    if unknown := [value for value in values if value not in known]:
        raise HttpError(400, _("Unknown value “%(value)s” for %(facet)s.") % {"value": unknown[0], "facet": facet})
    return values


# --- search: the URLs and answers of the search API from before django-ninja, unchanged

search_router = Router(tags=["search"])
search_router.add_decorator(rate_limited("search", methods=("GET",), as_json=True), mode="view")


@search_router.get("/", response={200: schemas.SearchResults, 400: schemas.Error, **RATE_LIMITED},
                   url_name="search_api", summary="Search the listings")
def search(request, params: Query[schemas.SearchQuery]):
    """The search page's results as JSON (same parameters). When the words as typed find nothing:
    ``corrected_query`` (the respelt words that found the results), ``relaxed`` (results hold only some
    of the words), ``suggestions`` and ``popular_categories`` (when even those find nothing)."""
    try:
        wanted, found, hits = request_search(request, language=params.language, strict=True)
    except ParameterError as error:
        return Status(400, {"error": str(error)})
    results = found.results
    currency = wanted.currency
    with translation.override(wanted.query.language):
        names = facet_names()["category"]
        popular = [{"value": code, "name": names.get(code, code)} for code in found.popular_categories]
    return {
        "total": results.total, "page": wanted.query.page, "page_size": wanted.query.page_size, "currency": currency,
        "query": wanted.query.text, "corrected_query": found.corrected_query or None, "relaxed": found.relaxed,
        "suggestions": found.suggestions, "popular_categories": popular,
        "results": [
            {"id": card.page_id, "product_id": card.product_id, "title": card.title, "url": card.url,
             "seller": card.seller_name, "region": card.region_name,
             "price": {"amount": str(money_convert(card.price, to=currency).amount), "currency": currency},
             "in_stock": card.in_stock, "made_to_order": card.made_to_order,
             "labels": [{"scheme": label.scheme_code, "certificate": label.number} for label in card.labels]}
            for card in hits
        ],
        "facets": {facet: [{"value": value.value, "count": value.count, "selected": value.selected}
                           for value in values] for facet, values in results.facets.items()},
    }


@search_router.get("/suggest/", response={200: schemas.Suggestions, 400: schemas.Error, **RATE_LIMITED},
                   url_name="search_suggest", summary="Titles for what is being typed")
def suggest(request, params: Query[schemas.SuggestQuery]):
    """Product titles for the header's search box."""
    return {"suggestions": get_listing_backend().suggest(params.q.strip()[:100], _language(params.language))}


# --- everything else: RATE_LIMITS["api"]

catalogue = Router()
catalogue.add_decorator(rate_limited("api", methods=("GET",), as_json=True), mode="view")


@catalogue.get("/certificates/{number}", tags=["labels"], exclude_unset=True,
               response={200: schemas.Certificate, 404: schemas.NotFound, **ERRORS},
               url_name="certificate", summary="A quality-label certificate")
def certificate(request, params: Query[schemas.LanguageQuery], number: str = CERTIFICATE_NUMBER):
    """The public record of /verify/<number>.json: scheme, seller, products, status (with the public reason
    of a suspension or revocation), validity, public history and whether its chain is intact."""
    with translation.override(_language(params.language)):
        record = certificate_public_record(number)
        if record is None:
            return Status(404, {"error": _("No certificate has this number."), "number": number})
    return record


@catalogue.get("/sector/figures", tags=["sector"], url_name="sector_figures",
               response={200: schemas.SectorFigures, **ERRORS},
               summary="The sector in figures (open data)")
def figures(request, params: Query[schemas.LanguageQuery]):
    """The figures of /<lang>/sector/figures.json: aggregates only, no cell standing for fewer than five
    sellers."""
    with translation.override(_language(params.language)):
        return sector_figures().as_dict()


@catalogue.get("/currencies", tags=["currencies"], url_name="currencies",
               response={200: schemas.Currencies, **ERRORS},
               summary="Display currencies and today's rates")
def currencies(request, params: Query[schemas.LanguageQuery]):
    """The currencies prices can be shown in, each with its rate for one unit of the base currency."""
    return selectors.currencies_offered(language=_language(params.language))


@catalogue.get("/products", tags=["catalogue"], url_name="products",
               response={200: schemas.ProductPage, **ERRORS},
               summary="Listed products")
def products(request, params: Query[schemas.ProductQuery]):
    """Products of verified sellers listed in a language, newest first; repeat a filter for several values."""
    language, currency = _language(params.language), _currency(params.currency)
    min_price, max_price = params.min_price, params.max_price
    if min_price is not None and max_price is not None and min_price > max_price:
        raise HttpError(400, _("min_price is above max_price."))
    with translation.override(language):
        filters = selectors.ProductFilters(
            language=language, category=_known("category", params.category), craft=_known("craft", params.craft),
            region=_known("region", params.region), material=_known("material", params.material),
            label=_known("label", params.label), availability=_known("availability", params.availability),
            seller=params.seller,
            min_price=None if min_price is None else selectors.price_in_base(min_price, currency),
            max_price=None if max_price is None else selectors.price_in_base(max_price, currency),
        )
        listing = selectors.products_listed(filters=filters, sort=params.sort, page=params.page,
                                            page_size=params.page_size, currency=currency, request=request)
    return {"total": listing.total, "page": params.page, "page_size": params.page_size, "results": listing.results}


@catalogue.get("/products/{product_id}", tags=["catalogue"], url_name="product",
               response={200: schemas.ProductDetail, 404: schemas.Error, **ERRORS}, summary="A listed product")
def product(request, params: Query[schemas.ProductDetailQuery], product_id: int = ID):
    """A listed product in the language asked for (else English, else the language it is listed in)."""
    language, currency = _language(params.language), _currency(params.currency)
    with translation.override(language):
        found = selectors.product_listed(product_id=product_id, language=language, currency=currency, request=request)
    if found is None:
        raise Http404(_("No listed product has this id."))
    return found


@catalogue.get("/sellers", tags=["catalogue"], url_name="sellers",
               response={200: schemas.SellerPage, **ERRORS},
               summary="Verified sellers")
def sellers(request, params: Query[schemas.SellerQuery]):
    """Verified cooperatives, artisans and enterprises, by name: their public facts only."""
    language = _language(params.language)
    with translation.override(language):
        listing = selectors.sellers_verified(
            region=_known("region", params.region), trade=tuple(value for value in params.trade or () if value),
            kind=_known("seller_kind", params.kind),
            country=tuple(value.upper() for value in params.country or () if value),
            page=params.page, page_size=params.page_size, language=language, request=request)
    return {"total": listing.total, "page": params.page, "page_size": params.page_size, "results": listing.results}


@catalogue.get("/sellers/{seller_id}", tags=["catalogue"], url_name="seller",
               response={200: schemas.SellerDetail, 404: schemas.Error, **ERRORS}, summary="A verified seller")
def seller(request, params: Query[schemas.LanguageQuery], seller_id: int = ID):
    """A verified seller's public facts, its introduction and its active certificates."""
    language = _language(params.language)
    with translation.override(language):
        found = selectors.seller_verified(seller_id=seller_id, language=language, request=request)
    if found is None:
        raise Http404(_("No verified seller has this id."))
    return found


@catalogue.get("/categories", tags=["catalogue"], url_name="categories",
               response={200: list[schemas.Category], **ERRORS},
               summary="The craft nomenclature")
def categories(request, params: Query[schemas.CategoryQuery]):
    """The trade nomenclature: sectors, branches (the ``category`` filter) and activities (``craft``), with
    the number of listed products in the language."""
    language = _language(params.language)
    with translation.override(language):
        return selectors.categories(language=language, level=params.level,
                                    country=tuple(value.upper() for value in params.country or () if value))


@catalogue.get("/labels", tags=["labels"], url_name="labels",
               response={200: list[schemas.LabelScheme], **ERRORS},
               summary="Quality-label schemes")
def labels(request, params: Query[schemas.LanguageQuery]):
    """Label schemes (national label, collective marks, geographical indications) and the number of their
    certificates active today."""
    with translation.override(_language(params.language)):
        return selectors.label_schemes()


api.add_router("/search", search_router)
api.add_router("", catalogue)
