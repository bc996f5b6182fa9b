"""Our own stylesheets and script are served minified (QUALITY.md P8: a full page with its
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
    ".css": (rcssmin.cssmin, "text/css"),
    ".js": (rjsmin.jsmin, "text/javascript"),
}
# Our own files (app.css and the areas' stylesheets, app.js); vendored files are sent as they are.
OWN = ("css/", "js/")


def minifier(filename: str):
    """(minify, mimetype) for one of our files, or None."""
    if not filename.startswith(OWN) or "/" in filename.split("/", 1)[1]:
        return None
    return MINIFIERS.get(Path(filename).suffix)


@lru_cache(maxsize=16)
def _minified(path: str, mtime_ns: int, filename: str) -> bytes:
    minify = minifier(filename)[0]
    return minify(Path(path).read_text(encoding="utf-8")).encode("utf-8")


class App(Flask):
    """Flask, with our CSS and JS files sent minified by the static route."""

    def send_static_file(self, filename: str):
        found = minifier(filename)
        if found is None or self.static_folder is None:
            return super().send_static_file(filename)
        path = Path(self.static_folder) / filename
        if not path.is_file():
            return super().send_static_file(filename)
        body = _minified(str(path), path.stat().st_mtime_ns, filename)
        response = self.response_class(body, mimetype=found[1])
        response.cache_control.public = True
        response.cache_control.max_age = self.get_send_file_max_age(filename)
        response.set_etag(hashlib.sha256(body).hexdigest()[:32])
        return response.make_conditional(request)
