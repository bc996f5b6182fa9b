"""What the interchange file looks like: its name and version, how values are written, and the
ids inside a published snapshot swapped for the file's keys (and back)."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

FORMAT_NAME = "hoagiai-contest"
FORMAT_VERSION = 1


def points(value: Decimal | None) -> str | None:
    """A decimal as the file writes it: a string with two places ("8.25")."""
    return None if value is None else f"{value:.2f}"


def iso_date(value: date | None) -> str | None:
    """A date as the file writes it: "2026-10-05"."""
    return None if value is None else value.isoformat()


def iso_datetime(value: datetime | None) -> str | None:
    """A stored (naive UTC) time as ISO 8601 with its zone: "2026-10-05T08:30:00Z"."""
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"


def parse_datetime(text: str) -> datetime:
    """ISO 8601 → naive UTC, as times are stored; a time without a zone is taken as UTC."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def remap_snapshot(
    data: dict,
    contest_id,
    round_id,
    parts: dict,
    entries: dict,
) -> tuple[dict, list]:
    """A copy of a snapshot's data with the contest, round, part and entry references swapped
    through the given maps (ids → keys on export, keys → ids on import), and the references
    that had no counterpart."""
    missing = []

    def swap(mapping, value):
        if value in mapping:
            return mapping[value]
        missing.append(value)
        return value

    copy = dict(data)
    if isinstance(copy.get("contest"), dict):
        copy["contest"] = {**copy["contest"], "id": contest_id}
    if isinstance(copy.get("round"), dict):
        copy["round"] = {**copy["round"], "id": round_id}
    if isinstance(copy.get("parts"), list):
        copy["parts"] = [
            {**p, "id": swap(parts, p.get("id"))} if isinstance(p, dict) else p
            for p in copy["parts"]
        ]
    if isinstance(copy.get("entries"), list):
        copy["entries"] = [
            {**e, "entry_id": swap(entries, e.get("entry_id"))} if isinstance(e, dict) else e
            for e in copy["entries"]
        ]
    if isinstance(copy.get("tie_decisions"), list):
        copy["tie_decisions"] = [
            {**d, "entry_ids": [swap(entries, i) for i in d.get("entry_ids") or []]}
            if isinstance(d, dict)
            else d
            for d in copy["tie_decisions"]
        ]
    return copy, missing


WIDTH = 100


def dumps(data) -> str:
    """JSON for people as well as programs: what fits on a line stays on one line."""
    return _render(data, 0, 0) + "\n"


def _render(value, indent: int, prefix: int) -> str:
    flat = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, dict | list) or not value or indent + prefix + len(flat) < WIDTH:
        return flat
    inner = " " * (indent + 2)
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            name = json.dumps(key, ensure_ascii=False) + ": "
            lines.append(inner + name + _render(item, indent + 2, len(name)))
        return "{\n" + ",\n".join(lines) + "\n" + " " * indent + "}"
    lines = [inner + _render(item, indent + 2, 0) for item in value]
    return "[\n" + ",\n".join(lines) + "\n" + " " * indent + "]"
