"""A bank transaction file into the platform: the importer, the fund-flow engine, then signals and leads.

The file goes through fundwatch.ingest.transactions (every row imported or reported with
line and reason) and fundwatch.funds.scan. Accounts are tied to subjects by the accounts
file (account → USCC or key), else by the holder's name being a subject's name in the
county. Each new warning becomes a Signal of the 账户资金异动 channel with its evidence;
the subject's funds dimension (dim_funds) and its funds hits are recomputed from all its
stored warnings, and its score and grade with dim_funds folded into its rules' score
(services.scoring, the command line's formula); a subject the new dimension raises to an
auto-open grade gets a lead, as a screening grading it so high would give it. Then a warning
opens a lead when rules.yaml says so (the subject's new grade, the warning's score or its
typology); a subject with an open lead gets the signal on it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from fundwatch.web.models import (
    AuditLog,
    Channel,
    FundsWarning,
    Hit,
    ImportProblem,
    Lead,
    Region,
    Signal,
    Source,
    Subject,
    TransactionImport,
    User,
    open_lead_for,
)
from fundwatch.web.rules import rules
from fundwatch.web.services.common import ServiceProblem, county_of, read_with, responsible_unit, shown
from fundwatch.web.services.scoring import rescore
from fundwatch.web.templatetags.fw import wan

ACCOUNTS: dict[str, pl.DataType] = {"account": pl.String(), "subject_key": pl.String(), "kind": pl.String()}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def account_map(transactions: pl.DataFrame, accounts: pl.DataFrame | None, county: Region) -> pl.DataFrame:
    """account → platform subject key (and kind): the accounts file's keys (a USCC or a subject key) read as the
    county's subjects, and holders whose name is a subject's name in the county."""
    in_county = Subject.objects.filter(region__code__startswith=county.prefix)
    given = accounts.select("account", "subject_key", "kind") if accounts is not None else pl.DataFrame(
        schema=ACCOUNTS)
    keys = given["subject_key"].drop_nulls().unique().to_list()
    platform = dict(in_county.filter(uscc__in=keys).values_list("uscc", "key"))
    platform |= {k: k for k in in_county.filter(key__in=keys).values_list("key", flat=True)}
    given = given.with_columns(pl.col("subject_key").replace(platform))
    holders = transactions.select("account", "holder").drop_nulls().unique("account").join(
        given.select("account"), on="account", how="anti")
    named = dict(in_county.filter(name__in=holders["holder"].unique().to_list()).values_list("name", "key"))
    by_name = holders.filter(pl.col("holder").is_in(list(named))).select(
        "account", pl.col("holder").replace_strict(named, return_dtype=pl.String).alias("subject_key"),
        pl.lit("company").alias("kind"))
    return pl.concat([given.cast(ACCOUNTS), by_name.cast(ACCOUNTS)])


def lead_keys(county: Region) -> list[str]:
    """Keys and names of the county's subjects in leads: money to or from them is a warning."""
    leads = Lead.objects.filter(region__code__startswith=county.prefix, subject__isnull=False)
    pairs = leads.values_list("subject__key", "subject__name").distinct()
    return sorted({value for pair in pairs for value in pair if value})


def import_transactions(path: Path, user: User, *, accounts: Path | None = None, name: str | None = None,
                        accounts_name: str | None = None) -> TransactionImport:
    """Import one transaction file (and its accounts file) for the user's county; returns the stored import."""
    from fundwatch.funds import FundsConfigError, load_funds_config, scan
    from fundwatch.ingest.transactions import read_accounts, read_transactions

    county = county_of(user)
    statement = read_with(read_transactions, path, name, "transactions")
    mapped = read_with(read_accounts, accounts, accounts_name, "accounts") if accounts is not None else None
    try:
        config = load_funds_config()
    except FundsConfigError as err:
        raise ServiceProblem(str(err)) from err
    links = account_map(statement.frame, mapped.frame if mapped is not None else None, county)
    result = scan(statement.frame, config, accounts=links, leads=lead_keys(county))
    with transaction.atomic():
        batch = TransactionImport.objects.create(
            region=county, by=user, file_name=(name or path.name)[:200],
            accounts_name=(accounts_name or (accounts.name if accounts else ""))[:200], sha256=file_sha256(path),
            read=statement.read, rejected=statement.rejected, blanked=statement.warnings, accounts=result.accounts,
        )
        store_problems(batch, statement.rejects, "transactions")
        if mapped is not None:
            store_problems(batch, mapped.rejects, "accounts")
        batch.counts = Warnings(batch, user).store(result.warnings)
        batch.counts |= {"scanned": result.scanned, "mapped_accounts": links.height}
        batch.save(update_fields=["counts"])
        AuditLog.record(user, AuditLog.Action.IMPORT, batch, county.pk, after={
            "source": "transactions", "file": batch.file_name, "sha256": batch.sha256, "read": batch.read,
            "rejected": batch.rejected, **batch.counts})
    return batch


def store_problems(batch: TransactionImport, rejects: pl.DataFrame, table: str) -> None:
    rows = [
        ImportProblem(batch=batch, table=table, line=r["line"], column=(r["column"] or "")[:64],
                      value=shown(str(r["value"] or ""))[:200], reason=(r["reason"] or "")[:200],
                      severity=r["severity"])
        for r in rejects.iter_rows(named=True)
    ]
    ImportProblem.objects.bulk_create(rows, batch_size=2000)


class Warnings:
    """The engine's warnings into FundsWarning rows, signals, leads, and the subjects' funds dimension."""

    def __init__(self, batch: TransactionImport, user: User) -> None:
        self.batch = batch
        self.user = user
        self.counts = {"warnings": 0, "new_warnings": 0, "new_signals": 0, "leads_opened": 0, "signals_to_leads": 0,
                       "rescored": 0}

    def store(self, warnings: pl.DataFrame) -> dict[str, int]:
        """Each warning stored once with its signal; then the subjects' funds dimension, score and grade (a
        subject raised to an auto-open grade gets its lead here); then each new warning to the ledger, which sees
        the subject's new grade."""
        keys = warnings["subject_key"].drop_nulls().unique().to_list()
        subjects = Subject.objects.select_related("region").in_bulk(keys, field_name="key")
        fresh = []
        for row in warnings.iter_rows(named=True):
            self.counts["warnings"] += 1
            subject = subjects.get(row["subject_key"] or "")
            warning = self._one(row, subject)
            if warning is not None and subject is not None:
                fresh.append((warning, subject))
        rescored = refresh_dimension(list(subjects.values()), self.user, basis=f"资金异动导入 {self.batch.file_name}")
        self.counts["rescored"] = rescored["rescored"]
        self.counts["leads_opened"] += rescored["leads_opened"]
        for warning, subject in fresh:
            self._to_ledger(warning, subject)
        return self.counts

    def _one(self, row: dict[str, Any], subject: Subject | None) -> FundsWarning | None:
        """The warning stored with its signal, or None when it was stored before."""
        first, last = (timezone.make_aware(row[t]) for t in ("first_time", "last_time"))
        warning, created = FundsWarning.objects.get_or_create(
            region=self.batch.region, account=row["account"], typology=row["typology"], first_time=first,
            last_time=last, defaults={
                "batch": self.batch, "subject": subject, "holder": (row["holder"] or "")[:200],
                "typology_name": row["typology_name"], "score": row["score"], "amount": row["amount"],
                "transactions": row["transactions"], "counterparties": row["counterparties"],
                "explanation": row["explanation"], "evidence": row["evidence"], "lines": row["lines"] or [],
            })
        if not created:
            return None
        self.counts["new_warnings"] += 1
        warning.signal = self._signal(warning)
        warning.save(update_fields=["signal"])
        return warning

    def _signal(self, warning: FundsWarning) -> Signal:
        subject = warning.subject
        self.counts["new_signals"] += 1
        return Signal.objects.create(
            channel=Channel.BANK_FUNDS, received_at=timezone.now(), subject=subject,
            subject_name=subject.name if subject else warning.holder or warning.account,
            region=subject.region if subject else self.batch.region, amount=warning.amount,
            content=content(warning), source_table=f"funds:{self.batch.pk}",
            source_line=warning.lines[0] if warning.lines else None,
        )

    def _to_ledger(self, warning: FundsWarning, subject: Subject) -> None:
        limits = rules()
        strong = warning.score >= limits.funds_lead_score or warning.typology in limits.funds_lead_typologies
        signal = warning.signal
        if strong or subject.grade in limits.auto_open_grades:
            _, created = open_lead_for(
                subject, source=Source.BANK_FUNDS, user=self.user, region=subject.region, subject_name=subject.name,
                title=f"账户资金异动·{warning.typology_name}（{warning.score:.1f}分）：{warning.evidence}"[:200],
                signal=signal, amount=warning.amount, department=responsible_unit(subject),
            )
            self.counts["leads_opened" if created else "signals_to_leads"] += 1
            return
        lead = subject.open_lead()
        if lead is not None and signal is not None:
            signal.lead = lead
            signal.save(update_fields=["lead"])
            self.counts["signals_to_leads"] += 1


def content(warning: FundsWarning) -> str:
    holder = warning.holder or "户名不详"
    return (f"{warning.typology_name}（{warning.score:.1f}分）：账号 {warning.account}（{holder}），"
            f"涉及 {wan(warning.amount)} 万元、{warning.transactions} 笔、{warning.counterparties} 个对手方。"
            f"{warning.explanation}。依据：{warning.evidence}")


def refresh_dimension(subjects: list[Subject], user: User | None = None, basis: str = "资金异动") -> dict[str, int]:
    """dim_funds and the funds hits of each subject, from all its stored warnings (fundwatch.funds' rule); then
    its score and grade from its rules' score with the new dimension (services.scoring.rescore: audited, and a
    lead for a subject raised to an auto-open grade). Returns rescore's counts (rescored, leads_opened)."""
    from fundwatch.funds import WARNINGS_SCHEMA, as_hits, funds_dimension

    if not subjects:
        return {"rescored": 0, "leads_opened": 0}
    stored = FundsWarning.objects.filter(subject__in=subjects).select_related("subject")
    rows = [(w.account, w.holder, w.subject.key, w.typology, w.typology_name, w.score, w.amount, w.transactions,
             w.counterparties, timezone.localtime(w.first_time).replace(tzinfo=None),
             timezone.localtime(w.last_time).replace(tzinfo=None), w.explanation, w.evidence, w.lines)
            for w in stored if w.subject is not None]
    warnings = pl.DataFrame(rows, schema=WARNINGS_SCHEMA, orient="row")
    dims = dict(funds_dimension(warnings).select("subject_key", "dim_funds").iter_rows())
    by_key = {s.key: s for s in subjects}
    Hit.objects.filter(subject__in=subjects, table="funds").delete()
    Hit.objects.bulk_create([
        Hit(subject=by_key[h["subject_key"]], rule=h["rule"], dimension=h["dimension"], points=h["points"],
            table=h["table"], field=h["field"] or "", matched=h["matched"] or "", source_line=h["source_line"],
            explanation=h["explanation"] or "")
        for h in as_hits(warnings).iter_rows(named=True)
    ])
    for subject in subjects:
        subject.dimensions = {**subject.dimensions, "funds": dims.get(subject.key, 0.0)}
    Subject.objects.bulk_update(subjects, ["dimensions"])
    return rescore(subjects, user, basis, title=raised_title)


def raised_title(subject: Subject) -> str:
    """The title of the lead of a subject its fund-flow warnings raised to an auto-open grade."""
    kinds = "、".join(sorted(set(subject.funds_warnings.values_list("typology_name", flat=True))))
    return f"资金异动计入后{subject.get_grade_display()}预警（风险指数 {subject.score:.1f}）：{kinds}"
