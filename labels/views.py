from django.http import JsonResponse
from django.shortcuts import render

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
