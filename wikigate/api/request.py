"""The raw request as the API sees it: parameters with where each came from.

PHP's rules apply: a repeated name keeps its last value, and a body value wins
over a query-string value of the same name. Values are cleaned as MediaWiki's
WebRequest cleans them (invalid UTF-8 and C0 controls become U+FFFD, text is
NFC-normalised), and the names of cleaned values are kept for a warning.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from starlette.datastructures import Headers, UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect, Request

from wikigate.api.errors import ApiError
from wikigate.netranges import AddressRanges

log = logging.getLogger("wikigate.api")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORM_URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
# PHP's max_input_vars: more parameters than this in one request are refused.
MAX_PARAMETERS = 1000


def clean_text(raw: bytes) -> tuple[str, bool]:
    """Decode and normalise one value; the flag says whether anything had to change.

    A leading U+001F announces U+001F-separated multiple values, so there the
    separators survive and each part is cleaned on its own.
    """
    if raw.startswith(b"\x1f"):
        parts = [clean_text(part) for part in raw[1:].split(b"\x1f")]
        return "\x1f" + "\x1f".join(text for text, _ in parts), any(changed for _, changed in parts)
    text = raw.decode("utf-8", errors="replace")
    changed = "\ufffd" in text and b"\xef\xbf\xbd" not in raw
    if _CONTROL.search(text):
        text, changed = _CONTROL.sub("\ufffd", text), True
    if not text.isascii():
        normal = unicodedata.normalize("NFC", text)
        if normal != text:
            text, changed = normal, True
    return text, changed


def parse_urlencoded(data: bytes) -> tuple[dict[str, str], set[str]]:
    values: dict[str, str] = {}
    cleaned: set[str] = set()
    pairs = data.split(b"&", MAX_PARAMETERS)
    if len(pairs) > MAX_PARAMETERS:
        raise ApiError("toomanyparameters", MAX_PARAMETERS, http_status=400)
    for pair in pairs:
        if not pair:
            continue
        name_raw, _, value_raw = pair.partition(b"=")
        name, _ = clean_text(unquote_to_bytes(name_raw.replace(b"+", b" ")))
        value, changed = clean_text(unquote_to_bytes(value_raw.replace(b"+", b" ")))
        values[name] = value
        if changed:
            cleaned.add(name)
    return values, cleaned


@dataclass(slots=True)
class ApiRequest:
    method: str
    query: dict[str, str]
    body: dict[str, str]
    headers: Headers
    client_ip: str
    scheme: str
    path: str = ""
    # Whether `body` came form-encoded: only then do its parameters count in an OAuth 1.0a signature.
    form_encoded: bool = False
    cleaned: set[str] = field(default_factory=set)
    used: set[str] = field(default_factory=set)
    _cookies: dict[str, str] | None = None
    names: set[str] = field(default_factory=set)  # every parameter name given, body or query

    def __post_init__(self) -> None:
        self.names = set(self.query) | set(self.body)

    @property
    def was_posted(self) -> bool:
        return self.method == "POST"

    def get(self, name: str) -> str | None:
        """A parameter's value, marking it as recognised."""
        self.used.add(name)
        value = self.body.get(name)
        return self.query.get(name) if value is None else value

    def peek(self, name: str) -> str | None:
        """A parameter's value without marking it as recognised."""
        value = self.body.get(name)
        return self.query.get(name) if value is None else value

    def has(self, name: str) -> bool:
        return name in self.body or name in self.query

    def in_query(self, name: str) -> bool:
        """True when the value in force came from the query string."""
        return name in self.query and name not in self.body

    def ordered_names(self) -> list[str]:
        """Every parameter name in PHP's order for a request's values: the body's, then the query string's."""
        return list(dict.fromkeys([*self.body, *self.query]))

    def unused(self) -> list[str]:
        return [name for name in self.ordered_names() if name not in self.used]

    @property
    def cookies(self) -> dict[str, str]:
        if self._cookies is None:
            jar: dict[str, str] = {}
            for header in self.headers.getlist("cookie"):
                for chunk in header.split(";"):
                    name, sep, value = chunk.strip().partition("=")
                    if sep and name not in jar:
                        jar[name] = value.strip().strip('"')
            self._cookies = jar
        return self._cookies


class ClientGone(Exception):
    """The client went away before its request was read in full: nobody is left to answer."""


# What an X-Request-Id from a trusted proxy may look like (nginx's $request_id, UUIDs, …).
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@+=/-]{1,128}")


class TrustedProxies:
    """Which peers' forwarding headers to believe, and what they say about the client.

    As MediaWiki reads X-Forwarded-For: from the right, every address that is a
    trusted proxy is skipped, and the first one that is not is the client. A
    peer that is not trusted is the client itself, whatever it claims.
    """

    def __init__(self, ranges: tuple[str, ...]) -> None:
        self._ranges = AddressRanges(ranges, setting="trusted_proxies")

    def trusts(self, address: str) -> bool:
        return address in self._ranges

    def request_id(self, peer: str, headers: Headers) -> str | None:
        """The request id a trusted proxy gave (so its log and ours share it); None otherwise."""
        # The peer first: with no trusted proxies (the usual case) no header is even looked up.
        if not self.trusts(peer):
            return None
        given = headers.get("x-request-id")
        return given if given is not None and _REQUEST_ID.fullmatch(given) else None

    def client(self, peer: str, headers: Headers) -> tuple[str, str | None]:
        """The client's address, and the scheme the proxy says it used (None: not told)."""
        if not self.trusts(peer):
            return peer, None
        address = peer
        for hop in reversed(headers.get("x-forwarded-for", "").split(",")):
            hop = hop.strip()
            try:
                ipaddress.ip_address(hop)
            except ValueError:
                break
            address = hop
            if not self.trusts(hop):
                break
        scheme = headers.get("x-forwarded-proto", "").strip().lower()
        return address, scheme if scheme in ("http", "https") else None


async def read_request(request: Request, *, max_body: int, proxies: TrustedProxies) -> ApiRequest:
    """Build an ApiRequest from an HTTP request; errors here are API-shaped."""
    query, cleaned = parse_urlencoded(request.scope.get("query_string", b""))
    body: dict[str, str] = {}
    method = request.method
    form_encoded = False
    if method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > max_body:
            raise ApiError("toolarge", max_body, http_status=413)
        # The whole body, whatever its encoding (chunked or not), is read under the cap.
        data = bytearray()
        try:
            async for chunk in request.stream():
                data += chunk
                if len(data) > max_body:
                    raise ApiError("toolarge", max_body, http_status=413)
        except ClientDisconnect:
            log.info("client went away mid-body after %d bytes", len(data))
            raise ClientGone from None
        if content_type == MULTIPART:
            body, body_cleaned = await _read_multipart(request, bytes(data))
            cleaned |= body_cleaned
        else:
            if content_type in (FORM_URLENCODED, "") or not data.strip():
                body, body_cleaned = parse_urlencoded(bytes(data))
                cleaned |= body_cleaned
                form_encoded = content_type == FORM_URLENCODED
            else:
                raise ApiError("unsupportedmediatype", http_status=415)
    peer = request.client.host if request.client else "127.0.0.1"
    client, forwarded_scheme = proxies.client(peer, request.headers)
    return ApiRequest(
        method=method,
        query=query,
        body=body,
        headers=request.headers,
        client_ip=client,
        scheme=forwarded_scheme or request.url.scheme,
        cleaned=cleaned,
        path=request.url.path,
        form_encoded=form_encoded,
    )


async def _read_multipart(request: Request, data: bytes) -> tuple[dict[str, str], set[str]]:
    """The fields of a multipart body already read (and capped) in full."""
    values: dict[str, str] = {}
    cleaned: set[str] = set()
    sent = False

    async def replay() -> dict[str, object]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": data, "more_body": False}

    # Without "app" in its scope Starlette reports a bad body as MultiPartException, not HTTP 400.
    buffered = Request({key: value for key, value in request.scope.items() if key != "app"}, replay)
    try:
        form = await buffered.form(max_files=MAX_PARAMETERS, max_fields=MAX_PARAMETERS, max_part_size=len(data) + 1)
    except MultiPartException as error:
        if str(error).startswith("Too many"):
            raise ApiError("toomanyparameters", MAX_PARAMETERS, http_status=400) from error
        raise ApiError("unsupportedmediatype", http_status=400) from error
    except Exception as error:  # a malformed body is the client's mistake, not ours
        raise ApiError("unsupportedmediatype", http_status=400) from error
    try:
        for name, item in form.multi_items():
            raw = await item.read() if isinstance(item, UploadFile) else item.encode("utf-8", "surrogateescape")
            text, changed = clean_text(raw)
            values[name] = text
            if changed:
                cleaned.add(name)
    finally:
        await form.close()
    return values, cleaned


__all__ = ["ApiRequest", "TrustedProxies", "read_request", "clean_text", "parse_urlencoded"]
