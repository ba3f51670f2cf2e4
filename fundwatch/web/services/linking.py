"""The linker over a county: its subjects against the blacklist, against the subjects in leads and against
each other; links, reviews honoured, and watch signals into the ledger.

The blacklist is three lists in one: subjects whose lead reached a blacklist state (rules.yaml:
closed, referred to the police; never those dismissed), the county's published list
(fundwatch.reports' BlacklistEntry) and the blacklist files the office uploaded. A watch
signal becomes a Signal of the 大数据筛查 channel; a reappearing outfit's signal goes onto its
old lead (a closed one is reopened as 死灰复燃), a new registration of a subject in an open lead
onto that lead, and the watch kinds rules.yaml names open a lead of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import polars as pl
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from fundwatch.frames import SIDE_SCHEMAS
from fundwatch.linking.frames import PEOPLE_SCHEMA, REVIEWS_SCHEMA
from fundwatch.web.models import (
    AuditLog,
    ChangeRecord,
    Channel,
    FollowUp,
    Lead,
    Link,
    LinkRun,
    MatchReview,
    Person,
    Region,
    Signal,
    Source,
    Subject,
    User,
    Watch,
    WatchKind,
    WatchlistEntry,
    open_lead_for,
)
from fundwatch.web.models.linking import ENTRY_PREFIX
from fundwatch.web.rules import rules
from fundwatch.web.services.common import county_of, frame, responsible_unit
from fundwatch.web.workflow import OPEN_STATES, State

if TYPE_CHECKING:
    from fundwatch.linking.config import LinkingConfig

PUBLISHED_PREFIX = "PL:"
# A run's counts as the office reads them.
RUN_COUNTS = (("subjects", "比对主体"), ("links", "关联"), ("same", "疑为同一主体"), ("watches", "预警"),
              ("new_signals", "新信号"), ("leads_opened", "新线索"), ("leads_reopened", "死灰复燃重新打开"),
              ("signals_to_leads", "并入已有线索"))
REGISTRY: dict[str, pl.DataType] = {
    "subject_key": pl.String(), "uscc": pl.String(), "name": pl.String(), "legal_rep": pl.String(),
    "address": pl.String(), "operating_address": pl.String(), "phone": pl.String(), "region_code": pl.String(),
    "status": pl.String(), "established": pl.Date(),
}
WATCHLIST: dict[str, pl.DataType] = {**REGISTRY, "list": pl.String()}
LIST_RANK = {"blacklist": 0, "lead": 1, "registry": 2}
# Watch kinds that say the subject is the listed outfit itself.
SAME_OUTFIT = {WatchKind.REAPPEARANCE, WatchKind.BLACKLIST_MATCH}


def subjects_frame(subjects: QuerySet[Subject]) -> pl.DataFrame:
    """The county's subjects as a registry frame; the registration county is the registry's, else the place's."""
    rows = subjects.values_list("key", "uscc", "name", "legal_rep", "address", "operating_address", "phone",
                                "region_code", "region__code", "status", "established")
    return frame(((k, u, n, lr, a, oa, p, rc or place[:6], st, est)
                  for k, u, n, lr, a, oa, p, rc, place, st, est in rows), REGISTRY)


def people_frame(people: QuerySet[Person], key_of: str = "subject__key") -> pl.DataFrame:
    rows = people.values_list("pk", key_of, "name", "id_number", "role", "phone")
    return frame(rows, PEOPLE_SCHEMA)


def changes_frame(changes: QuerySet[ChangeRecord]) -> pl.DataFrame:
    return frame(changes.values_list("pk", "subject__key", "date", "item", "before", "after"),
                 SIDE_SCHEMAS["changes"])


def reviews_frame(reviews: QuerySet[MatchReview]) -> pl.DataFrame:
    rows = [(r.pk, r.subject_key, r.matched_key, r.decision, r.by.full_name or r.by.get_username(),
             f"{timezone.localtime(r.at):%Y-%m-%d %H:%M:%S}") for r in reviews.select_related("by")]
    return frame(rows, REVIEWS_SCHEMA)


@dataclass
class Watchlist:
    """The blacklist and the subjects in leads, as the linker's right-hand side."""

    rows: list[tuple[Any, ...]] = field(default_factory=list)
    people: list[pl.DataFrame] = field(default_factory=list)
    entries: dict[str, WatchlistEntry] = field(default_factory=dict)  # link key -> uploaded entry
    names: dict[str, str] = field(default_factory=dict)  # link key -> name, for entries without a subject
    keys: set[str] = field(default_factory=set)

    def add(self, key: str, row: tuple[Any, ...], listed: str) -> None:
        if key not in self.keys:
            self.keys.add(key)
            self.rows.append((key, *row, listed))

    def frame(self) -> pl.DataFrame | None:
        return frame(self.rows, WATCHLIST) if self.rows else None

    def people_frame(self) -> pl.DataFrame | None:
        # a subject both in a lead and on the published list brings its people twice
        people = pl.concat(self.people).unique("line", maintain_order=True) if self.people else None
        return people if people is not None and people.height else None


def _subject_row(subject: Subject, status: str) -> tuple[Any, ...]:
    return (subject.uscc, subject.name, subject.legal_rep, subject.address, subject.operating_address, subject.phone,
            subject.region_code or subject.region.code[:6], status, subject.established)


def lead_lists(county: Region) -> tuple[dict[int, Lead], dict[int, Lead]]:
    """(subjects in open leads, blacklisted subjects): subject id -> the lead that puts it there."""
    states = rules().blacklist_lead_states
    leads = Lead.objects.filter(region__code__startswith=county.prefix, subject__isnull=False).order_by("opened_at")
    open_ones = {lead.subject_id: lead for lead in leads.filter(status__in=OPEN_STATES).exclude(status__in=states)}
    closed = leads.filter(status__in=states).exclude(transitions__to_state=State.DISMISSED).distinct()
    return open_ones, {lead.subject_id: lead for lead in closed if lead.subject_id not in open_ones}


def watchlist(county: Region) -> Watchlist:
    """Subjects in open leads, blacklisted subjects, the published list and the uploaded blacklist files."""
    from fundwatch.reports.webapp.models import BlacklistEntry

    found = Watchlist()
    open_leads, closed_leads = lead_lists(county)
    subjects = Subject.objects.select_related("region").in_bulk([*open_leads, *closed_leads])
    for pk in open_leads:
        found.add(subjects[pk].key, _subject_row(subjects[pk], subjects[pk].status), "lead")
    for pk, lead in closed_leads.items():
        status = f"{subjects[pk].status or '登记状态不详'}；线索{lead.code}{lead.get_status_display()}"
        found.add(subjects[pk].key, _subject_row(subjects[pk], status), "blacklist")
    found.people.append(people_frame(Person.objects.filter(subject_id__in=list(subjects))))
    today = timezone.localdate()
    published = BlacklistEntry.objects.filter(region__code__startswith=county.prefix, listed_on__lte=today).exclude(
        delisted_on__lte=today).select_related("subject__region")
    for entry in published:
        if entry.subject is not None:
            status = f"{entry.subject.status}；列入名单：{entry.reason}"
            found.add(entry.subject.key, _subject_row(entry.subject, status), "blacklist")
            found.people.append(people_frame(entry.subject.people.all()))
        else:
            key = f"{PUBLISHED_PREFIX}{entry.pk}"
            found.names[key] = entry.name
            found.add(key, (entry.uscc, entry.name, entry.legal_rep, entry.address, "", "", "",
                            f"列入名单：{entry.reason}", None), "blacklist")
    for item in WatchlistEntry.objects.filter(region=county):
        found.entries[item.link_key] = item
        found.add(item.link_key, (item.uscc, item.name, item.legal_rep, item.address, item.operating_address,
                                  item.phone, item.region_code, item.status, None), "blacklist")
    uploaded = people_frame(Person.objects.filter(entry__region=county), key_of="entry__key")
    found.people.append(uploaded.with_columns((pl.lit(ENTRY_PREFIX) + pl.col("subject_key")).alias("subject_key")))
    return found


def linking_config(county: Region) -> LinkingConfig:
    """linking.yaml for this county: its places are home, and the ledger's closing states count as closed."""
    from fundwatch.linking.config import home_places, load_linking_config

    config = load_linking_config()
    closed = tuple(State(s).label for s in rules().blacklist_lead_states)
    return replace(config, home_region=county.code, home_places=home_places(county.code),
                   closed_statuses=config.closed_statuses + closed)


def distinct_pairs(links: pl.DataFrame) -> pl.DataFrame:
    """One link per pair of different subjects, the one to a listed outfit first, then the strongest."""
    rank = pl.col("matched_list").replace_strict(LIST_RANK, default=len(LIST_RANK), return_dtype=pl.Int64)
    return (
        links.filter(pl.col("subject_key") != pl.col("matched_key"))
        .with_columns(pl.min_horizontal("subject_key", "matched_key").alias("a"),
                      pl.max_horizontal("subject_key", "matched_key").alias("b"), rank.alias("rank"))
        .sort(["rank", "score"], descending=[False, True])
        .unique(["a", "b"], keep="first", maintain_order=True)
        .drop("a", "b", "rank")
    )


def run_linking(user: User) -> LinkRun:
    """Link the user's county and store the outcome; every new watch signal reaches the ledger."""
    from fundwatch.linking.engine import run

    county = county_of(user)
    config = linking_config(county)
    subjects = Subject.objects.filter(region__code__startswith=county.prefix)
    listed = watchlist(county)
    registry = subjects_frame(subjects)
    result = None
    if registry.height:
        people = people_frame(Person.objects.filter(subject__in=subjects))
        changes = changes_frame(ChangeRecord.objects.filter(subject__in=subjects))
        reviews = reviews_frame(MatchReview.objects.filter(region=county))
        result = run(registry, people=people if people.height else None, watchlist=listed.frame(),
                     watchlist_people=listed.people_frame(), changes=changes if changes.height else None,
                     reviews=reviews if reviews.height else None, within=True, home_region=county.code,
                     config=config)
    with transaction.atomic():
        record = LinkRun.objects.create(region=county, by=user, config_version=config.version)
        counts = {"subjects": registry.height, "links": 0, "same": 0, "watches": 0}
        if result is not None:
            links = distinct_pairs(result.links)
            counts |= store_links(record, links, county, listed)
            watches = result.watches.filter(pl.col("matched_key").is_null()
                                            | (pl.col("matched_key") != pl.col("subject_key")))
            counts |= Ledger(record, user, links).raise_watches(watches)
        record.counts = counts
        record.save(update_fields=["counts"])
        AuditLog.record(user, AuditLog.Action.LINKING, record, county.pk, after=counts)
    return record


def store_links(record: LinkRun, links: pl.DataFrame, county: Region, listed: Watchlist) -> dict[str, int]:
    """The run's links replace the county's links of earlier runs."""
    Link.objects.filter(subject__region__code__startswith=county.prefix).delete()
    keys = set(links["subject_key"].to_list()) | set(links["matched_key"].to_list())
    subjects = Subject.objects.in_bulk(list(keys), field_name="key")
    rows = []
    for row in links.iter_rows(named=True):
        subject = subjects.get(row["subject_key"])
        if subject is None:
            continue
        other, entry = subjects.get(row["matched_key"]), listed.entries.get(row["matched_key"])
        name = row["matched_name"] or (other.name if other else "") or listed.names.get(row["matched_key"], "")
        rows.append(Link(
            run=record, subject=subject, other=other, entry=entry, other_key=row["matched_key"], other_name=name[:200],
            listed=row["matched_list"] or "registry", score=row["score"], same=row["decision"] == "same",
            kind=row["kind"] or "", kinds=(row["kinds"] or "")[:200], reasons=row["reasons"] or "",
            review=row["review"] or "", cluster=row["cluster_id"] or row["subject_key"],
        ))
    Link.objects.bulk_create(rows, batch_size=1000)
    return {"links": len(rows), "same": sum(link.same for link in rows)}


class Ledger:
    """Watch signals of one run into Signals, and from there onto leads."""

    def __init__(self, record: LinkRun, user: User, links: pl.DataFrame) -> None:
        self.record = record
        self.user = user
        same = links.filter(pl.col("decision") == "same").select("subject_key", "matched_key").iter_rows()
        self.same_pairs = {pair for a, b in same for pair in ((a, b), (b, a))}
        self.outcomes: dict[str, int] = {"new_signals": 0, "leads_opened": 0, "leads_reopened": 0,
                                         "signals_to_leads": 0}

    def raise_watches(self, watches: pl.DataFrame) -> dict[str, int]:
        keys = set(watches["subject_key"].to_list()) | set(watches["matched_key"].drop_nulls().to_list())
        subjects = Subject.objects.select_related("region").in_bulk(list(keys), field_name="key")
        known = {(w.subject_id, w.key): w for w in Watch.objects.filter(
            subject__key__in=watches["subject_key"].unique().to_list())}
        for row in watches.iter_rows(named=True):
            subject = subjects.get(row["subject_key"])
            if subject is None:
                continue
            key = row["matched_key"] or row["kind"]
            if (subject.pk, key) in known:
                self._refresh(known[(subject.pk, key)], row)
                continue
            known[(subject.pk, key)] = self._new(subject, key, row, subjects.get(row["matched_key"] or ""))
        return {"watches": watches.height, **self.outcomes}

    @staticmethod
    def _refresh(watch: Watch, row: dict[str, Any]) -> None:
        watch.score, watch.reasons = row["score"], row["reasons"]
        watch.save(update_fields=["score", "reasons", "last_seen"])

    def _new(self, subject: Subject, key: str, row: dict[str, Any], matched: Subject | None) -> Watch:
        label = WatchKind(row["kind"]).label
        signal = Signal.objects.create(
            channel=Channel.SCREENING, received_at=timezone.now(), subject=subject, subject_name=subject.name,
            region=subject.region, content=f"关联比对·{label}（{row['score']:.0f}分）：{row['reasons']}",
            source_table="linking",
        )
        watch = Watch.objects.create(subject=subject, key=key[:80], kind=row["kind"],
                                     matched_key=(row["matched_key"] or "")[:80], score=row["score"],
                                     reasons=row["reasons"], signal=signal, first_run=self.record)
        self.outcomes["new_signals"] += 1
        self._to_ledger(watch, signal, subject, matched)
        return watch

    def _to_ledger(self, watch: Watch, signal: Signal, subject: Subject, matched: Subject | None) -> None:
        limits = rules()
        same = watch.kind in SAME_OUTFIT or (subject.key, watch.matched_key) in self.same_pairs
        old = _old_lead(matched) if matched is not None and same else None
        if old is not None:
            self._onto_old_lead(old, watch, signal, subject)
        elif watch.kind in limits.watches_open_lead or subject.grade in limits.auto_open_grades:
            _, created = open_lead_for(
                subject, source=Source.SCREENING, user=self.user, region=subject.region, subject_name=subject.name,
                title=f"关联比对·{watch.get_kind_display()}：{watch.reasons}"[:200], signal=signal,
                department=responsible_unit(subject),
            )
            self.outcomes["leads_opened" if created else "signals_to_leads"] += 1
        else:
            lead = subject.open_lead()
            if lead is not None:
                signal.lead = lead
                signal.save(update_fields=["lead"])
                self.outcomes["signals_to_leads"] += 1

    def _onto_old_lead(self, old: Lead, watch: Watch, signal: Signal, subject: Subject) -> None:
        """The outfit's old lead takes the signal: reopened as 死灰复燃 when closed, a follow-up note otherwise."""
        note = (f"关联比对·{watch.get_kind_display()}：新登记主体“{subject.name}”（{subject.key}）疑为本线索主体"
                f"“{old.subject_name}”。{watch.reasons}")
        if old.status == State.CLOSED:
            old.transition(self.user, State.REOPENED, f"死灰复燃：{note}", old.version)
            self.outcomes["leads_reopened"] += 1
        else:
            FollowUp.objects.create(lead=old, by=self.user, text=note)
            AuditLog.record(self.user, AuditLog.Action.FOLLOW_UP, old, old.region_id, after={"text": note})
            self.outcomes["signals_to_leads"] += 1
        signal.lead = old
        signal.save(update_fields=["lead"])


def _old_lead(matched: Subject) -> Lead | None:
    """The matched outfit's lead: its open one, else its latest one in a blacklist state."""
    return matched.open_lead() or matched.leads.filter(status__in=rules().blacklist_lead_states).exclude(
        transitions__to_state=State.DISMISSED).order_by("-opened_at").first()


def review_link(link: Link, user: User, decision: str, note: str) -> MatchReview:
    """A person's decision on a link, kept for every later run, and audited."""
    county = county_of(user)
    before = link.review
    with transaction.atomic():
        review = MatchReview.objects.create(region=county, subject_key=link.subject.key, matched_key=link.other_key,
                                            decision=decision, note=note, by=user)
        link.review = decision
        link.save(update_fields=["review"])
        AuditLog.record(user, AuditLog.Action.REVIEW, link, link.subject.region_id,
                        before={"review": before}, after={"review": decision, "note": note,
                                                          "pair": [link.subject.key, link.other_key]})
    return review
