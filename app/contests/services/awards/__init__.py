"""After the last round is published: side prizes chosen by the board, certificates with their
serial numbers, and the winners proposed for commendation in one step (DOMAIN.md §5, §6).

``winners`` (the final ranking's prizes and the side awards), ``side``, ``certifying`` and
``proposals``, re-exported here."""

from app.contests.services.awards.certifying import (
    PrintedCertificate,
    certificates,
    issue_certificates,
    pending_certificates,
    printed_certificates,
    serial_text,
)
from app.contests.services.awards.proposals import (
    PROPOSAL_HEADERS,
    ProposalRow,
    pending_proposals,
    proposal_export,
    proposal_rows,
    proposals_stmt,
    propose_winners,
)
from app.contests.services.awards.side import (
    award_side_prize,
    contest_entries,
    remove_award,
    side_prizes,
)
from app.contests.services.awards.winners import (
    CLOSED,
    NOT_PUBLISHED,
    PRIZE_NAME_LENGTH,
    Winner,
    check_awards_open,
    final_snapshot,
    require_final_snapshot,
    side_awards,
    winners,
)
from app.contests.services.lookups import last_round, members_of

__all__ = [
    "CLOSED",
    "NOT_PUBLISHED",
    "PRIZE_NAME_LENGTH",
    "PROPOSAL_HEADERS",
    "PrintedCertificate",
    "ProposalRow",
    "Winner",
    "award_side_prize",
    "certificates",
    "check_awards_open",
    "contest_entries",
    "final_snapshot",
    "issue_certificates",
    "last_round",
    "members_of",
    "pending_certificates",
    "pending_proposals",
    "printed_certificates",
    "proposal_export",
    "proposal_rows",
    "proposals_stmt",
    "propose_winners",
    "remove_award",
    "require_final_snapshot",
    "serial_text",
    "side_awards",
    "side_prizes",
    "winners",
]
