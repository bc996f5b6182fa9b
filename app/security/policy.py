"""The route policy (QUALITY.md S1): who may call every endpoint of the app.

Every endpoint must have an entry; ``enforce`` refuses, fail-closed, any endpoint that does
not. A test walks ``app.url_map`` and fails on a route missing from this table. Object-level
rules (which unit, which contest) are checked by the area's permission functions on top.
"""

from dataclasses import dataclass

from app.users.models import Role


@dataclass(frozen=True)
class Access:
    """Who may call a route: anyone, any logged-in user, or the listed roles."""

    public: bool = False
    roles: frozenset[str] | None = None  # None with public=False: any logged-in user

    def allows(self, user) -> bool:
        if self.public:
            return True
        if not user.is_authenticated:
            return False
        return self.roles is None or user.role in self.roles


PUBLIC = Access(public=True)
LOGGED_IN = Access()


def roles(*names: str) -> Access:
    return Access(roles=frozenset(names))


ADMIN = roles(Role.ADMIN)
# Everyone who works with the registry of units (judges only see their assignments).
UNIT_READERS = roles(Role.ADMIN, Role.OFFICER, Role.COMMUNE_STAFF, Role.VIEWER)
UNIT_EDITORS = roles(Role.ADMIN, Role.OFFICER, Role.COMMUNE_STAFF)

# The registry (DOMAIN.md §3): judges see nothing of it.
REGISTRY_READERS = UNIT_READERS
REGISTRY_EDITORS = UNIT_EDITORS
SUPERVISORS = roles(Role.ADMIN, Role.OFFICER)

# The logbook (DOMAIN.md §4): the commune and its supervising officers keep it and read the
# parties' personal data; admins and viewers read counts; judges see nothing of it.
LOGBOOK_READERS = UNIT_READERS
LOGBOOK_KEEPERS = roles(Role.OFFICER, Role.COMMUNE_STAFF)
PAY_RATE_MANAGERS = SUPERVISORS

# The contest (DOMAIN.md §5): the board (organisers) and the units below read and register;
# judges reach only the scoring pages; which contest, round or sheet is checked by
# app/contests/permissions.py on top.
CONTEST_READERS = UNIT_READERS
CONTEST_ORGANISERS = UNIT_EDITORS
JUDGES = roles(Role.JUDGE)

# Commendation (DOMAIN.md §6): everyone but judges reads what is placed in their subtree;
# communes and officers propose; the supervising offices (officers) review and record
# decisions. Which proposal or decision is checked by app/commendations/permissions.py.
COMMENDATION_READERS = UNIT_READERS
COMMENDATION_PROPOSERS = UNIT_EDITORS
COMMENDATION_OFFICES = SUPERVISORS

# Pilot communes and the model commune (DOMAIN.md §7): everyone but judges reads the
# checklists of their subtree; officers designate, review, sign off and keep templates; the
# commune's staff fill in. Which checklist or template: app/pilots/permissions.py.
PILOT_READERS = UNIT_READERS
PILOT_OFFICES = SUPERVISORS
PILOT_FILLERS = roles(Role.COMMUNE_STAFF)

# Dashboards and reports (DOMAIN.md §8, §9): everyone but judges reads those of their subtree
# (counts only); officers and admins keep the plans that set the targets.
REPORT_READERS = UNIT_READERS
PLAN_KEEPERS = SUPERVISORS

POLICY: dict[str, Access] = {
    "static": PUBLIC,
    "main.health": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": LOGGED_IN,
    "auth.password": LOGGED_IN,
    "main.index": LOGGED_IN,
    "units.index": UNIT_READERS,
    "units.detail": UNIT_READERS,
    "units.children": UNIT_READERS,
    "units.create": UNIT_EDITORS,
    "units.edit": UNIT_EDITORS,
    "units.succession": ADMIN,
    "units.print": UNIT_READERS,
    "units.lookup": UNIT_READERS,
    "users.index": ADMIN,
    "users.create": ADMIN,
    "users.edit": ADMIN,
    "users.reset_password": ADMIN,
    "users.deactivate": ADMIN,
    "users.activate": ADMIN,
    "users.end_sessions": ADMIN,
    "audit.index": ADMIN,
    "audit.detail": ADMIN,
    "registry.teams": REGISTRY_READERS,
    "registry.team_detail": REGISTRY_READERS,
    "registry.team_create": REGISTRY_EDITORS,
    "registry.team_edit": REGISTRY_EDITORS,
    "registry.team_support_add": REGISTRY_EDITORS,
    "registry.team_support_end": REGISTRY_EDITORS,
    "registry.supporters": REGISTRY_READERS,
    "registry.supporter_create": REGISTRY_EDITORS,
    "registry.supporter_edit": REGISTRY_EDITORS,
    "registry.mediators": REGISTRY_READERS,
    "registry.mediator_detail": REGISTRY_READERS,
    "registry.mediator_file": REGISTRY_READERS,
    "registry.mediator_create": REGISTRY_EDITORS,
    "registry.mediator_check": REGISTRY_EDITORS,
    "registry.mediator_edit": REGISTRY_EDITORS,
    "registry.mediator_move": REGISTRY_EDITORS,
    "registry.mediator_make_leader": REGISTRY_EDITORS,
    "registry.mediator_dismiss": REGISTRY_EDITORS,
    "registry.mediator_reinstate": REGISTRY_EDITORS,
    "registry.mediators_bulk": REGISTRY_EDITORS,
    "registry.trainers": REGISTRY_READERS,
    "registry.trainer_detail": REGISTRY_READERS,
    "registry.trainer_create": SUPERVISORS,
    "registry.trainer_edit": SUPERVISORS,
    "registry.trainings": REGISTRY_READERS,
    "registry.training_detail": REGISTRY_READERS,
    "registry.training_create": REGISTRY_EDITORS,
    "registry.training_edit": REGISTRY_EDITORS,
    "registry.training_candidates": REGISTRY_EDITORS,
    "registry.training_attendees_add": REGISTRY_EDITORS,
    "registry.training_attendee_remove": REGISTRY_EDITORS,
    "registry.teams_export": REGISTRY_READERS,
    "registry.mediators_export": REGISTRY_READERS,
    "registry.trainers_export": REGISTRY_READERS,
    "registry.trainings_export": REGISTRY_READERS,
    "registry.import_template": REGISTRY_EDITORS,
    "registry.import_upload": REGISTRY_EDITORS,
    "registry.import_preview": REGISTRY_EDITORS,
    "registry.import_apply": REGISTRY_EDITORS,
    "registry.import_errors": REGISTRY_EDITORS,
    "logbook.index": LOGBOOK_READERS,
    "logbook.export": LOGBOOK_READERS,
    "logbook.detail": LOGBOOK_READERS,
    "logbook.create": LOGBOOK_KEEPERS,
    "logbook.edit": LOGBOOK_KEEPERS,
    "logbook.delete": LOGBOOK_KEEPERS,
    "logbook.team_book": LOGBOOK_READERS,
    "logbook.print": LOGBOOK_READERS,
    "logbook.rates": LOGBOOK_READERS,
    "logbook.remuneration": LOGBOOK_READERS,
    "logbook.team_remuneration": LOGBOOK_READERS,
    "logbook.payment_request": LOGBOOK_READERS,
    "logbook.pay": LOGBOOK_KEEPERS,
    "logbook.payment_detail": LOGBOOK_READERS,
    "logbook.payment_cancel": LOGBOOK_KEEPERS,
    "logbook.pay_rates": LOGBOOK_READERS,
    "logbook.pay_rate_create": PAY_RATE_MANAGERS,
    "logbook.pay_rate_edit": PAY_RATE_MANAGERS,
    # contests: setup
    "contests.index": CONTEST_READERS,
    "contests.create": CONTEST_ORGANISERS,
    "contests.detail": CONTEST_READERS,
    "contests.edit": CONTEST_ORGANISERS,
    "contests.transition": CONTEST_ORGANISERS,
    "contests.round_create": CONTEST_ORGANISERS,
    "contests.round_edit": CONTEST_ORGANISERS,
    "contests.round_open": CONTEST_ORGANISERS,
    "contests.part_create": CONTEST_ORGANISERS,
    "contests.part_edit": CONTEST_ORGANISERS,
    "contests.part_delete": CONTEST_ORGANISERS,
    "contests.prizes": CONTEST_ORGANISERS,
    # contests: entries, running order, panels
    "contests.entries": CONTEST_READERS,
    "contests.entry_create": CONTEST_ORGANISERS,
    "contests.entry_detail": CONTEST_READERS,
    "contests.entry_edit": CONTEST_ORGANISERS,
    "contests.entry_withdraw": CONTEST_ORGANISERS,
    "contests.draw": CONTEST_ORGANISERS,
    "contests.advance": CONTEST_ORGANISERS,
    "contests.judges": CONTEST_ORGANISERS,
    "contests.judge_remove": CONTEST_ORGANISERS,
    # contests: scoring on tablets (judges only; the seat is checked per round)
    "contests.scoring": JUDGES,
    "contests.declare": JUDGES,
    "contests.sheet": JUDGES,
    "contests.sheet_submit": JUDGES,
    "contests.head": JUDGES,
    "contests.sheet_reopen": JUDGES,
    "contests.outlier_review": JUDGES,
    # contests: the secretary and the board during judging
    "contests.progress": CONTEST_ORGANISERS,
    "contests.penalties": CONTEST_ORGANISERS,
    "contests.penalty_delete": CONTEST_ORGANISERS,
    "contests.secretary_marks": CONTEST_ORGANISERS,
    # contests: results
    "contests.results": CONTEST_ORGANISERS,
    "contests.tie_decide": CONTEST_ORGANISERS,
    "contests.publish": CONTEST_ORGANISERS,
    "contests.published": CONTEST_READERS,
    "contests.projector": CONTEST_READERS,
    # contests: documents, side prizes, certificates, proposals for commendation
    "contests.print_sheets": CONTEST_ORGANISERS,
    "contests.print_table": CONTEST_READERS,
    "contests.print_minutes": CONTEST_READERS,
    "contests.awards": CONTEST_ORGANISERS,
    "contests.certificates": CONTEST_READERS,
    "contests.certificates_issue": CONTEST_ORGANISERS,
    "contests.propose": CONTEST_ORGANISERS,
    "contests.proposals": CONTEST_ORGANISERS,
    # commendations: overview, proposals, review, decisions, documents
    "commendations.index": COMMENDATION_READERS,
    "commendations.proposals": COMMENDATION_READERS,
    "commendations.proposal_create": COMMENDATION_PROPOSERS,
    "commendations.proposal_bulk": COMMENDATION_PROPOSERS,
    "commendations.proposal_detail": COMMENDATION_READERS,
    "commendations.proposal_edit": COMMENDATION_PROPOSERS,
    "commendations.proposal_withdraw": COMMENDATION_PROPOSERS,
    "commendations.proposal_accept": COMMENDATION_OFFICES,
    "commendations.proposal_return": COMMENDATION_OFFICES,
    "commendations.proposal_forward": COMMENDATION_OFFICES,
    "commendations.review_bulk": COMMENDATION_OFFICES,
    "commendations.decisions": COMMENDATION_READERS,
    "commendations.decision_create": COMMENDATION_OFFICES,
    "commendations.decision_detail": COMMENDATION_READERS,
    "commendations.decision_edit": COMMENDATION_OFFICES,
    "commendations.decision_revoke": COMMENDATION_OFFICES,
    "commendations.decision_print": COMMENDATION_READERS,
    "commendations.decision_certificates": COMMENDATION_READERS,
    "commendations.award_certificate": COMMENDATION_READERS,
    # pilots: overview, designation, templates, filling in, evidence, review
    "pilots.index": PILOT_READERS,
    "pilots.export": PILOT_READERS,
    "pilots.checklist_create": PILOT_OFFICES,
    "pilots.checklist_edit": PILOT_OFFICES,
    "pilots.checklist_detail": PILOT_READERS,
    "pilots.item_save": PILOT_FILLERS,
    "pilots.checklist_submit": PILOT_FILLERS,
    "pilots.evidence_upload": PILOT_FILLERS,
    "pilots.evidence_attach": PILOT_FILLERS,
    "pilots.evidence_remove": PILOT_FILLERS,
    "pilots.evidence_download": PILOT_READERS,
    "pilots.item_accept": PILOT_OFFICES,
    "pilots.item_return": PILOT_OFFICES,
    "pilots.checklist_signoff": PILOT_OFFICES,
    "pilots.checklist_reopen": PILOT_OFFICES,
    "pilots.checklist_print": PILOT_READERS,
    "pilots.snapshot_detail": PILOT_READERS,
    "pilots.templates": PILOT_OFFICES,
    "pilots.template_create": PILOT_OFFICES,
    "pilots.template_detail": PILOT_OFFICES,
    "pilots.template_edit": PILOT_OFFICES,
    "pilots.template_revise": PILOT_OFFICES,
    "pilots.template_publish": PILOT_OFFICES,
    "pilots.section_create": PILOT_OFFICES,
    "pilots.section_edit": PILOT_OFFICES,
    "pilots.section_delete": PILOT_OFFICES,
    "pilots.item_create": PILOT_OFFICES,
    "pilots.item_edit": PILOT_OFFICES,
    "pilots.item_delete": PILOT_OFFICES,
    "pilots.item_move": PILOT_OFFICES,
    # reports: dashboards, plans (targets)
    "reports.dashboard": REPORT_READERS,
    "reports.plans": REPORT_READERS,
    "reports.plan_create": PLAN_KEEPERS,
    "reports.plan_detail": REPORT_READERS,
    "reports.plan_edit": PLAN_KEEPERS,
}
