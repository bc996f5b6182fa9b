"""Authorization-matrix rows of the registry's Excel routes: the import and the exports (see
tests/authz.py). Own targets are commune C1, other targets commune C3 of the second province.

An upload's own pages (preview, bad rows, apply) need a stored upload, and the matrix builds
URLs from the world's ids only, outside any application context. Their rows here point at an
upload that does not exist, so every role gets 403/404 (the route, its policy entry and the
"refused writes change nothing" check are covered); tests/registry/test_excel.py
(test_upload_endpoints_authorization) then calls the three endpoints with real uploads — one for
C1 by its commune staff, one for C3 by the other province's officer — for every role, in and out
of scope, and checks that a refused apply writes nothing.
"""

from io import BytesIO

from openpyxl import Workbook

from tests.authz import UNIT_EDITORS, UNIT_READERS, Route, unit_url

NO_UPLOAD = 2_000_000_000


def template_file(w) -> dict:
    """A form with a minimal import file (the header of the template, one row)."""
    from app.registry.excel.columns import HEADERS, SHEET

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(HEADERS)
    sheet.append([None, "Người Kiểm Thử", "Nữ", 1985, "Mông"])
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return {"file": (buffer, "kiem-thu.xlsx")}


def no_upload(path):
    return unit_url(path.replace("{file}", str(NO_UPLOAD)))


ROUTES = [
    Route(
        "registry.import_template",
        "GET",
        unit_url("/registry/import/template?commune={id}"),
        UNIT_EDITORS,
    ),
    Route("registry.import_upload", "GET", unit_url("/registry/import?commune={id}"), UNIT_EDITORS),
    Route(
        "registry.import_upload",
        "POST",
        unit_url("/registry/import?commune={id}"),
        UNIT_EDITORS,
        data=template_file,
        ok=(303,),
    ),
    Route(
        "registry.import_preview",
        "GET",
        no_upload("/registry/import/{file}?commune={id}"),
        UNIT_EDITORS,
        ok=(404,),
    ),
    Route(
        "registry.import_errors",
        "GET",
        no_upload("/registry/import/{file}/errors.xlsx?commune={id}"),
        UNIT_EDITORS,
        ok=(404,),
    ),
    Route(
        "registry.import_apply",
        "POST",
        no_upload("/registry/import/{file}/apply?commune={id}"),
        UNIT_EDITORS,
        data=lambda w: {"plan": "x"},
        ok=(404,),
    ),
]
for kind in ("mediators", "teams", "trainers", "trainings"):
    for fmt in ("xlsx", "csv"):
        ROUTES.append(
            Route(
                f"registry.{kind}_export",
                "GET",
                lambda w, t, kind=kind, fmt=fmt: f"/registry/{kind}/export.{fmt}",
                UNIT_READERS,
                scoped=False,
            )
        )
ROUTES.append(
    Route(
        "registry.mediators_export",
        "GET",
        lambda w, t: f"/registry/mediators/export.csv?unit={w.c1}&status=all&q=giang",
        UNIT_READERS,
        scoped=False,
    )
)
