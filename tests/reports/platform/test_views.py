"""Download buttons: who may download, what goes in, and the jurisdiction check."""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import unquote

import openpyxl
import pytest
from django.urls import reverse

from fundwatch.reports.webapp.models import Campaign, Submission

from .conftest import PERIOD


def download(client, user, kind: str, fmt: str, **query: str):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(reverse("reports:download", args=[kind, fmt]), {"period": PERIOD, **query})


def names_in(response) -> list[str]:  # type: ignore[no-untyped-def]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [sheet.cell(r, 2).value for r in range(5, sheet.max_row + 1) if isinstance(sheet.cell(r, 1).value, int)]


def test_index_for_those_who_may_export(client, people) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("reports:index")).status_code == 302
    for name, status in (("office", 200), ("finance", 200), ("township", 200), ("auditor", 200), ("grid", 403)):
        client.force_login(people[name])
        response = client.get(reverse("reports:index"))
        assert response.status_code == status, name
    client.force_login(people["office"])
    body = client.get(reverse("reports:index")).content.decode()
    assert "重点风险线索统计表" in body and reverse("reports:download", args=["monthly", "pdf"]) in body


def test_office_downloads_the_key_lead_table(client, people) -> None:  # type: ignore[no-untyped-def]
    response = download(client, people["office"], "key-leads", "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert unquote(response["Content-Disposition"]).endswith("重点风险线索统计表_勐海县_2018-07.xlsx")
    assert names_in(response) == ["勐海聚财投资咨询有限公司", "勐遮安居房地产开发有限公司"]


@pytest.mark.parametrize(("persona", "expected"), [
    ("finance", ["勐海聚财投资咨询有限公司"]),
    ("township", ["勐海聚财投资咨询有限公司"]),
    ("mengla", ["勐腊外县投资有限公司"]),
])
def test_each_persona_gets_only_what_it_may_see(client, people, persona: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert names_in(download(client, people[persona], "key-leads", "xlsx")) == expected


def test_a_jurisdiction_outside_ones_own_is_not_found(client, people) -> None:  # type: ignore[no-untyped-def]
    assert download(client, people["township"], "key-leads", "xlsx", region="532822").status_code == 404
    assert download(client, people["mengla"], "key-leads", "csv", region="532822100").status_code == 404
    assert download(client, people["office"], "key-leads", "xlsx", region="532822100").status_code == 200


def test_bad_requests(client, people) -> None:  # type: ignore[no-untyped-def]
    assert download(client, people["office"], "key-leads", "xlsx", period="2018-13").status_code == 400
    assert download(client, people["office"], "key-leads", "pdf").status_code == 404
    assert download(client, people["office"], "secret", "xlsx").status_code == 404
    assert download(client, people["grid"], "key-leads", "xlsx").status_code == 403


def test_documents_and_csv(client, people) -> None:  # type: ignore[no-untyped-def]
    pdf = download(client, people["office"], "monthly", "pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = download(client, people["office"], "warning", "docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    csv = download(client, people["office"], "overview", "csv")
    assert csv.content.decode("gb18030").splitlines()[0].startswith("排查类别,领域或行为,机构类型或具体模式,排查机构数")


def test_notice_without_anyone_to_post_it_for(client, people) -> None:  # type: ignore[no-untyped-def]
    response = download(client, people["office"], "notice", "pdf")
    assert response.status_code == 302 and response["Location"] == reverse("reports:index")


def test_campaign_page_in_scope_only(client, people, ledger) -> None:  # type: ignore[no-untyped-def]
    from fundwatch.web.models import Unit

    campaign = Campaign.objects.create(key="campaign_menghai_2018", name="勐海县涉嫌非法集资风险专项排查活动",
                                       region=ledger.county)
    Submission.objects.create(campaign=campaign, unit=Unit.objects.get(name="勐海镇"), kind="plan", title="方案",
                              submitted_on=date(2018, 5, 20))
    url = reverse("reports:campaign", args=[campaign.pk])
    client.force_login(people["office"])
    body = client.get(url).content.decode()
    assert "勐海镇" in body and "逾期未报" in body and "县金融办" in body
    for persona, status in (("mengla", 404), ("finance", 404), ("grid", 403)):
        client.force_login(people[persona])
        assert client.get(url).status_code == status, persona
