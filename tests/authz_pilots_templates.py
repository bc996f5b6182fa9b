"""Authorization-matrix rows of pilots: checklist templates (see tests/authz.py).

Own targets: template1 (a draft of district D1's, with tsection1 and its item titem1: the
district's officer and the admin change it). Other targets: template3 (a draft of province
P2's, tsection3, titem3: only the admin reaches it). The default pilot template is read by
every office and revised by the admin alone. Deleting tsection1 is refused with 422 (it has
its item), nothing changed.
"""

from tests.authz import Route

OFFICES = {"admin", "officer"}


def _pick(own: str, other: str, path: str, action: str = ""):
    def url(w, target):
        record = getattr(w, own if target == "own" else other)
        return path.format(id=record) + (f"/{action}" if action else "")

    url.__name__ = f"{own}_{action.replace('/', '_') or 'page'}"
    return url


def _template(action=""):
    return _pick("template1", "template3", "/pilots/templates/{id}", action)


def _section(action):
    return _pick("tsection1", "tsection3", "/pilots/sections/{id}", action)


def _item(action):
    return _pick("titem1", "titem3", "/pilots/template-items/{id}", action)


def template_list(w, target):
    return "/pilots/templates/"


def template_list_of_kind(w, target):
    return "/pilots/templates/?kind=pilot"


def new_template(w, target):
    return "/pilots/templates/new"


def copy_of(w, target):
    return f"/pilots/templates/new?from={w.template1 if target == 'own' else w.template3}"


def default_template(w, target):
    return f"/pilots/templates/{w.template_pilot}"


def default_revise(w, target):
    return f"/pilots/templates/{w.template_pilot}/revise"


def item_data(w):
    return {
        "text": "Tỷ lệ hòa giải viên được tập huấn",
        "item_type": "percent",
        "formula": "mediators_trained",
        "target_operator": ">=",
        "target_value": "100",
        "due_months": "12",
        "points": "10",
        "required": "y",
        "version": "1",
    }


ROUTES: list = [
    Route("pilots.templates", "GET", template_list, OFFICES, scoped=False),
    Route("pilots.templates", "GET", template_list_of_kind, OFFICES, scoped=False),
    Route("pilots.template_create", "GET", new_template, OFFICES, scoped=False),
    Route(
        "pilots.template_create",
        "POST",
        new_template,
        OFFICES,
        scoped=False,
        data=lambda w: {"name": "Mẫu chỉ đạo điểm mới", "kind": "pilot"},
        ok=(303,),
    ),
    Route("pilots.template_create", "GET", copy_of, OFFICES),
    Route(
        "pilots.template_create",
        "POST",
        copy_of,
        OFFICES,
        data=lambda w: {"name": "Bản sao của mẫu", "kind": "pilot"},
        ok=(303,),
    ),
    Route("pilots.template_detail", "GET", _template(), OFFICES),
    Route("pilots.template_detail", "GET", default_template, OFFICES, scoped=False),
    Route("pilots.template_edit", "GET", _template("edit"), OFFICES),
    Route(
        "pilots.template_edit",
        "POST",
        _template("edit"),
        OFFICES,
        data=lambda w: {"name": "Mẫu đã đổi tên", "description": "Mô tả", "version": "1"},
        ok=(303,),
    ),
    Route("pilots.template_revise", "POST", _template("revise"), OFFICES, ok=(303,)),
    Route("pilots.template_revise", "POST", default_revise, {"admin"}, scoped=False, ok=(303,)),
    Route(
        "pilots.template_publish",
        "POST",
        _template("publish"),
        OFFICES,
        data=lambda w: {"version": "1"},
        ok=(303,),
    ),
    Route(
        "pilots.section_create",
        "POST",
        _template("sections"),
        OFFICES,
        data=lambda w: {"title": "II. Tập huấn, bồi dưỡng", "version": "1"},
        ok=(303,),
    ),
    Route("pilots.section_edit", "GET", _section("edit"), OFFICES),
    Route(
        "pilots.section_edit",
        "POST",
        _section("edit"),
        OFFICES,
        data=lambda w: {"title": "I. Khảo sát", "version": "1"},
        ok=(303,),
    ),
    Route(
        "pilots.section_delete",
        "POST",
        _section("delete"),
        OFFICES,
        data=lambda w: {"version": "1"},
        ok=(422,),
    ),
    Route("pilots.item_create", "GET", _section("items/new"), OFFICES),
    Route("pilots.item_create", "POST", _section("items/new"), OFFICES, data=item_data, ok=(303,)),
    Route("pilots.item_edit", "GET", _item("edit"), OFFICES),
    Route("pilots.item_edit", "POST", _item("edit"), OFFICES, data=item_data, ok=(303,)),
    Route(
        "pilots.item_delete",
        "POST",
        _item("delete"),
        OFFICES,
        data=lambda w: {"version": "1"},
        ok=(303,),
    ),
    Route(
        "pilots.item_move",
        "POST",
        _item("move"),
        OFFICES,
        data=lambda w: {"direction": "up"},
        ok=(303,),
    ),
]
