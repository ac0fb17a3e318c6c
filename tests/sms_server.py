"""A local stand-in for Alibaba Cloud SMS (dysmsapi, 2017-05-25), started by the tests: it checks
each request's signature the way the documentation describes (written here on its own, not with
the app's code), answers SendSms and QuerySendDetails, and can be told to be down."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def _encode(text: str) -> str:
    # Java's URLEncoder (what the documentation starts from), then its three corrections.
    encoded = urllib.parse.quote_plus(text, safe="")
    return encoded.replace("+", "%20").replace("*", "%2A").replace("%7E", "~")


def expected_signature(method: str, params: dict[str, str], secret: str) -> str:
    canonical = "&".join(f"{_encode(k)}={_encode(params[k])}" for k in sorted(params))
    string_to_sign = method + "&" + _encode("/") + "&" + _encode(canonical)
    mac = hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


@dataclass
class FakeAliyun:
    secret: str = "test-secret"
    down_for: int = 0  # answer the next N requests with HTTP 503
    refuse_code: str | None = None  # answer SendSms with this error code
    delivered: bool | None = True  # QuerySendDetails: True 3, False 2, None 1
    requests: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    def answer(self, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        self.requests.append(params)
        if self.down_for > 0:
            self.down_for -= 1
            return 503, {}
        signature = params.pop("Signature", "")
        if signature != expected_signature("GET", params, self.secret):
            return 400, {
                "Code": "SignatureDoesNotMatch",
                "Message": "Specified signature is not matched",
            }
        if params.get("Action") == "SendSms":
            if self.refuse_code:
                return 200, {"Code": self.refuse_code, "Message": "refused", "RequestId": "R1"}
            biz = f"{len(self.requests)}^0"
            return 200, {"Code": "OK", "Message": "OK", "BizId": biz, "RequestId": "R2"}
        if params.get("Action") == "QuerySendDetails":
            status = {True: 3, False: 2, None: 1}[self.delivered]
            detail = {"PhoneNum": params.get("PhoneNumber"), "SendStatus": status}
            return 200, {
                "Code": "OK",
                "Message": "OK",
                "TotalCount": 1,
                "SmsSendDetailDTOs": {"SmsSendDetailDTO": [detail]},
            }
        return 404, {"Code": "InvalidAction.NotFound", "Message": "no such action"}


@contextmanager
def fake_aliyun(**options: Any) -> Iterator[FakeAliyun]:
    fake = FakeAliyun(**options)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server name)
            query = urllib.parse.urlparse(self.path).query
            params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
            status, body = fake.answer(params)
            data = json.dumps(body).encode() if body else b""
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
