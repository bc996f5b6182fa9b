"""Authorization-matrix rows of the logbook's cases (see tests/authz.py).

Own targets: world.entry1 / team1 in commune C1; other: entry3 / team3 in C3 of the second
province. Keepers (officers, commune staff) add, correct and delete cases; admins and viewers
read them without the parties' names; judges see nothing of the logbook.
"""

from tests.authz import Route, unit_url

READERS = {"admin", "officer", "commune_staff", "viewer"}
KEEPERS = {"officer", "commune_staff"}


def case_form(w) -> dict:
    return {
        "number": "",
        "received_on": "10/03/2026",
        "started_on": "10/03/2026",
        "ended_on": "11/03/2026",
        "parties-0-full_name": "Thào Thị Dợ",
        "parties-0-age": "40",
        "parties-1-full_name": "Mùa A Chư",
        "content": "Tranh chấp lối đi chung",
        "scope": "civil",
        "mediators": [str(w.mediator1)],
        "result": "successful",
        "agreement": "Hai bên thống nhất mở lối đi.",
        "save": "book",
    }


def case_edit_form(w) -> dict:
    return {
        **case_form(w),
        "number": "1",
        "received_on": "10/03/2025",
        "started_on": "10/03/2025",
        "ended_on": "10/03/2025",
        "note": "Đã sửa",
        "version": "1",
    }


def listed(path):
    def url(w, target):
        return path.format(c3=w.c3, team3=w.team3, c2=w.c2)

    url.__name__ = "list_" + "".join(ch if ch.isalnum() else "_" for ch in path)[:40]
    return url


ROUTES: list = [
    Route("logbook.index", "GET", listed("/logbook/"), READERS, scoped=False),
    Route(
        "logbook.index", "GET", listed("/logbook/?unit={c3}&team={team3}"), READERS, scoped=False
    ),
    Route(
        "logbook.index",
        "GET",
        listed("/logbook/?year=2025&result=successful&scope=civil&number=1"),
        READERS,
        scoped=False,
    ),
    Route("logbook.index", "GET", listed("/logbook/?unit={c2}&shown_unit="), READERS, scoped=False),
    Route("logbook.export", "GET", listed("/logbook/export.xlsx"), READERS, scoped=False),
    Route("logbook.export", "GET", listed("/logbook/export.csv?unit={c3}"), READERS, scoped=False),
    Route("logbook.export", "GET", listed("/logbook/export.xlsx?year=2025"), READERS, scoped=False),
    Route("logbook.detail", "GET", unit_url("/logbook/entries/{id}", "entry1", "entry3"), READERS),
    Route(
        "logbook.detail",
        "GET",
        unit_url("/logbook/entries/{id}", "paid_entry1", "paid_entry3"),
        READERS,
    ),
    Route("logbook.create", "GET", listed("/logbook/entries/new"), KEEPERS, scoped=False),
    Route("logbook.create", "GET", unit_url("/logbook/entries/new?unit={id}"), KEEPERS),
    Route(
        "logbook.create",
        "GET",
        unit_url("/logbook/entries/new?team={id}", "team1", "team3"),
        KEEPERS,
    ),
    Route(
        "logbook.create",
        "POST",
        unit_url("/logbook/entries/new?team={id}", "team1", "team3"),
        KEEPERS,
        data=case_form,
        ok=(303,),
    ),
    Route(
        "logbook.edit",
        "GET",
        unit_url("/logbook/entries/{id}/edit", "entry1", "entry3"),
        KEEPERS,
    ),
    Route(
        "logbook.edit",
        "POST",
        unit_url("/logbook/entries/{id}/edit", "entry1", "entry3"),
        KEEPERS,
        data=case_edit_form,
        ok=(303,),
    ),
    Route(
        "logbook.delete",
        "POST",
        unit_url("/logbook/entries/{id}/delete", "entry1", "entry3"),
        KEEPERS,
        ok=(303,),
    ),
    Route("logbook.team_book", "GET", unit_url("/logbook/teams/{id}", "team1", "team3"), READERS),
    Route(
        "logbook.team_book",
        "GET",
        unit_url("/logbook/teams/{id}?year=2025", "team1", "team3"),
        READERS,
    ),
]
