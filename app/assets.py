"""Our own stylesheet and script are served minified (QUALITY.md P8: a full page with its
assets ≤ 100 KB on first load; comments and indentation stay in the sources we edit).

Minified once per file version (path and modification time) by rcssmin/rjsmin, kept in
memory; the static route's URL, hash and caching are unchanged.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

import rcssmin
import rjsmin
from flask import Flask, request

MINIFIERS = {
    "css/app.css": (rcssmin.cssmin, "text/css"),
    "js/app.js": (rjsmin.jsmin, "text/javascript"),
}


@lru_cache(maxsize=8)
def _minified(path: str, mtime_ns: int, filename: str) -> bytes:
    minify = MINIFIERS[filename][0]
    return minify(Path(path).read_text(encoding="utf-8")).encode("utf-8")


class App(Flask):
    """Flask, with the files of MINIFIERS sent minified by the static route."""

    def send_static_file(self, filename: str):
        if filename not in MINIFIERS or self.static_folder is None:
            return super().send_static_file(filename)
        path = Path(self.static_folder) / filename
        body = _minified(str(path), path.stat().st_mtime_ns, filename)
        response = self.response_class(body, mimetype=MINIFIERS[filename][1])
        response.cache_control.public = True
        response.cache_control.max_age = self.get_send_file_max_age(filename)
        response.set_etag(hashlib.sha256(body).hexdigest()[:32])
        return response.make_conditional(request)
