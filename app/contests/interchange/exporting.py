"""``flask contests export``: every record of a contest, with file-local keys for references.
The rounds and what was scored in them are written by exporting_rounds.py."""

from sqlalchemy import select

from app.clock import utcnow
from app.contests.interchange.exporting_rounds import export_round
from app.contests.interchange.keys import Keys, rows
from app.contests.interchange.shape import (
    FORMAT_NAME,
    FORMAT_VERSION,
    dumps,
    iso_date,
    iso_datetime,
    points,
)
from app.contests.interchange.units import unit_references
from app.contests.models import (
    Contest,
    ContestAmendment,
    ContestAward,
    ContestCertificate,
    ContestEntry,
    ContestEntryMember,
    ContestEntryUnit,
    ContestPrize,
    ContestRound,
)
from app.extensions import db
from app.registry.models import Mediator


def export_contest(contest: Contest) -> dict:
    """The whole contest as JSON-ready data (docs/contest-format.md); reads only."""
    keys = Keys()
    data = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": iso_datetime(utcnow()),
        "units": [],
        "contest": _contest(contest, keys),
        "amendments": [
            {"at": iso_datetime(a.at), "reason": a.reason, "changes": a.changes}
            for a in rows(ContestAmendment, ContestAmendment.contest_id == contest.id)
        ],
        "prizes": _prizes(contest, keys),
        "entries": _entries(contest, keys),
    }
    rounds = rows(
        ContestRound, ContestRound.contest_id == contest.id, order=[ContestRound.position]
    )
    data["rounds"] = [export_round(r, n, keys) for n, r in enumerate(rounds, start=1)]
    data["awards"] = [
        {
            "prize": keys.get("prize", a.prize_id),
            "entry": keys.get("entry", a.entry_id),
            "member": keys.get("member", a.member_id),
            "reason": a.reason,
            "at": iso_datetime(a.at),
        }
        for a in rows(ContestAward, ContestAward.contest_id == contest.id)
    ]
    data["certificates"] = [
        {
            "serial": c.serial,
            "entry": keys.get("entry", c.entry_id),
            "prize_name": c.prize_name,
            "issued_on": iso_date(c.issued_on),
            "snapshot": keys.get("snapshot", c.snapshot_id),
        }
        for c in rows(ContestCertificate, ContestCertificate.contest_id == contest.id)
    ]
    references = unit_references(keys.unit_ids)
    data["units"] = [
        {"key": keys.unit(unit_id), **references[unit_id]} for unit_id in keys.unit_ids
    ]
    return data


def export_json(contest: Contest) -> str:
    """The export as the text of the file (UTF-8, Vietnamese kept readable)."""
    return dumps(export_contest(contest))


def _contest(c: Contest, keys: Keys) -> dict:
    return {
        "name": c.name,
        "level": c.level,
        "year": c.year,
        "organiser": keys.unit(c.unit_id),
        "rule_document": c.rule_document,
        "status": c.status,
        "note": c.note,
        "entry_kind": c.entry_kind,
        "official_count": c.official_count,
        "reserve_min": c.reserve_min,
        "reserve_max": c.reserve_max,
        "actor_max": c.actor_max,
        "every_unit_represented": c.every_unit_represented,
        "aggregation": c.aggregation,
        "places": c.places,
        "rounding": c.rounding,
        "step": points(c.step),
        "outlier_percent": points(c.outlier_percent),
        "tie_break": c.tie_break_keys,
        "frozen_at": iso_datetime(c.frozen_at),
    }


def _prizes(contest: Contest, keys: Keys) -> list[dict]:
    prizes = rows(
        ContestPrize, ContestPrize.contest_id == contest.id, order=[ContestPrize.position]
    )
    return [
        {"key": keys.add("prize", p.id, f"G{n}"), "name": p.name, "kind": p.kind, "count": p.count}
        for n, p in enumerate(prizes, start=1)
    ]


def _entries(contest: Contest, keys: Keys) -> list[dict]:
    entries = rows(ContestEntry, ContestEntry.contest_id == contest.id)
    ids = [e.id for e in entries] or [0]
    members = rows(
        ContestEntryMember,
        ContestEntryMember.entry_id.in_(ids),
        order=[ContestEntryMember.entry_id, ContestEntryMember.position],
    )
    represented = rows(ContestEntryUnit, ContestEntryUnit.entry_id.in_(ids))
    mediators = {
        m.id: m
        for m in db.session.scalars(
            select(Mediator).where(Mediator.id.in_({m.mediator_id for m in members} or {0}))
        )
    }
    out = []
    for n, entry in enumerate(entries, start=1):
        key = keys.add("entry", entry.id, f"E{n}")
        own = [m for m in members if m.entry_id == entry.id]
        out.append(
            {
                "key": key,
                "name": entry.name,
                "unit": keys.unit(entry.unit_id),
                "status": entry.status,
                "note": entry.note,
                "represents": [keys.unit(u.unit_id) for u in represented if u.entry_id == entry.id],
                "members": [
                    _member(m, f"{key}.M{i}", mediators.get(m.mediator_id), keys)
                    for i, m in enumerate(own, start=1)
                ],
            }
        )
    return out


def _member(member: ContestEntryMember, key: str, mediator, keys: Keys) -> dict:
    # The registry reference: where to look for the same name and birth year on import.
    registry = None
    if mediator is not None:
        registry = {"unit": keys.unit(mediator.commune_id or mediator.unit_id)}
    return {
        "key": keys.add("member", member.id, key),
        "role": member.role,
        "full_name": member.full_name,
        "birth_year": member.birth_year,
        "sex": member.sex,
        "unit": keys.unit(member.unit_id),
        "registry": registry,
    }
