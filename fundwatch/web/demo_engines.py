"""The demo county's linking and bank data, made from its own ledger and run through the same paths as an
office's files: new registrations (the registry importer, the screening, the platform's importer), a people
file, the linker, and a bank statement with its accounts file (the transactions importer and the engine).

The new registrations are two come-backs: the outfit of the demo lead that was referred to the police and
closed, registered again under another name in another township with a front person as legal
representative (its old controller still behind it), and a company fronted by someone else but controlled by
the legal representative of an outfit in rectification. Everything is drawn from the seed and the ledger, so
a second run writes the same files and adds nothing.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import polars as pl
from stdnum.cn import ric

from fundwatch.domain.uscc import make_uscc
from fundwatch.web.models import AuditLog, Lead, Region, Subject, TransactionImport, User
from fundwatch.web.provisioning import Importer
from fundwatch.web.workflow import State

REGISTRY_HEADERS = ("统一社会信用代码", "企业名称", "企业类型", "法定代表人", "注册资本", "成立日期", "登记状态",
                    "住所", "经营场所", "电话", "经营范围")
PEOPLE_HEADERS = ("统一社会信用代码", "姓名", "身份证号码", "职务")
# Front persons: local names nobody in the demo registry is tied to by ID.
FRONTS = ("岩香", "玉应")
BANK_ROWS = 30_000
PLANTED = 12  # accounts with planted schemes: one red outfit's (its lead takes the warnings), the rest green firms


def id_number(seed: int, n: int) -> str:
    """A valid ID number (GB 11643) of a Menghai resident, the same for the same seed and n."""
    body = f"532822{1960 + (seed + n) % 30}{(n % 12) + 1:02d}{(seed % 27) + 1:02d}{(seed + 7 * n) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum reads the body from a full-length number


def _write(path: Path, headers: tuple[str, ...], rows: list[tuple[Any, ...]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="gbk", errors="replace", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def _elsewhere(subject: Subject) -> str:
    town = "勐混镇" if "勐遮" in subject.address else "勐遮镇"
    return f"云南省西双版纳傣族自治州勐海县{town}景真路66号"


def _brand(name: str) -> str:
    core = name.replace("云南省", "").replace("西双版纳", "").replace("勐海县", "").replace("勐海", "")
    return core[:2] or "鑫源"


def comebacks(seed: int) -> tuple[Lead | None, Lead | None]:
    """(the lead closed after a police referral, a lead in rectification) of the demo ledger, or None."""
    ledger = Lead.objects.filter(source="screening", subject__isnull=False).order_by("pk")
    closed = ledger.filter(transitions__to_state=State.REFERRED_POLICE, transitions__from_state=State.INSPECTION)
    return closed.first(), ledger.filter(status=State.RECTIFYING).exclude(needs_upward_report=True).first()


def new_registrations(seed: int, out_dir: Path) -> tuple[Path, Path] | None:
    """The registry file of the two come-backs and the people file tying them to their outfits."""
    closed, open_one = comebacks(seed)
    if closed is None or open_one is None:
        return None
    old, kept = closed.subject, open_one.subject
    assert old is not None and kept is not None
    rebrand = make_uscc("91", "532822", f"MA7R{seed % 10000:04d}")
    fronted = make_uscc("91", "532822", f"MA7T{seed % 10000:04d}")
    old_id, kept_id = id_number(seed, 1), id_number(seed, 2)
    registry = [
        (rebrand, f"勐海县{_brand(old.name)}汇通商贸有限公司", "有限责任公司(自然人投资或控股)", FRONTS[0], "500万元",
         "2025-09-01", "存续", _elsewhere(old), _elsewhere(old), old.phone, old.business_scope or "茶叶销售"),
        (fronted, "勐海县云岭佳和农业开发有限公司", "有限责任公司(自然人投资或控股)", FRONTS[1], "300万元",
         "2025-10-15", "存续", "云南省西双版纳傣族自治州勐海县打洛镇打洛街18号", "", "", "农业技术推广；茶叶种植"),
    ]
    people = [
        (old.key, old.legal_rep, old_id, "法定代表人"), (rebrand, FRONTS[0], id_number(seed, 3), "法定代表人"),
        (rebrand, old.legal_rep, old_id, "实际控制人"), (kept.key, kept.legal_rep, kept_id, "法定代表人"),
        (fronted, FRONTS[1], id_number(seed, 4), "法定代表人"), (fronted, kept.legal_rep, kept_id, "实际控制人"),
    ]
    return (_write(out_dir / "new_registrations.csv", REGISTRY_HEADERS, registry),
            _write(out_dir / "people.csv", PEOPLE_HEADERS, people))


def import_registrations(county: Region, path: Path, ruleset: Any, batch: str) -> dict[str, int]:
    """New registrations as an office takes them in: registry importer, screening, the platform's importer."""
    from fundwatch.ingest.registry import load_registry
    from fundwatch.screening import SideTables, screen

    registry = load_registry(path).frame
    result = screen(registry, SideTables(), ruleset)
    return Importer(county, batch=batch).run(registry, result.scores, result.hits, {})


def bank_holders() -> pl.DataFrame:
    """The firms whose accounts the demo statement holds, in key order so the same county gives the same file:
    a red one and green ones hold the planted schemes, more green ones the ordinary accounts. Graded by the
    screening (rules_score), not by the stored grade, which the statement's own warnings raise."""
    from fundwatch.web.services.scoring import scoring_ruleset

    lowest = dict(scoring_ruleset().scoring.grades)
    firms = [*Subject.objects.filter(rules_score__gte=lowest["red"]).order_by("key")[:1],
             *Subject.objects.filter(rules_score__lt=lowest["blue"]).order_by("key")[:60]]
    return pl.DataFrame({"subject_key": [s.key for s in firms], "name": [s.name for s in firms],
                         "label": [int(n < PLANTED) for n in range(len(firms))]})


def import_statement(county: Region, seed: int, out_dir: Path, office: User) -> dict[str, int]:
    """The demo's bank statement, imported once: the same file again is left alone, as the ledger it would
    be scanned against has since grown by the leads it opened."""
    from fundwatch.demo.transactions import generate_transactions, write_transactions
    from fundwatch.web.services.funds import file_sha256, import_transactions

    demo = generate_transactions(BANK_ROWS, seed, risky=PLANTED, subjects=bank_holders())
    paths = write_transactions(demo, out_dir / "bank")
    done = TransactionImport.objects.filter(region=county, sha256=file_sha256(paths["transactions"])).first()
    if done is not None:
        return {"warnings": done.counts.get("warnings", 0), "new_signals": 0, "leads_opened": 0}
    return import_transactions(paths["transactions"], office, accounts=paths["accounts"]).counts


def run_engines(county: Region, ruleset: Any, seed: int, out_dir: Path, office: User) -> dict[str, int]:
    """New registrations and people, a bank statement, then a linking run (which sees the leads the bank
    statement opened): what each added."""
    from fundwatch.web.services.linking import run_linking
    from fundwatch.web.services.uploads import import_people

    counts = {"new_registrations": 0}
    files = new_registrations(seed, out_dir)
    if files is not None:
        taken = import_registrations(county, files[0], ruleset, f"demo-{seed}-new")
        AuditLog.record(office, AuditLog.Action.IMPORT, county, county.pk, after={"source": "new_registrations",
                                                                               **taken})
        counts["new_registrations"] = taken["subjects"]
        import_people(files[1], office)
    bank = import_statement(county, seed, out_dir, office)
    linking = run_linking(office).counts
    return counts | {"links": linking.get("links", 0), "watch_signals": linking.get("new_signals", 0),
                     "fund_warnings": bank["warnings"], "fund_signals": bank["new_signals"],
                     "engine_leads": linking.get("leads_opened", 0) + bank["leads_opened"],
                     "reopened": linking.get("leads_reopened", 0)}
