"""Bank transaction files in the platform: through the importer and the fund-flow engine into signals of the
账户资金异动 channel, the subjects' funds dimension and the ledger; rejected rows shown with line and reason."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from fundwatch.demo.transactions import generate_transactions, write_transactions
from fundwatch.web.models import (
    AuditLog,
    FundsWarning,
    Hit,
    Lead,
    Signal,
    Source,
    Subject,
    TransactionImport,
)
from fundwatch.web.rules import rules

from .conftest import SECTOR, make_user

# Two rows a bank export may hold that cannot be imported: an amount that is no number, a time that is no time.
BAD_ROWS = ("53050100000000000999,坏行公司,2025-03-01 10:00:00,贷,十万元,,张三,,,网银,\n"
            "53050100000000000999,坏行公司,三月一日,贷,100.00,,张三,,,网银,\n")


@pytest.fixture
def office(world: Any) -> Any:
    return make_user("office", "office", world.county, world.office_unit)


@pytest.fixture
def county_firms(world: Any) -> list[Subject]:
    """Eight green firms of the county, besides the red fixture subject with its open lead."""
    firms = [Subject.objects.create(key=f"91532822MA6K7{n:03d}X1", uscc=f"91532822MA6K7{n:03d}X1",
                                    name=f"勐海县测试{n}号商贸有限公司", region=world.town, sector=SECTOR,
                                    department=world.finance, grade="green", score=5.0) for n in range(8)]
    return [world.subject, *firms]


@pytest.fixture
def statement(county_firms: list[Subject], tmp_path: Path) -> dict[str, Path]:
    """A year of statements of a small county (GBK CSV, as banks export it) where the platform's firms hold
    the planted accounts, two bad rows appended, and the accounts file."""
    holders = pl.DataFrame({"subject_key": [s.key for s in county_firms], "name": [s.name for s in county_firms],
                            "label": [1] * len(county_firms)})
    paths = write_transactions(generate_transactions(20_000, 11, risky=8, subjects=holders), tmp_path)
    with paths["transactions"].open("ab") as out:
        out.write(BAD_ROWS.encode("gbk"))
    return paths


def upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")


def test_an_imported_statement_raises_signals_dimensions_and_leads(world: Any, county_firms: list[Subject],
                                                                   statement: dict[str, Path], office: Any,
                                                                   as_user: Any) -> None:
    # given a bank statement where some of the county's firms take in money the way illegal fundraising does
    client = as_user(office)
    # when the office imports it with its accounts file
    response = client.post(reverse("funds_home"), {"transactions": upload(statement["transactions"]),
                                                   "accounts": upload(statement["accounts"])})
    batch = TransactionImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("funds_import_detail",
                                                                           kwargs={"pk": batch.pk})
    # then every row is imported or refused with its line and reason
    assert batch.read == 20_002 and batch.rejected == 2 and batch.imported == 20_000
    lines = sorted(batch.problems.filter(severity="reject").values_list("line", flat=True))
    assert lines == [20_002, 20_003]
    # and every warning is a signal of the bank-funds channel with its evidence, on the account's subject
    warnings = FundsWarning.objects.all()
    assert warnings.count() == batch.counts["warnings"] >= 5
    mapped = warnings.filter(subject__isnull=False)
    assert mapped.exists()
    for warning in warnings:
        assert warning.signal.channel == "bank_funds" and warning.signal.subject == warning.subject
        assert warning.typology_name in warning.signal.content and "样例第" in warning.signal.content
    # and the subjects' funds dimension follows their warnings, with a hit per warning
    for subject in Subject.objects.filter(funds_warnings__isnull=False).distinct():
        top = max(subject.funds_warnings.values_list("score", flat=True))
        assert top <= subject.dimensions["funds"] <= 100
        assert Hit.objects.filter(subject=subject, dimension="funds").count() == subject.funds_warnings.count()
    # and a strong warning on a green firm opens a lead of its own, from the bank-funds channel
    limits = rules()
    strong = mapped.exclude(subject=world.subject).filter(score__gte=limits.funds_lead_score) | mapped.exclude(
        subject=world.subject).filter(typology__in=limits.funds_lead_typologies)
    assert strong.exists()
    for warning in strong:
        assert warning.signal.lead.source == Source.BANK_FUNDS and warning.signal.lead.subject == warning.subject
    # and a weak warning on a green firm without a lead waits for the office
    for warning in mapped.exclude(pk__in=strong).exclude(subject=world.subject):
        if not warning.subject.leads.exists():
            assert warning.signal.lead is None
    assert AuditLog.objects.filter(action="import", model="TransactionImport").count() == 1


def test_the_red_subject_gets_its_warnings_on_its_open_lead(world: Any, county_firms: list[Subject],
                                                            statement: dict[str, Path], office: Any) -> None:
    from fundwatch.web.services.funds import import_transactions

    import_transactions(statement["transactions"], office, accounts=statement["accounts"])
    mine = FundsWarning.objects.filter(subject=world.subject)
    assert mine.exists(), "the red fixture subject holds a planted account"
    assert {w.signal.lead for w in mine} == {world.lead}
    assert Lead.objects.filter(subject=world.subject).count() == 1


def test_importing_the_same_file_again_adds_nothing(county_firms: list[Subject], statement: dict[str, Path],
                                                    office: Any) -> None:
    from fundwatch.web.services.funds import import_transactions

    first = import_transactions(statement["transactions"], office, accounts=statement["accounts"])
    signals, leads = Signal.objects.count(), Lead.objects.count()
    dims = dict(Subject.objects.values_list("key", "dimensions"))
    again = import_transactions(statement["transactions"], office, accounts=statement["accounts"])
    assert again.counts["warnings"] == first.counts["warnings"] and again.counts["new_signals"] == 0
    assert (Signal.objects.count(), Lead.objects.count()) == (signals, leads)
    assert dict(Subject.objects.values_list("key", "dimensions")) == dims


def test_without_an_accounts_file_holders_are_matched_by_name(county_firms: list[Subject],
                                                              statement: dict[str, Path], office: Any) -> None:
    from fundwatch.web.services.funds import import_transactions

    import_transactions(statement["transactions"], office)
    assert FundsWarning.objects.filter(subject__in=county_firms).exists()


def test_the_detail_page_lists_refused_rows_and_offers_them_as_gbk_csv(county_firms: list[Subject],
                                                                       statement: dict[str, Path], office: Any,
                                                                       as_user: Any) -> None:
    from fundwatch.web.services.funds import import_transactions

    batch = import_transactions(statement["transactions"], office, accounts=statement["accounts"])
    client = as_user(office)
    page = client.get(reverse("funds_import_detail", kwargs={"pk": batch.pk})).content.decode()
    assert "读取 20002 行 = 导入 20000 + 拒收 2" in page and "交易金额为空或无法识别" in page and "十万元" in page
    response = client.get(reverse("funds_rejects", kwargs={"pk": batch.pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode("gbk"))))
    assert rows[0] == ["表", "行号", "列", "值", "原因", "处理"]
    refused = {(r[1], r[4]) for r in rows[1:] if r[5] == "未导入"}
    assert ("20002", "交易金额为空或无法识别") in refused
    assert ("20003", "交易时间为空或无法识别") in refused


@pytest.mark.parametrize(("files", "field", "problem"), [
    ({}, "transactions", "请选择交易流水文件"),
    ({"transactions": ("流水.pdf", b"%PDF-1.4")}, "transactions", "应为 CSV 或 XLSX"),
    ({"transactions": ("流水.csv", "户名,摘要\n张三,工资\n".encode())}, "transactions", "流水.csv 缺少"),
    ({"transactions": ("流水.csv", "账号,交易金额,交易时间\n1,100,2025-01-01\n".encode()),
      "accounts": ("对应表.csv", "名称\n张三\n".encode())}, "accounts", "对应表.csv 缺少"),
])
def test_a_bad_file_is_refused_on_its_field(world: Any, office: Any, as_user: Any, files: dict[str, Any],
                                            field: str, problem: str) -> None:
    data = {k: SimpleUploadedFile(name, body) for k, (name, body) in files.items()}
    response = as_user(office).post(reverse("funds_home"), data)
    assert response.status_code == 200
    assert any(problem in e for e in response.context["form"].errors[field]), response.context["form"].errors
    assert not TransactionImport.objects.exists()


def test_import_transactions_command(county_firms: list[Subject], statement: dict[str, Path], office: Any,
                                     capsys: Any, tmp_path: Path) -> None:
    call_command("import_transactions", str(statement["transactions"]), "--accounts", str(statement["accounts"]),
                 "--user", "office")
    out = capsys.readouterr().out
    assert "读取 20,002 行 = 导入 20,000 + 拒收 2" in out and TransactionImport.objects.count() == 1
    missing = tmp_path / "none.csv"
    with pytest.raises(CommandError) as refused:
        call_command("import_transactions", str(missing), "--user", "office")
    assert refused.value.returncode == 2 and "找不到文件" in str(refused.value)


def test_id_numbers_in_problem_values_are_masked_but_account_numbers_are_not() -> None:
    from fundwatch.web.services.common import shown

    assert shown("主体标识 532822198001010010 无对应账户") == "主体标识 5328**********0010 无对应账户"
    assert shown("6228480000000000097") == "6228480000000000097"
