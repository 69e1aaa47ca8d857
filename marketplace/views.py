from django.http import HttpResponse


def ceiling(request):
    """A constant response through the whole middleware stack: the benchmark's ceiling."""
    return HttpResponse(b"ok", content_type="text/plain")
