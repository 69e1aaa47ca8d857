import json

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .passport import passport_json_ld, passport_product, passport_product_by_gtin, product_passport
from .selectors import certificate_public_record


def certificate_verify(request, number):
    record = certificate_public_record(number)
    if record is None:
        return render(request, "labels/certificate_unknown.html", {"number": number}, status=404)
    return render(request, "labels/certificate_verify.html", {"record": record})


def certificate_verify_json(request, number):
    record = certificate_public_record(number)
    if record is None:
        return JsonResponse({"error": "unknown certificate", "number": number}, status=404)
    return JsonResponse(record, json_dumps_params={"ensure_ascii": False})


def _passport_response(request, product, *, as_json=False):
    passport = product_passport(product, request)
    if as_json:
        return JsonResponse(passport, json_dumps_params={"ensure_ascii": False})
    # Inside <script>, "<" could end the element or open a comment: JSON lets it be written \u003c.
    structured = json.dumps(passport_json_ld(passport), ensure_ascii=False).replace("<", "\\u003c")
    return render(request, "labels/product_passport.html", {"passport": passport, "json_ld": structured})


def product_passport_view(request, product_id):
    product = passport_product(product_id)
    if product is None:
        raise Http404(_("No product passport at this address."))
    return _passport_response(request, product)


def product_passport_json(request, product_id):
    product = passport_product(product_id)
    if product is None:
        return JsonResponse({"error": "unknown product", "id": product_id}, status=404)
    return _passport_response(request, product, as_json=True)


def gtin_passport(request, gtin, qualifiers=""):
    """GS1 Digital Link: /01/<GTIN>/ (and any key qualifiers after it, such as /10/<batch>) resolves to
    the product's passport."""
    product = passport_product_by_gtin(gtin)
    if product is None:
        raise Http404(_("No product passport for this barcode."))
    return _passport_response(request, product)
