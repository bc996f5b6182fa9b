"""The one place that decides between a full page and an htmx fragment."""

from flask import Response, make_response, render_template, request


def is_htmx() -> bool:
    """True for requests made by htmx (not for history restores, which want a full page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def htmx_target() -> str | None:
    return request.headers.get("HX-Target") if is_htmx() else None


MORE_SUFFIX = "-more"


def render_page_or_fragment(
    page_template: str,
    fragment_template: str,
    /,
    rows_template: str | None = None,
    status: int = 200,
    **context,
) -> Response:
    """Render the fragment for htmx and the full page (which includes it) otherwise.

    ``rows_template`` is the template of a list's rows alone: what a "load more" row (whose id ends
    in ``-more``, see the ``more_row`` macro) asks for.
    """
    if not is_htmx():
        template = page_template
    elif rows_template and (htmx_target() or "").endswith(MORE_SUFFIX):
        template = rows_template
    else:
        template = fragment_template
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def redirect_for_htmx(location: str, status: int = 200) -> Response:
    """Ask htmx to navigate the whole page (used for an expired session: status 401)."""
    response = make_response("", status)
    response.headers["HX-Redirect"] = location
    return response
