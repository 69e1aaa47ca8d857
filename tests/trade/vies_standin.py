"""A local stand-in for the EU's VIES REST API (``POST /check-vat-number``): JSON in, JSON out, as VIES
answers, on an ephemeral port of 127.0.0.1 in a daemon thread.

    with ViesStandIn(registered={"NL004495445B01": "INTERIEUR WINKEL B.V."}) as vies:
        ...  # TRADE_VAT_CHECKER OPTIONS url=vies.url
        vies.requests  # the JSON bodies received

``unavailable=True`` answers as VIES does when a member state's service is down (an error code, no
verdict); ``broken=True`` answers 500.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ViesStandIn:
    def __init__(self, *, registered=None, unavailable=False, broken=False):
        self.registered = dict(registered or {})
        self.unavailable, self.broken = unavailable, broken
        self.requests = []

    def __enter__(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                standin.requests.append(body)
                if self.path != "/check-vat-number":
                    return self._answer(404, {"errorWrappers": [{"error": "NOT_FOUND"}]})
                if standin.broken:
                    return self._answer(500, {"errorWrappers": [{"error": "SERVICE_UNAVAILABLE"}]})
                if standin.unavailable:
                    return self._answer(200, {"actionSucceed": False,
                                              "errorWrappers": [{"error": "MS_UNAVAILABLE"}]})
                number = f"{body.get('countryCode', '')}{body.get('vatNumber', '')}"
                name = standin.registered.get(number)
                return self._answer(200, {"countryCode": body.get("countryCode"), "vatNumber": body.get("vatNumber"),
                                          "requestDate": "2026-12-04T10:00:00.000Z", "valid": name is not None,
                                          "name": name or "---", "address": "---"})

            def _answer(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/check-vat-number"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
