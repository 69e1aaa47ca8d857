"""A local stand-in for the Stripe API: the few endpoints the Stripe provider calls, answering as Stripe
does (form-encoded requests, JSON objects, Stripe-shaped errors, idempotency keys), on an ephemeral
port of 127.0.0.1, in a daemon thread.

    with StripeStandIn() as stripe_api:
        ...  # point the provider's API_BASE at stripe_api.url
        stripe_api.requests  # [(method, path, params)], params decoded into nested dicts and lists

Like Stripe, it remembers the response to a request with an ``Idempotency-Key`` (a 500 included) and
replays it for the same key; it does not remember a request refused before it ran (invalid params).
"""

import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

API_KEY = re.compile(r"^Bearer sk_test_\w+$")
SESSION = re.compile(r"^/v1/checkout/sessions/(?P<id>[^/]+)$")
SESSION_EXPIRE = re.compile(r"^/v1/checkout/sessions/(?P<id>[^/]+)/expire$")
CONNECTED_ACCOUNT = re.compile(r"^acct_[A-Za-z0-9]+$")
KEY_PART = re.compile(r"\[([^\]]*)\]")
# Stripe takes an expires_at between 30 minutes and 24 hours after the session is created.
EXPIRES_MIN, EXPIRES_MAX = 30 * 60, 24 * 60 * 60
FAILURES = {
    500: {"type": "api_error", "message": "An unknown error occurred"},
    402: {"type": "card_error", "code": "card_declined", "decline_code": "generic_decline",
          "message": "Your card was declined."},
}


def form_decode(body: str) -> dict:
    """Stripe's form encoding (``line_items[0][price_data][unit_amount]=1200``) as nested dicts and lists."""
    params = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        name, bracket, rest = key.partition("[")
        path = [name, *KEY_PART.findall(bracket + rest)]
        node = params
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return _lists(params)


def _lists(node):
    if not isinstance(node, dict):
        return node
    node = {key: _lists(value) for key, value in node.items()}
    if node and all(key.isdigit() for key in node):
        return [node[key] for key in sorted(node, key=int)]
    return node


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


class Refused(Exception):  # noqa: N818 -- Stripe's word for a request it did not run
    """A request Stripe refuses before running it: answered with a 4xx, remembered under no key."""

    def __init__(self, status: int, message: str, *, code: str = "", param: str = ""):
        super().__init__(message)
        self.status = status
        self.error = {"type": "invalid_request_error", "message": message}
        self.error.update({name: value for name, value in (("code", code), ("param", param)) if value})


class StripeStandIn:
    def __init__(self):
        self.requests: list[tuple[str, str, dict]] = []
        self.sessions: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.transfers: dict[str, dict] = {}  # to connected accounts
        self.idempotency_keys: list[tuple[str, str]] = []  # (path, Idempotency-Key) of each POST that had one
        self.paid: dict[str, int] = {}  # payment intent -> amount paid, in minor units
        self._failures: list[int] = []
        self._remembered: dict[str, tuple[tuple, int, dict]] = {}
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    # --- running

    def start(self) -> "StripeStandIn":
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.standin = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    # --- what a test does

    def fail_next(self, status: int = 500) -> None:
        """The next request is answered with a server error (500) or a declined card (402)."""
        self._failures.append(status)

    def session_pay(self, session_id: str) -> dict:
        """The buyer pays on the session's page; returns the session as Stripe's event carries it."""
        with self._lock:
            session = self.sessions[session_id]
            assert session["status"] == "open", f"cannot pay a session that is {session['status']}"
            session.update(status="complete", payment_status="paid", payment_intent=_new_id("pi_test"))
            self.paid[session["payment_intent"]] = session["amount_total"]
            return json.loads(json.dumps(session))

    def session_expire(self, session_id: str) -> dict:
        """The session's time runs out; returns it as Stripe's event carries it."""
        with self._lock:
            session = self.sessions[session_id]
            assert session["status"] == "open", f"cannot expire a session that is {session['status']}"
            session["status"] = "expired"
            return json.loads(json.dumps(session))

    def requests_to(self, method: str, path: str) -> list[dict]:
        return [params for m, p, params in self.requests if (m, p) == (method, path)]

    # --- answering

    def answer(self, method: str, path: str, params: dict, headers) -> tuple[int, dict, bool]:
        """(status, JSON body, replayed) for one request."""
        with self._lock:
            self.requests.append((method, path, params))
            if not API_KEY.match(headers.get("Authorization") or ""):
                return 401, {"error": {"type": "invalid_request_error",
                                       "message": "Invalid API Key provided."}}, False
            key = headers.get("Idempotency-Key") if method == "POST" else None
            if key:
                self.idempotency_keys.append((path, key))
            if key and key in self._remembered:
                request, status, body = self._remembered[key]
                if request != (path, params):
                    return 400, {"error": {"type": "idempotency_error", "message": (
                        "Keys for idempotent requests can only be used with the same parameters they "
                        "were first used with.")}}, False
                return status, body, True
            if self._failures:
                status = self._failures.pop(0)
                body = {"error": dict(FAILURES[status])}
            else:
                try:
                    status, body = 200, self._route(method, path, params)
                except Refused as refused:
                    return refused.status, {"error": refused.error}, False
            if key:
                self._remembered[key] = ((path, params), status, body)
            return status, body, False

    def _route(self, method: str, path: str, params: dict) -> dict:
        if (method, path) == ("POST", "/v1/checkout/sessions"):
            return self._session_create(params)
        if (method, path) == ("POST", "/v1/refunds"):
            return self._refund_create(params)
        if (method, path) == ("POST", "/v1/transfers"):
            return self._transfer_create(params)
        if method == "GET" and (match := SESSION.match(path)):
            return dict(self._session(match["id"]))
        if method == "POST" and (match := SESSION_EXPIRE.match(path)):
            return self._session_expire(match["id"])
        raise Refused(404, f"Unrecognized request URL ({method}: {path}).")

    def _session(self, session_id: str) -> dict:
        if session_id not in self.sessions:
            raise Refused(404, f"No such checkout.session: '{session_id}'", code="resource_missing", param="session")
        return self.sessions[session_id]

    def _session_create(self, params: dict) -> dict:
        lines = params.get("line_items") or []
        if not lines:
            raise Refused(400, "Missing required param: line_items.", code="parameter_missing", param="line_items")
        currencies = {line["price_data"]["currency"] for line in lines}
        if len(currencies) != 1:
            raise Refused(400, "All line items must be in the same currency.", param="line_items")
        now = int(time.time())
        expires_at = int(params.get("expires_at") or now + EXPIRES_MAX)
        if not now + EXPIRES_MIN <= expires_at <= now + EXPIRES_MAX:
            raise Refused(400, "The `expires_at` timestamp must be at least 30 minutes and at most 24 hours "
                               "from Checkout Session creation.", code="parameter_invalid_integer",
                          param="expires_at")
        total = sum(int(line["price_data"]["unit_amount"]) * int(line["quantity"]) for line in lines)
        session_id = _new_id("cs_test")
        self.sessions[session_id] = {
            "id": session_id, "object": "checkout.session", "mode": params.get("mode", "payment"),
            "amount_subtotal": total, "amount_total": total, "currency": currencies.pop(),
            "client_reference_id": params.get("client_reference_id"), "customer_email": params.get("customer_email"),
            "metadata": params.get("metadata") or {}, "locale": params.get("locale"),
            "success_url": params.get("success_url"), "cancel_url": params.get("cancel_url"),
            "created": now, "expires_at": expires_at, "livemode": False,
            "payment_intent": None, "payment_status": "unpaid", "status": "open",
            "url": f"{self.url}/pay/{session_id}",
        }
        return dict(self.sessions[session_id])

    def _session_expire(self, session_id: str) -> dict:
        session = self._session(session_id)
        if session["status"] != "open":
            raise Refused(400, f'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout '
                               f'Session has a status of "{session["status"]}".')
        session["status"] = "expired"
        return dict(session)

    def _refund_create(self, params: dict) -> dict:
        payment_intent = params.get("payment_intent")
        if not payment_intent:
            raise Refused(400, "Missing required param: payment_intent.", code="parameter_missing",
                          param="payment_intent")
        paid = self.paid.get(payment_intent)
        refunded = sum(refund["amount"] for refund in self.refunds.values()
                       if refund["payment_intent"] == payment_intent)
        amount = int(params["amount"]) if "amount" in params else (paid or 0) - refunded
        if paid is not None and amount > paid - refunded:
            raise Refused(400, f"Refund amount ({amount}) is greater than unrefunded amount on charge "
                               f"({paid - refunded})", code="amount_too_large", param="amount")
        currency = next((session["currency"] for session in self.sessions.values()
                         if session["payment_intent"] == payment_intent), None)
        refund = {"id": _new_id("re_test"), "object": "refund", "amount": amount, "currency": currency,
                  "payment_intent": payment_intent,
                  "metadata": params.get("metadata") or {}, "status": "succeeded", "created": int(time.time())}
        self.refunds[refund["id"]] = refund
        return dict(refund)

    def _transfer_create(self, params: dict) -> dict:
        for name in ("amount", "currency", "destination"):
            if not params.get(name):
                raise Refused(400, f"Missing required param: {name}.", code="parameter_missing", param=name)
        if not params["amount"].isdigit() or int(params["amount"]) < 1:
            raise Refused(400, "This value must be greater than or equal to 1.", code="parameter_invalid_integer",
                          param="amount")
        if not CONNECTED_ACCOUNT.match(params["destination"]):
            raise Refused(400, f"No such destination: '{params['destination']}'", code="resource_missing",
                          param="destination")
        transfer = {"id": _new_id("tr_test"), "object": "transfer", "amount": int(params["amount"]),
                    "currency": params["currency"], "destination": params["destination"],
                    "description": params.get("description"), "metadata": params.get("metadata") or {},
                    "reversed": False, "livemode": False, "created": int(time.time())}
        self.transfers[transfer["id"]] = transfer
        return dict(transfer)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self._respond("GET")

    def do_POST(self):
        self._respond("POST")

    def _respond(self, method: str) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        params = form_decode(url.query if method == "GET" else body)
        status, payload, replayed = self.server.standin.answer(method, url.path, params, self.headers)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", _new_id("req"))
        if replayed:
            self.send_header("Idempotent-Replayed", "true")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):  # noqa: A002 -- the base class's name
        pass  # keep test output quiet
