"""Text-message providers for the notice outbox: the interface, and Alibaba Cloud SMS (阿里云短信
服务, API version 2017-05-25) over HTTP.

Alibaba Cloud's RPC style (help.aliyun.com, "Signature mechanism" and the SendSms /
QuerySendDetails references): every parameter goes in the query string with the common ones
(AccessKeyId, Action, Format=JSON, RegionId, SignatureMethod=HMAC-SHA1, SignatureNonce,
SignatureVersion=1.0, Timestamp in UTC ISO 8601, Version=2017-05-25); the parameters are sorted,
percent-encoded (RFC 3986: space %20, ``*`` %2A, ``~`` kept), joined into the canonical query,
and ``StringToSign = METHOD & %2F & encode(canonical query)``; ``Signature =
Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))``. SendSms answers
``{"Code": "OK", "BizId": ..., "RequestId": ...}``; QuerySendDetails lists
``SmsSendDetailDTOs.SmsSendDetailDTO[]`` whose ``SendStatus`` is 1 waiting for the receipt,
2 failed, 3 delivered.

Signed by hand with the standard library (hmac, hashlib, urllib): the vendor's Python SDK
(alibabacloud_dysmsapi20170525) brings its Tea runtime and a dozen packages into the installer
for one signed GET; the signature is the dozen lines below, checked by the tests against a local
server that verifies it the way the documentation says.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

API_VERSION = "2017-05-25"
DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/"
# Codes worth another try later: throttling and the service's own trouble.
RETRY_CODES = frozenset(
    {"isv.BUSINESS_LIMIT_CONTROL", "Throttling.User", "isp.SYSTEM_ERROR", "ServiceUnavailable"}
)


@dataclass(frozen=True)
class SendResult:
    accepted: bool
    ref: str | None = None  # the provider's id of the message (BizId)
    error: str | None = None
    retry: bool = False  # a failure worth another try later


class Delivery(Protocol):
    """What a provider does for the outbox."""

    def send(
        self, phone: str, template_code: str | None, params: Mapping[str, str], text: str
    ) -> SendResult: ...

    def delivery(self, phone: str, ref: str, sent_at: datetime) -> bool | None:
        """True delivered, False failed, None not known yet."""
        ...


def percent_encode(value: str) -> str:
    return urllib.parse.quote(value, safe="~")


def sign(method: str, params: Mapping[str, str], secret: str) -> str:
    """The RPC signature of ``params`` (without ``Signature``)."""
    canonical = "&".join(
        f"{percent_encode(key)}={percent_encode(params[key])}" for key in sorted(params)
    )
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


@dataclass
class AliyunSms:
    access_key_id: str
    access_key_secret: str
    sign_name: str
    endpoint: str = DEFAULT_ENDPOINT
    region: str = "cn-hangzhou"
    timeout: float = 10.0
    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    def _call(self, action: str, params: Mapping[str, str]) -> dict[str, object]:
        query = {
            "AccessKeyId": self.access_key_id,
            "Action": action,
            "Format": "JSON",
            "RegionId": self.region,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": self.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
            **params,
        }
        query["Signature"] = sign("GET", query, self.access_key_secret)
        encoded = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in query.items())
        url = self.endpoint.rstrip("/") + "/?" + encoded
        import urllib.error  # with the first message: http.client, email... not at start-up
        import urllib.request

        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as answer:  # noqa: S310
                body = answer.read()
        except urllib.error.HTTPError as error:  # the API answers errors with a JSON body too
            body = error.read()
            if not body or error.code >= 500:
                raise ProviderDown(f"HTTP {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise ProviderDown(str(getattr(error, "reason", error))) from error
        try:
            data = json.loads(body)
        except ValueError as error:
            raise ProviderDown("not a JSON answer") from error
        return data if isinstance(data, dict) else {}

    def send(
        self, phone: str, template_code: str | None, params: Mapping[str, str], text: str
    ) -> SendResult:
        if not template_code:
            return SendResult(False, error="no template code for this event")
        try:
            data = self._call(
                "SendSms",
                {
                    "PhoneNumbers": phone,
                    "SignName": self.sign_name,
                    "TemplateCode": template_code,
                    "TemplateParam": json.dumps(dict(params), ensure_ascii=False),
                },
            )
        except ProviderDown as down:
            return SendResult(False, error=f"provider unreachable: {down}", retry=True)
        code = str(data.get("Code", ""))
        if code == "OK":
            return SendResult(True, ref=str(data.get("BizId") or "") or None)
        return SendResult(
            False, error=f"{code}: {data.get('Message', '')}"[:500], retry=code in RETRY_CODES
        )

    def delivery(self, phone: str, ref: str, sent_at: datetime) -> bool | None:
        try:
            data = self._call(
                "QuerySendDetails",
                {
                    "PhoneNumber": phone,
                    "BizId": ref,
                    "SendDate": sent_at.astimezone(UTC).strftime("%Y%m%d"),
                    "PageSize": "10",
                    "CurrentPage": "1",
                },
            )
        except ProviderDown:
            return None
        details = data.get("SmsSendDetailDTOs")
        rows = details.get("SmsSendDetailDTO", []) if isinstance(details, dict) else []
        for row in rows if isinstance(rows, list) else []:
            status = int(row.get("SendStatus", 1)) if isinstance(row, dict) else 1
            if status == 3:
                return True
            if status == 2:
                return False
        return None


class ProviderDown(Exception):
    """The provider could not be reached or did not answer sensibly: try again later."""
