from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET


def ceiling(request):
    """A constant response through the whole middleware stack: the benchmark's ceiling."""
    return HttpResponse(b"ok", content_type="text/plain")


@require_GET
def security_txt(request):
    """/.well-known/security.txt (RFC 9116): whom to tell about a vulnerability."""
    expires = (timezone.now() + timedelta(days=180)).replace(microsecond=0)
    lines = [
        f"Contact: mailto:{settings.SECURITY_CONTACT_EMAIL}",
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: en, fr, ar",
        f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
