"""A small HTTP client for the benchmark: one connection per request (gunicorn's sync workers
close it anyway), a cookie jar, form parsing, timing of the whole response."""

import html
import http.client
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Client:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 120.0

    def request(
        self, method: str, path: str, data: dict | list | None = None, headers: dict | None = None
    ) -> Response:
        body = None
        sent = {"Host": f"{self.host}:{self.port}", "Accept": "text/html"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if data is not None:
            body = urlencode(data).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        started = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            payload = response.read()
            seconds = time.perf_counter() - started
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    self._store_cookie(value)
            return Response(
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                payload,
                seconds,
            )
        finally:
            conn.close()

    def get(self, path: str, headers: dict | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data, headers: dict | None = None) -> Response:
        return self.request("POST", path, data=data, headers=headers)

    def _store_cookie(self, header: str) -> None:
        pair = header.split(";", 1)[0]
        name, _, value = pair.partition("=")
        name = name.strip()
        expired = re.search(r"(?i)max-age=0|expires=thu, 01 jan 1970", header)
        if expired or value == "":
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value.strip()

    def login(self, username: str, password: str) -> None:
        page = self.get("/login")
        form = find_form(page.text, lambda f: "login" in (f.action or ""))
        fields = dict(form.fields)
        fields.update(username=username, password=password)
        answer = self.post(form.action or "/login", fields)
        if answer.status not in (302, 303):
            raise RuntimeError(f"login as {username}: HTTP {answer.status}")


@dataclass
class Form:
    action: str | None
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None
        self.select_value: str | None = None
        self.select_first: str | None = None
        self.option_value: str | None = None
        self.textarea: str | None = None
        self.textarea_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = Form(a.get("action"), (a.get("method") or "get").lower())
            self.forms.append(self.current)
        if self.current is None:
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if not a.get("name") or kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.current.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select, self.select_value, self.select_first = a.get("name"), None, None
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in a:
                self.select_value = value
        elif tag == "textarea":
            self.textarea, self.textarea_text = a.get("name"), []

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea_text.append(data)

    def handle_endtag(self, tag):
        if self.current is None:
            return
        if tag == "select" and self.select:
            value = self.select_value if self.select_value is not None else self.select_first
            self.current.fields.append((self.select, value or ""))
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.current.fields.append((self.textarea, "".join(self.textarea_text).lstrip("\n")))
            self.textarea = None
        elif tag == "form":
            self.current = None


def forms(page: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(page)
    return parser.forms


def find_form(page: str, predicate) -> Form:
    for form in forms(page):
        if predicate(form):
            return form
    raise RuntimeError("form not found in the page")


MORE_LINK = re.compile(r'id="[^"]*-more".*?href="([^"]+)"', re.S)


def more_link(page: str) -> str | None:
    """The "Xem tiếp" link of a list (the more_row macro), unescaped."""
    found = MORE_LINK.search(page)
    return html.unescape(found.group(1)) if found else None


ASSET = re.compile(r'<(?:link|script|img)\b[^>]*?(?:href|src)="(/static/[^"]+)"')


def asset_paths(page: str) -> list[str]:
    return list(dict.fromkeys(html.unescape(p) for p in ASSET.findall(page)))
