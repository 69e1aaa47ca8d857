"""Webhook endpoints: one per provider that sends events, answering as providers expect (400 for a
call that is not theirs, 200 once an event is processed or known, 500 to have it sent again)."""

import logging

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .interface import WebhookRejected, payment_providers
from .services import payment_event_process

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 512 * 1024


@csrf_exempt
@require_POST
def payment_webhook(request, provider_name):
    provider = payment_providers().get(provider_name)
    if provider is None or provider.offline:
        raise Http404
    if len(request.body) > MAX_BODY_BYTES:
        return HttpResponseBadRequest("too large")
    try:
        event = provider.webhook_event(body=request.body, headers=request.headers)
    except WebhookRejected as error:
        logger.warning("%s webhook rejected: %s", provider_name, error)
        return HttpResponseBadRequest("rejected")
    outcome = payment_event_process(provider_name=provider_name, event=event)
    return HttpResponse(outcome, content_type="text/plain")
