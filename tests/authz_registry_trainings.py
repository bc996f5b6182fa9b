"""Authorization-matrix rows of the registry's trainers and trainings routes (see tests/authz.py).

The world's trainer1 and training1 are placed at district D1 and trainer3 and training3 at
province P2. D1 objects lie outside the scope of commune staff (their scope is commune C1), so
the rows on these objects leave commune staff out of ``roles``: the matrix then expects them to
be refused (404), which is what happens. Commune staff organising sessions of their own commune
is tested in tests/registry/test_trainings.py.
"""

from tests.authz import Route

READERS = {"admin", "officer", "commune_staff", "viewer"}
EDITORS = {"admin", "officer", "commune_staff"}
SUPERVISORS = {"admin", "officer"}
# Who may read and who may change an object placed at district D1.
D1_READERS = {"admin", "officer", "viewer"}
D1_MANAGERS = {"admin", "officer"}


def trainer_url(path):
    return lambda w, target: path.format(id=w.trainer1 if target == "own" else w.trainer3)


def training_url(path):
    return lambda w, target: path.format(id=w.training1 if target == "own" else w.training3)


def attendance_url(w, target):
    """The trainer's attendance at the training (world.attendance1 / attendance3)."""
    training, attendance = (
        (w.training1, w.attendance1) if target == "own" else (w.training3, w.attendance3)
    )
    return f"/registry/trainings/{training}/attendees/{attendance}/delete"


def trainer_form(w):
    return {"unit": w.d1, "full_name": "Tập Huấn Viên Mới", "sex": "F", "background": "lawyer"}


def trainer_edit_form(w):
    return {"full_name": "Tập Huấn Viên Đã Sửa", "sex": "M", "background": "judge", "version": "1"}


def training_form(w):
    return {
        "unit": w.c1,
        "title": "Lớp tập huấn mới",
        "starts_on": "01/04/2025",
        "level": "commune",
        "is_framework": "y",
    }


def training_edit_form(w):
    return {
        "title": "Lớp tập huấn đã sửa",
        "starts_on": "11/05/2025",
        "level": "district",
        "is_framework": "y",
        "version": "1",
    }


ROUTES = [
    Route("registry.trainers", "GET", lambda w, t: "/registry/trainers/", READERS, scoped=False),
    Route(
        "registry.trainers",
        "GET",
        lambda w, t: "/registry/trainers/?q=marker&trained=yes",
        READERS,
        scoped=False,
    ),
    Route(
        "registry.trainer_create",
        "GET",
        lambda w, t: "/registry/trainers/new",
        SUPERVISORS,
        scoped=False,
    ),
    Route(
        "registry.trainer_create",
        "POST",
        lambda w, t: "/registry/trainers/new",
        SUPERVISORS,
        scoped=False,
        data=trainer_form,
        ok=(303,),
    ),
    Route("registry.trainer_detail", "GET", trainer_url("/registry/trainers/{id}"), D1_READERS),
    Route("registry.trainer_edit", "GET", trainer_url("/registry/trainers/{id}/edit"), D1_MANAGERS),
    Route(
        "registry.trainer_edit",
        "POST",
        trainer_url("/registry/trainers/{id}/edit"),
        D1_MANAGERS,
        data=trainer_edit_form,
        ok=(303,),
    ),
    Route("registry.trainings", "GET", lambda w, t: "/registry/trainings/", READERS, scoped=False),
    Route(
        "registry.trainings",
        "GET",
        lambda w, t: "/registry/trainings/?q=marker&framework=yes&year=2025",
        READERS,
        scoped=False,
    ),
    Route(
        "registry.training_create",
        "GET",
        lambda w, t: "/registry/trainings/new",
        EDITORS,
        scoped=False,
    ),
    Route(
        "registry.training_create",
        "POST",
        lambda w, t: "/registry/trainings/new",
        EDITORS,
        scoped=False,
        data=training_form,
        ok=(303,),
    ),
    Route("registry.training_detail", "GET", training_url("/registry/trainings/{id}"), D1_READERS),
    Route(
        "registry.training_edit", "GET", training_url("/registry/trainings/{id}/edit"), D1_MANAGERS
    ),
    Route(
        "registry.training_edit",
        "POST",
        training_url("/registry/trainings/{id}/edit"),
        D1_MANAGERS,
        data=training_edit_form,
        ok=(303,),
    ),
    Route(
        "registry.training_candidates",
        "GET",
        training_url("/registry/trainings/{id}/candidates?q=marker"),
        D1_MANAGERS,
    ),
    Route(
        "registry.training_attendees_add",
        "POST",
        training_url("/registry/trainings/{id}/attendees"),
        D1_MANAGERS,
        data=lambda w: {"mediator_ids": [str(w.mediator1), str(w.mediator2)]},
        ok=(303,),
    ),
    Route(
        "registry.training_attendees_add",
        "POST",
        training_url("/registry/trainings/{id}/attendees"),
        D1_MANAGERS,
        data=lambda w: {"team_id": w.team1},
        ok=(303,),
    ),
    Route(
        "registry.training_attendees_add",
        "POST",
        training_url("/registry/trainings/{id}/attendees"),
        D1_MANAGERS,
        data=lambda w: {"commune_id": w.c2},
        ok=(303,),
    ),
    Route(
        "registry.training_attendee_remove",
        "POST",
        attendance_url,
        D1_MANAGERS,
        ok=(303,),
    ),
]
