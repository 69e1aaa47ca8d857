"""/feeds/<language>-<currency>.xml: the shopping feeds the beat task writes, served as static files."""

import os

from django.http import FileResponse, Http404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from .feeds import feed_path

# Merchant centres fetch a feed a few times a day; the file changes at most hourly.
FEED_MAX_AGE = 600


@require_safe
def shopping_feed(request, name: str):
    """The feed's file with its ETag and Last-Modified (304 to a matching If-None-Match or
    If-Modified-Since); 404 for a name the site does not offer or a feed not written yet."""
    path = feed_path(name)
    if path is None:
        raise Http404
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # The open file's own size and date: the task may rename a new file over it meanwhile.
    status = os.fstat(stream.fileno())
    etag = f'"{status.st_mtime_ns:x}-{status.st_size:x}"'
    last_modified = int(status.st_mtime)
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        stream.close()
        response = not_modified
    else:
        response = FileResponse(stream, content_type="application/rss+xml; charset=utf-8")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response
