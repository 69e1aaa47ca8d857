"""The client's address, as login throttling and rate limits count it."""

from django.conf import settings


def client_address(request) -> str:
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the outermost of them saw.

    Each proxy appends the address it received from to X-Forwarded-For; anything further left was
    written by the client itself and can be forged, so only the entry our own first proxy added counts.
    Without a proxy count, every visitor behind a proxy would share the proxy's address and its limits.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
