"""The files the linker reads beside the platform's subjects: blacklist files and people files.

A blacklist file has the registry's shape (key, name, legal representative, address,
phone …) and goes through the registry importer; a people file (subject key, name, ID
number, role, phone) through the people importer, which checks ID numbers (GB 11643).
Entries are kept per county and key: uploading a file again updates them. A people file
replaces the people of the subjects (or blacklist entries) it names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction

from fundwatch.web.models import AuditLog, Person, Subject, User, WatchlistEntry
from fundwatch.web.services.common import county_of, read_with, shown

SHOWN_PROBLEMS = 20


@dataclass
class Taken:
    """What a file gave: rows read, rows stored, rows not taken, and the first problems by line."""

    read: int
    stored: int
    rejected: int
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"读取 {self.read:,} 行：导入 {self.stored:,} 行，未导入 {self.rejected:,} 行"


def _problems(rejects: pl.DataFrame) -> list[str]:
    rows = rejects.head(SHOWN_PROBLEMS).iter_rows(named=True)
    return [f"第 {r['line']} 行 {r['column'] or ''}：{r['reason']}" for r in rows]


def _text(value: Any, size: int) -> str:
    return str(value or "")[:size]


def import_watchlist(path: Path, user: User, name: str | None = None) -> Taken:
    """A blacklist file of the registry's shape into the county's uploaded blacklist."""
    from fundwatch.ingest.registry import load_registry

    county = county_of(user)
    imported = read_with(load_registry, path, name, "file")
    with transaction.atomic():
        for row in imported.frame.iter_rows(named=True):
            WatchlistEntry.objects.update_or_create(region=county, key=row["subject_key"], defaults={
                "uscc": _text(row["uscc"], 18), "name": _text(row["name"] or row["subject_key"], 200),
                "legal_rep": _text(row["legal_rep"], 64), "address": _text(row["address"], 300),
                "operating_address": _text(row["operating_address"], 300), "phone": _text(row["phone"], 64),
                "region_code": _text(row["region_code"], 6), "status": _text(row["status"], 64),
                "source": _text(name or path.name, 200), "line": row["line"], "uploaded_by": user,
            })
        taken = Taken(imported.read, imported.frame.height, imported.rejected, _problems(imported.rejects))
        AuditLog.record(user, AuditLog.Action.IMPORT, county, county.pk,
                        after={"source": "blacklist", "file": name or path.name, "read": taken.read,
                               "stored": taken.stored, "rejected": taken.rejected})
    return taken


def import_people(path: Path, user: User, name: str | None = None, *, of_blacklist: bool = False) -> Taken:
    """A people file for the county's subjects (by key or USCC), or for its uploaded blacklist entries."""
    from fundwatch.ingest.people import read_people

    county = county_of(user)
    imported = read_with(read_people, path, name, "file")
    frame = imported.frame
    keys = frame["subject_key"].drop_nulls().unique().to_list()
    if of_blacklist:
        owners: dict[str, Any] = {e.key: e for e in WatchlistEntry.objects.filter(region=county, key__in=keys)}
    else:
        found = Subject.objects.filter(region__code__startswith=county.prefix)
        owners = {s.key: s for s in found.filter(key__in=keys)}
        owners |= {s.uscc: s for s in found.filter(uscc__in=keys)}
    owner = "entry" if of_blacklist else "subject"
    stranger = frame.filter(~pl.col("subject_key").is_in(list(owners)))
    people = [
        Person(**{owner: owners[r["subject_key"]]}, name=_text(r["name"], 64), id_number=_text(r["id_number"], 18),
               role=_text(r["role"], 32), phone=_text(r["phone"], 32), source=_text(name or path.name, 200),
               line=r["line"])
        for r in frame.iter_rows(named=True) if r["subject_key"] in owners
    ]
    where = "本县上传的黑名单" if of_blacklist else "本县主体"
    unknown = [f"第 {r['line']} 行 主体标识：{shown(r['subject_key'])} 不在{where}中" for r in
               stranger.head(SHOWN_PROBLEMS).iter_rows(named=True)]
    with transaction.atomic():
        Person.objects.filter(**{f"{owner}__in": {o.pk for o in owners.values()}}).delete()
        Person.objects.bulk_create(people, batch_size=1000)
        taken = Taken(imported.read, len(people), imported.rejected + stranger.height,
                      (_problems(imported.rejects) + unknown)[:SHOWN_PROBLEMS])
        AuditLog.record(user, AuditLog.Action.IMPORT, county, county.pk,
                        after={"source": "blacklist_people" if of_blacklist else "people", "file": name or path.name,
                               "read": taken.read, "stored": taken.stored, "rejected": taken.rejected})
    return taken
