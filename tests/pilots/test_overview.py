"""The overview of pilot and model communes (pilots.index): scope, filters, the header's
counts, each row's sections, points, overdue items and model criteria, "load more", the htmx
fragment, and a fixed number of queries (QUALITY.md P3).

The world (tests/conftest.py add_pilots): checklist1 (C1 pilot, open, half empty: items past
due), checklist2 (C2 model, submitted), checklist4 (C1 model, signed off with its snapshot),
checklist3 (C3 pilot in province P2)."""

import re
from datetime import date

import pytest

from app.extensions import db
from app.pilots.models import Checklist
from app.pilots.routes import overview as overview_routes
from app.pilots.services.overview import OverviewFilters, overview_page, short_label
from app.pilots.services.view import build_views
from app.units.services import create_unit
from tests.pilots.factories import make_checklist
from tests.queries import count_queries

INDEX = "/pilots/"
C1, C2, C3 = "Xã Gamma MARKER-C1", "Xã Epsilon MARKER-C2", "Xã Sigma MARKER-C3"


def body(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def rows_of(html: str) -> list[str]:
    """The table's body rows (one string each)."""
    tbody = html.split('<tbody id="pilot-rows">', 1)[1].split("</tbody>", 1)[0]
    return [row for row in re.findall(r"<tr[^>]*>(.*?)</tr>", tbody, re.S) if "Xem tiếp" not in row]


def stat(html: str, label: str) -> str:
    """The value of a header count, by the start of its label."""
    match = re.search(
        r'<span class="stat-value">([^<]*)</span><span class="stat-label">' + re.escape(label),
        html,
    )
    assert match, label
    return match.group(1)


def test_officer_sees_the_district_checklists_with_sections_and_counts(world, login_as):
    html = body(login_as("officer").get(INDEX))
    rows = rows_of(html)
    assert len(rows) == 3
    assert sum(C1 in r for r in rows) == 2 and sum(C2 in r for r in rows) == 1
    assert "MARKER-C3" not in html
    assert stat(html, "xã được chỉ định") == "2"
    assert stat(html, "bảng kiểm đã ký duyệt") == "1"
    assert int(stat(html, "mục quá hạn")) > 0
    # Designate, the templates and the export for an officer.
    assert 'href="/pilots/checklists/new"' in html and 'href="/pilots/templates/"' in html
    assert 'href="/pilots/export.xlsx"' in html
    pilot = next(r for r in rows if C1 in r and "Chỉ đạo điểm" in r)
    assert f'href="/pilots/checklists/{world.checklist1}"' in pilot
    assert re.search(r"I&nbsp;\d+% · II&nbsp;\d+% · III&nbsp;\d+% · IV&nbsp;\d+%", pilot)
    # The legend names the sections of each template on the page.
    assert "<strong>Hoạt động chỉ đạo điểm về hòa giải ở cơ sở (2024-2026)</strong>: I. " in html
    assert "<strong>Tiêu chí cấp xã điển hình về hòa giải ở cơ sở</strong>: I. " in html
    assert "Cấp huyện" in pilot and "01/01/2024 – 31/12/2026" in pilot
    assert "Đang thực hiện" in pilot and "badge-danger" in pilot  # its overdue items
    assert "Khi ký duyệt" not in pilot and "Đạt" not in pilot  # no model criteria


def test_a_signed_off_model_row_shows_the_frozen_result_and_now(app, world, login_as):
    html = body(login_as("officer").get(INDEX, query_string={"status": "signed_off"}))
    (row,) = rows_of(html)
    assert C1 in row and "Đã ký duyệt" in row
    assert "Khi ký duyệt:" in row and "Hiện nay:" in row
    with app.app_context():
        signed = db.session.get(Checklist, world.checklist4)
        frozen = build_views([signed], date.today())[signed.id]
        live = build_views([signed], date.today(), live=True)[signed.id]
        assert frozen.frozen and not live.frozen
    expected = [("Đạt" if met else "Chưa đạt") for met in (frozen.meets_all, live.meets_all)]
    cell = row.rsplit("<td>", 1)[1]
    shown = re.findall(r'<span class="badge badge-(?:ok|danger)">([^<]+)</span>', cell)
    assert shown == expected


def test_filters_kind_status_unit_and_overdue(world, login_as):
    client = login_as("officer")
    model = rows_of(body(client.get(INDEX, query_string={"kind": "model"})))
    assert len(model) == 2 and all("Xã điển hình" in r for r in model)
    submitted = rows_of(body(client.get(INDEX, query_string={"status": "submitted"})))
    assert len(submitted) == 1 and C2 in submitted[0]
    in_c2 = body(client.get(INDEX, query_string={"unit": world.c2}))
    assert len(rows_of(in_c2)) == 1 and stat(in_c2, "xã được chỉ định") == "1"
    overdue = rows_of(body(client.get(INDEX, query_string={"overdue": "1"})))
    assert overdue and all("badge-danger" in r for r in overdue)
    assert not any("Đã ký duyệt" in r for r in overdue)


def test_unknown_filter_values_are_ignored(world, login_as):
    client = login_as("officer")
    html = body(
        client.get(
            INDEX,
            query_string={
                "kind": "x",
                "status": "<b>",
                "unit": "abc",
                "after": "@@",
                "overdue": "2",
            },
        )
    )
    assert len(rows_of(html)) == 3
    # A unit of another province is ignored too (the subtree's rows, no leak).
    html = body(client.get(INDEX, query_string={"unit": world.c3}))
    assert len(rows_of(html)) == 3 and "MARKER-C3" not in html


def test_nothing_found_says_so(world, login_as):
    html = body(login_as("officer").get(INDEX, query_string={"status": "returned"}))
    assert "Không có bảng kiểm nào phù hợp" in html
    assert stat(html, "xã được chỉ định") == "0"


def test_commune_staff_see_their_commune_only_and_no_designation(world, login_as):
    html = body(login_as("commune_staff").get(INDEX))
    rows = rows_of(html)
    assert len(rows) == 2 and all(C1 in r for r in rows)
    assert "MARKER-C2" not in html and "MARKER-C3" not in html
    assert "/pilots/checklists/new" not in html and "/pilots/templates/" not in html
    assert "/pilots/export.xlsx" in html


def test_admin_sees_both_provinces_and_judges_are_refused(world, login_as):
    html = body(login_as("admin").get(INDEX))
    assert len(rows_of(html)) == 4 and C3 in html
    assert login_as("judge").get(INDEX).status_code == 403


def test_the_fragment_is_the_list_with_the_unit_field_out_of_band(world, login_as):
    response = login_as("officer").get(INDEX, htmx="pilot-list", query_string={"kind": "pilot"})
    html = body(response)
    assert "<html" not in html and 'id="pilot-filters"' not in html
    assert 'id="pilot-unit-field" hx-swap-oob="true"' in html
    assert len(rows_of(html)) == 1
    assert "HX-Request" in response.headers["Vary"]
    assert len(response.get_data()) < 15_000  # QUALITY.md P8


def test_load_more_pages_by_commune_name(world, login_as, monkeypatch):
    monkeypatch.setattr(overview_routes, "PAGE_SIZE", 2)
    client = login_as("officer")
    first = body(client.get(INDEX))
    assert len(rows_of(first)) == 2 and 'id="pilot-rows-more"' in first
    assert first.index(C2) < first.index(C1)  # Epsilon before Gamma
    cursor = re.search(r'href="/pilots/\?after=([^"&]+)"', first).group(1)
    more = body(client.get(f"{INDEX}?after={cursor}", htmx="pilot-rows-more"))
    assert "<tbody" not in more and "stat-value" not in more
    assert len(re.findall(r"<tr>", more)) == 1 and C1 in more
    assert 'id="pilot-rows-more"' not in more
    # Without htmx the same link is a full page.
    assert "<html" in body(client.get(f"{INDEX}?after={cursor}"))


def test_short_labels_of_sections():
    assert short_label("II. Bồi dưỡng, tập huấn", 2) == "II"
    assert short_label("Phần riêng", 3) == "3"
    assert OverviewFilters.from_args({"overdue": "on", "kind": "pilot"}).as_args() == {
        "kind": "pilot",
        "overdue": 1,
    }


def test_past_the_stats_limit_only_sql_counts(world, login_as, monkeypatch):
    from app.pilots.services import overview

    monkeypatch.setattr(overview, "STATS_LIMIT", 1)
    html = body(login_as("officer").get(INDEX))
    assert stat(html, "xã được chỉ định") == "2" and stat(html, "bảng kiểm đã ký duyệt") == "1"
    assert "Chọn một địa bàn nhỏ hơn để tính." in html
    assert len(rows_of(html)) == 3


def test_the_service_counts_overdue_items_like_the_views(world, ctx):
    from app.users.models import User

    officer = db.session.get(User, world.users["officer"])
    today = date.today()
    overview = overview_page(officer, OverviewFilters(), None, 50, today)
    page, stats = overview.page, overview.stats
    assert [name for name, _sections in overview.legend] == [
        "Hoạt động chỉ đạo điểm về hòa giải ở cơ sở (2024-2026)",
        "Tiêu chí cấp xã điển hình về hòa giải ở cơ sở",
    ]
    open_ones = [db.session.get(Checklist, i) for i in (world.checklist1, world.checklist2)]
    views = build_views(open_ones, today)
    assert stats.overdue == sum(v.tally.overdue for v in views.values())
    assert stats.checklists == 3 and stats.model_communes == 2
    assert {row.checklist.id for row in page.items} == {
        world.checklist1,
        world.checklist2,
        world.checklist4,
    }


@pytest.fixture
def many_checklists(app, world):
    """Eight more communes of D1, each with a pilot and a model checklist, one signed off."""

    def _add():
        from tests.pilots.factories import sign_off

        with app.app_context():
            from app.units.models import Unit

            district = db.session.get(Unit, world.d1)
            for n in range(8):
                commune = create_unit(parent=district, kind="xa", name=f"Xã Thêm {n}")
                db.session.flush()
                make_checklist(commune_id=commune.id, office_unit_id=world.d1)
                model = make_checklist(commune_id=commune.id, office_unit_id=world.d1, kind="model")
                if n == 0:
                    sign_off(model)
            db.session.commit()

    return _add


def test_a_fixed_number_of_queries(app, world, login_as, many_checklists):
    client = login_as("officer")
    urls = [INDEX, f"{INDEX}?overdue=1", f"{INDEX}?kind=model"]
    few = [count_queries(app, client, url) for url in urls]
    fragment = count_queries(app, client, INDEX, htmx="pilot-list")
    many_checklists()
    assert [count_queries(app, client, url) for url in urls] == few
    assert count_queries(app, client, INDEX, htmx="pilot-list") == fragment
    html = body(client.get(INDEX))
    assert len(rows_of(html)) == overview_routes.PAGE_SIZE and "Xem tiếp" in html


def test_a_full_page_of_rows_stays_under_15_kb(world, login_as, many_checklists):
    """QUALITY.md P8: the answer to a filter change, and "load more"."""
    many_checklists()
    client = login_as("officer")
    fragment = client.get(INDEX, htmx="pilot-list")
    assert len(rows_of(body(fragment))) == overview_routes.PAGE_SIZE
    assert len(fragment.get_data()) <= 15 * 1024
    cursor = re.search(r'href="/pilots/\?after=([^"&]+)"', body(fragment)).group(1)
    more = client.get(f"{INDEX}?after={cursor}", htmx="pilot-rows-more")
    assert len(more.get_data()) <= 15 * 1024


def test_the_communes_page_lists_its_checklists(app, world, login_as):
    client = login_as("officer")
    html = body(client.get(f"/units/{world.c1}"))
    card = html.split('id="pilot-card-title"', 1)[1].split("</section>", 1)[0]
    assert f'href="/pilots/checklists/{world.checklist1}"' in card
    assert f'href="/pilots/checklists/{world.checklist4}"' in card
    assert "Đã ký duyệt" in card and "01/01/2024 – 31/12/2026" in card
    assert 'id="pilot-card-title"' not in body(client.get(f"/units/{world.d1}"))
    assert 'id="pilot-card-title"' in body(login_as("commune_staff").get(f"/units/{world.c1}"))
    # One query whatever the number of checklists.
    few = count_queries(app, client, f"/units/{world.c2}")
    with app.app_context():
        make_checklist(commune_id=world.c2, office_unit_id=world.d1)
        db.session.commit()
    assert count_queries(app, client, f"/units/{world.c2}") == few
    assert body(client.get(f"/units/{world.c2}")).count("/pilots/checklists/") == 2
