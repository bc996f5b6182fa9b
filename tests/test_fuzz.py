"""QUALITY.md R7: fuzzed form posts never give a 500, and a rejection saves nothing."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_authorization_matrix import fingerprint

TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "31/02/2025",
            "ban",
            "xa",
            "#1",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\x00",
            "đ" * 300,
        ]
    ),
)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _no_server_error(client, url, data, app):
    response = client.post(url, data=data)
    assert response.status_code < 500, (url, data)
    return response


def test_unit_forms_survive_fuzzing(app, world, login_as):
    client = login_as("admin")
    fields = [
        "kind",
        "name",
        "code",
        "valid_from",
        "valid_to",
        "note",
        "pilot_level",
        "pilot_start_year",
        "pilot_end_year",
        "version",
        "is_ethnic_minority_area",
    ]

    @FUZZ
    @given(st.fixed_dictionaries({}, optional={f: TEXT for f in fields}))
    def run(data):
        before = fingerprint(app)
        create = _no_server_error(client, f"/units/{world.c1}/children/new", data, app)
        if create.status_code != 303:
            assert fingerprint(app) == before, "a rejected form saved something"
        _no_server_error(client, f"/units/{world.c2}/edit", data, app)

    run()


def test_user_forms_survive_fuzzing(app, world, login_as):
    client = login_as("admin")
    fields = ["username", "full_name", "role", "unit", "new_password", "version"]

    @FUZZ
    @given(st.fixed_dictionaries({}, optional={f: TEXT for f in fields}))
    def run(data):
        _no_server_error(client, "/users/new", data, app)
        _no_server_error(client, f"/users/{world.users['viewer']}/edit", data, app)

    run()


def test_list_parameters_survive_fuzzing(world, login_as):
    client = login_as("admin")

    @FUZZ
    @given(q=TEXT, after=TEXT, role=TEXT)
    def run(q, after, role):
        for url in ("/units/", "/users/", "/audit/", "/units/lookup"):
            response = client.http.get(
                url,
                query_string={
                    "q": q,
                    "after": after,
                    "role": role,
                    "date_from": q,
                    "object_id": after,
                },
            )
            assert response.status_code < 500, (url, q, after)

    run()


def test_logbook_entry_forms_survive_fuzzing(app, world, login_as):
    """The case form: a rejected post (bad dates, ages, numbers, mediators) saves nothing."""
    client = login_as("commune_staff")
    fields = [
        "number",
        "page_number",
        "received_on",
        "started_on",
        "ended_on",
        "scope",
        "result",
        "content",
        "agreement",
        "invited_persons",
        "written_settlement",
        "note",
        "mediators",
        "parties-0-full_name",
        "parties-0-age",
        "parties-0-address",
        "parties-7-age",
        "version",
        "team_id",
        "payment_id",
    ]

    @FUZZ
    @given(st.fixed_dictionaries({}, optional={f: TEXT for f in fields}))
    def run(data):
        before = fingerprint(app)
        create = _no_server_error(client, f"/logbook/entries/new?team={world.team1}", data, app)
        if create.status_code != 303:
            assert fingerprint(app) == before, "a rejected case saved something"
        edit = _no_server_error(client, f"/logbook/entries/{world.entry1}/edit", data, app)
        if edit.status_code != 303:
            assert fingerprint(app) == before, "a rejected edit saved something"

    run()


def test_logbook_list_parameters_survive_fuzzing(world, login_as):
    client = login_as("officer")

    @FUZZ
    @given(q=TEXT, after=TEXT, other=TEXT)
    def run(q, after, other):
        for url in ("/logbook/", "/logbook/rates", "/logbook/remuneration/"):
            response = client.http.get(
                url,
                query_string={
                    "number": q,
                    "after": after,
                    "unit": other,
                    "team": q,
                    "year": other,
                    "result": q,
                    "scope": other,
                    "period": q,
                    "date_from": other,
                    "date_to": q,
                    "sort": other,
                },
            )
            assert response.status_code < 500, (url, q, after, other)

    run()


def _fuzz_posts(app, client, urls, fields):
    """Post fuzzed forms to each URL: never a 500, and a rejected post saves nothing."""

    @FUZZ
    @given(st.fixed_dictionaries({}, optional={f: TEXT for f in fields}))
    def run(data):
        for url in urls:
            before = fingerprint(app)
            response = _no_server_error(client, url, data, app)
            if response.status_code not in (200, 303):
                assert fingerprint(app) == before, f"a rejected post to {url} saved something"

    run()


def test_contest_setup_forms_survive_fuzzing(app, world, login_as):
    """The contest's rules, a part with criteria and penalty tiers, the prize table (frozen
    rules: a change needs its reason) — the board."""
    fields = [
        "name", "level", "year", "unit", "rule_document", "entry_kind", "official_count",
        "reserve_min", "reserve_max", "actor_max", "aggregation", "places", "rounding", "step",
        "outlier_percent", "tie_break-0", "tie_break-1", "amendment_reason", "reason", "kind",
        "max_points", "scored_by", "time_limit", "penalty_kind", "penalty_points",
        "penalty_tiers", "criteria-0-name", "criteria-0-max_points", "criteria-5-max_points",
        "rows-0-name", "rows-0-count", "rows-0-kind", "count", "version", "status", "frozen_at",
    ]  # fmt: skip
    urls = [
        f"/contests/{world.contest1}/edit",
        f"/contests/parts/{world.part1_skit}/edit",
        f"/contests/{world.contest1}/prizes",
        f"/contests/rounds/{world.round1}/parts/new",
    ]
    _fuzz_posts(app, login_as("officer"), urls, fields)


def test_contest_scoring_and_secretary_forms_survive_fuzzing(app, world, login_as):
    """A judge's sheet (marks, note, version) and the secretary's timings and penalties."""
    fields = [
        "mark_part", "note", "version", "entry", "part", "used", "points", "reason",
        "judge_id", "status", "total",
    ]  # fmt: skip
    judge = login_as("judge")
    _fuzz_posts(
        app,
        judge,
        [f"/contests/parts/{world.part1_intro}/entries/{world.contest_entry1}/sheet"],
        fields,
    )
    _fuzz_posts(app, login_as("officer"), [f"/contests/rounds/{world.round1}/penalties"], fields)


def test_commendation_review_and_decision_forms_survive_fuzzing(app, world, login_as):
    """The review (one and many), a new decision, its correction and a revocation — the
    district's officer."""
    fields = [
        "number", "signed_on", "unit", "issuer_name", "signer_title", "signer_name",
        "achievement", "amount_vnd", "legal_basis", "note", "proposals", "form", "version",
        "reason", "ids", "action", "next", "awards", "status", "serial",
    ]  # fmt: skip
    urls = [
        f"/commendations/proposals/{world.proposal1}/return",
        "/commendations/proposals/review",
        "/commendations/decisions/new",
        f"/commendations/decisions/{world.decision1}/edit",
        f"/commendations/decisions/{world.decision1}/revoke",
    ]
    _fuzz_posts(app, login_as("officer"), urls, fields)
