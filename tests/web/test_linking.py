"""Linking in the platform: a closed outfit come back under another name, place and front person is linked
with its reasons, reaches the ledger (its old lead reopened as 死灰复燃), shows on the subject's page, and a
reviewed "not same" never returns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from fundwatch.domain.uscc import make_uscc
from fundwatch.web.models import (
    AuditLog,
    ChangeRecord,
    Lead,
    Link,
    MatchReview,
    Person,
    Signal,
    Source,
    Subject,
    Watch,
    WatchlistEntry,
)

from .conftest import SECTOR, make_user

OLD_KEY, NEW_KEY, CALM_KEY = "91532822MA6K2001X1", "91532822MA6K2002X2", "91532822MA6K2003X3"
# A valid ID number (GB 11643 check digit) of the man who ran the closed outfit and now controls the new one.
CONTROLLER_ID = "532822198001010010"
PHONE = "13908811234"


@pytest.fixture
def office(world: Any) -> Any:
    return make_user("office", "office", world.county, world.office_unit)


def close_after_police(lead: Lead, office: Any) -> None:
    for to, why in (("triage", "研判"), ("inspection", "现场核查"), ("referred_police", "移送公安"),
                    ("closed", "公安已立案，办结")):
        lead.transition(office, to, why, lead.version)


@pytest.fixture
def comeback(world: Any, office: Any) -> dict[str, Any]:
    """An outfit whose lead was referred to the police and closed, and the same outfit registered again
    under another name, in another township, with a front person as legal representative."""
    old = Subject.objects.create(key=OLD_KEY, uscc=OLD_KEY, name="勐海鑫源财富管理有限公司", legal_rep="王建国",
                                 address="勐海县勐海镇曼贺路8号", phone=PHONE, region=world.town, region_code="532822",
                                 status="注销", sector=SECTOR, department=world.finance, grade="red", score=90.0)
    lead = Lead(subject=old, subject_name=old.name, title="承诺高息吸收存款", source=Source.SCREENING, sector=SECTOR,
                department=world.finance, region=world.town).create(None)
    close_after_police(lead, office)
    new = Subject.objects.create(key=NEW_KEY, uscc=NEW_KEY, name="勐海县鑫源汇茶业商贸有限公司", legal_rep="岩香",
                                 address="勐海县勐遮镇景真路66号", phone=PHONE, region=world.other_town,
                                 region_code="532822", status="存续", sector=SECTOR, department=world.finance,
                                 grade="green", score=12.0)
    calm = Subject.objects.create(key=CALM_KEY, uscc=CALM_KEY, name="勐海县曼兴小卖部", legal_rep="岩坎",
                                  address="勐海县勐满镇曼赛村135号", phone="13700000000", region=world.town,
                                  region_code="532822", status="存续", grade="green", score=3.0)
    Person.objects.create(subject=old, name="王建国", id_number=CONTROLLER_ID, role="法定代表人", source="人员.csv")
    Person.objects.create(subject=new, name="王建国", id_number=CONTROLLER_ID, role="实际控制人", source="人员.csv")
    Person.objects.create(subject=new, name="岩香", id_number="", role="法定代表人", source="人员.csv")
    for day, item, before, after in ((dt.date(2025, 1, 5), "名称变更", "勐海县鑫源茶业有限公司", new.name),
                                     (dt.date(2025, 3, 9), "住所变更", "勐海县勐海镇曼贺路8号", new.address),
                                     (dt.date(2025, 6, 1), "法定代表人变更", "王建国", "岩香")):
        ChangeRecord.objects.create(subject=new, date=day, item=item, before=before, after=after, source="changes:t")
    return {"old": old, "new": new, "calm": calm, "lead": lead}


def test_a_closed_outfit_come_back_reopens_its_lead_with_the_reasons(comeback: dict[str, Any], office: Any,
                                                                        as_user: Any) -> None:
    # given an outfit whose lead was closed after a police referral, and its come-back under a new name
    client = as_user(office)
    # when the office runs the linker from the platform
    response = client.post(reverse("linking_run"))
    assert response.status_code == 302
    # then the new registration is linked to the old outfit as the same outfit, by phone and controller's ID
    link = Link.objects.get(subject=comeback["new"], other=comeback["old"])
    assert link.same and link.listed == "blacklist" and link.score >= 60
    assert "13908811234" in link.reasons and CONTROLLER_ID not in link.reasons
    # and a reappearance watch signal reaches the ledger: the old lead is reopened as 死灰复燃, with the reasons
    watch = Watch.objects.get(subject=comeback["new"], matched_key=OLD_KEY)
    assert watch.kind == "reappearance"
    signal = watch.signal
    assert signal.channel == "screening" and "死灰复燃" in signal.content and "更名" in signal.content
    lead = Lead.objects.get(pk=comeback["lead"].pk)
    assert lead.status == "reopened" and signal.lead == lead
    assert "死灰复燃" in lead.transitions.last().reason and comeback["new"].name in lead.transitions.last().reason
    # and the frequent changes of the new registration (3 within 12 months) are a signal of their own
    assert Watch.objects.filter(subject=comeback["new"], kind="frequent_changes").exists()
    # and the unrelated shop is linked to nothing
    assert not Link.objects.touching(comeback["calm"]).exists()
    assert AuditLog.objects.filter(action="linking").count() == 1


def test_a_reviewed_not_same_never_returns(comeback: dict[str, Any], office: Any, as_user: Any) -> None:
    # given a run that linked the come-back to the old outfit
    client = as_user(office)
    client.post(reverse("linking_run"))
    link = Link.objects.get(subject=comeback["new"], other=comeback["old"])
    signals = Signal.objects.count()
    # when the office reviews the match as not the same outfit, from the new subject's page
    response = client.post(reverse("link_review", kwargs={"pk": link.pk}),
                           {"decision": "not_same", "note": "经核实为同名不同人", "back": comeback["new"].pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("subject_detail", kwargs={"pk": comeback["new"].pk})
    # then the decision is stored with who and when, and audited
    review = MatchReview.objects.get()
    assert (review.decision, review.by, review.subject_key, review.matched_key) == ("not_same", office, NEW_KEY,
                                                                                    OLD_KEY)
    assert AuditLog.objects.filter(action="review", object_id=str(link.pk)).get().after["note"] == "经核实为同名不同人"
    # and the link is marked at once
    assert Link.objects.get(pk=link.pk).review == "not_same"
    # when the linker runs again
    client.post(reverse("linking_run"))
    # then the pair is never linked again, and no new signal is raised about it
    assert not Link.objects.filter(subject=comeback["new"], other=comeback["old"]).exists()
    assert not Link.objects.filter(subject=comeback["old"], other=comeback["new"]).exists()
    assert Signal.objects.count() == signals


def test_a_review_form_without_a_decision_says_so_on_the_field(comeback: dict[str, Any], office: Any,
                                                                 as_user: Any) -> None:
    client = as_user(office)
    client.post(reverse("linking_run"))
    link = Link.objects.get(subject=comeback["new"], other=comeback["old"])
    response = client.post(reverse("link_review", kwargs={"pk": link.pk}), {"decision": "maybe"}, follow=True)
    assert "复核结论：复核结论无效" in response.content.decode()
    assert not MatchReview.objects.exists()


def test_the_subject_page_shows_related_parties_history_and_masked_people(comeback: dict[str, Any], office: Any,
                                                                          as_user: Any) -> None:
    client = as_user(office)
    client.post(reverse("linking_run"))
    # when the office opens the come-back's page
    page = client.get(reverse("subject_detail", kwargs={"pk": comeback["new"].pk})).content.decode()
    # then it shows the old outfit as a related party, with the reasons and a review form
    assert comeback["old"].name in page and "疑为同一主体" in page and "联系电话相同" in page
    assert reverse("link_review", kwargs={"pk": Link.objects.get(subject=comeback["new"]).pk}) in page
    # and its history: change records and earlier names, addresses and legal representatives
    assert "曾用名" in page and "勐海县鑫源茶业有限公司" in page and "曾任法定代表人" in page
    # and the old lead its signal went onto
    assert comeback["lead"].code in page
    # and the people behind it, ID numbers masked
    assert CONTROLLER_ID not in page and "5328**********0010" in page


def test_an_id_number_is_shown_only_on_request_and_logged(comeback: dict[str, Any], office: Any,
                                                          as_user: Any) -> None:
    person = Person.objects.get(subject=comeback["new"], role="实际控制人")
    response = as_user(office).post(reverse("person_reveal", kwargs={"pk": person.pk}))
    assert CONTROLLER_ID in response.content.decode()
    entry = AuditLog.objects.get(action="view_id_number")
    assert (entry.model, entry.object_id, entry.actor) == ("Person", str(person.pk), "office")


def test_a_department_sees_a_party_outside_its_sectors_without_name_or_reasons(world: Any, comeback: dict[str, Any],
                                                                              office: Any, as_user: Any) -> None:
    # given the come-back in the finance department's sector, linked to a shop no department leads on
    as_user(office).post(reverse("linking_run"))
    shop = comeback["calm"]
    Link.objects.create(run=Link.objects.first().run, subject=comeback["new"], other=shop, other_key=shop.key,
                        other_name=shop.name, listed="registry", score=45.0, same=False, kind="address",
                        kinds="address", reasons=f"地址相同（{shop.address}）", cluster=NEW_KEY)
    finance = make_user("finance", "department", world.county, world.finance)
    # when the finance department opens the come-back's page
    page = as_user(finance).get(reverse("subject_detail", kwargs={"pk": comeback["new"].pk})).content.decode()
    # then the shop's link is there, but neither its name nor the address behind it
    assert "您无权查看的主体" in page and shop.name not in page and shop.address not in page
    # and a department cannot review
    assert as_user(finance).post(reverse("link_review", kwargs={"pk": Link.objects.last().pk}),
                                 {"decision": "same"}).status_code == 403


def test_out_of_area_registrations_operating_here_are_watched(world: Any, office: Any, as_user: Any) -> None:
    # given a firm registered in Kunming whose business is in a Menghai township
    Subject.objects.create(key="91530102MA6K3001X1", uscc="91530102MA6K3001X1", name="昆明聚鑫投资咨询有限公司",
                           address="昆明市五华区人民中路1号", operating_address="勐海县勐遮镇景真路8号",
                           region=world.county, region_code="530102", grade="yellow", score=50.0)
    as_user(office).post(reverse("linking_run"))
    watch = Watch.objects.get(kind="out_of_area")
    assert "勐海" in watch.reasons and watch.signal.channel == "screening"
    # and a yellow subject's watch signal waits for the office: it opens no lead
    assert watch.signal.lead is None


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_an_uploaded_blacklist_and_its_people_link_a_front_person_company(world: Any, office: Any, as_user: Any,
                                                                          tmp_path: Path) -> None:
    # given a company here whose controller ran an outfit on another county's blacklist
    here = Subject.objects.create(key="91532822MA6K4001X1", uscc="91532822MA6K4001X1", name="勐海县金瑞祥商贸有限公司",
                                  legal_rep="玉罕", address="勐海县打洛镇打洛街1号", region=world.county,
                                  region_code="532822", grade="green", score=5.0)
    client = as_user(office)
    listed = make_uscc("91", "532801", "MA6K5001")
    blacklist = ("统一社会信用代码,企业名称,法定代表人,住所,电话,登记状态\n"
                 f"{listed},景洪金瑞投资有限公司,王建国,景洪市宣慰大道1号,13800000001,吊销\n")
    people = f"统一社会信用代码,姓名,身份证号码,职务\n{listed},王建国,{CONTROLLER_ID},法定代表人\n"
    ours = f"主体标识,姓名,身份证号码,职务\n{here.key},王建国,{CONTROLLER_ID},实际控制人\n{here.key},玉罕,,法定代表人\n"
    for kind, name, text in (("blacklist", "黑名单.csv", blacklist), ("blacklist_people", "黑名单人员.csv", people),
                             ("people", "人员.csv", ours)):
        upload = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
        assert client.post(reverse("linking_upload"), {"kind": kind, "file": upload}).status_code == 302
    assert WatchlistEntry.objects.get().status == "吊销" and Person.objects.filter(subject=here).count() == 2
    # when the linker runs
    client.post(reverse("linking_run"))
    # then the company is the blacklisted outfit come back behind a front person, and a lead is opened
    watch = Watch.objects.get(subject=here, matched_key=f"BL:{listed}")
    assert watch.kind == "reappearance" and "法定代表人不同" in watch.reasons
    assert watch.signal.lead is not None and watch.signal.lead.subject == here


def test_an_outfit_on_the_published_list_coming_back_opens_a_lead(world: Any, office: Any, as_user: Any) -> None:
    from fundwatch.reports.webapp.models import BlacklistEntry

    # given an outfit struck off and put on the county's published list, with no lead of its own
    listed = Subject.objects.create(key="91532822MA6K5001X1", uscc="91532822MA6K5001X1", name="勐海县聚源养生有限公司",
                                    legal_rep="赵德福", phone="13988880000", region=world.town, region_code="532822",
                                    status="吊销", grade="green", score=1.0)
    BlacklistEntry.objects.create(subject=listed, name=listed.name, reason="以养生为名非法吸收公众存款",
                                  region=world.county, listed_on=dt.date(2024, 1, 1))
    # and a new registration with its phone and its legal representative's name
    new = Subject.objects.create(key="91532822MA6K5002X2", uscc="91532822MA6K5002X2", name="勐海县源康健康咨询有限公司",
                                 legal_rep="赵德福", phone="13988880000", region=world.other_town,
                                 region_code="532822", status="存续", grade="green", score=2.0)
    # when the linker runs
    as_user(office).post(reverse("linking_run"))
    # then it is the listed outfit come back, and a lead is opened for it with the reasons
    watch = Watch.objects.get(subject=new, matched_key=listed.key)
    assert watch.kind == "reappearance" and "列入名单" in watch.reasons
    lead = watch.signal.lead
    assert lead.subject == new and lead.status == "found" and "死灰复燃" in lead.title
    assert lead.department == world.office_unit  # no department leads on its sector: the office keeps it


@pytest.mark.parametrize(("name", "data", "problem"), [
    ("名单.txt", b"a,b\n1,2\n", "应为 CSV 或 XLSX"),
    ("名单.csv", "姓名,电话\n张三,1\n".encode(), "名单.csv 缺少企业登记信息必需的列"),
])
def test_a_bad_upload_is_refused_on_its_field(world: Any, office: Any, as_user: Any, name: str, data: bytes,
                                              problem: str) -> None:
    upload = SimpleUploadedFile(name, data, content_type="text/plain")
    response = as_user(office).post(reverse("linking_upload"), {"kind": "blacklist", "file": upload})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(problem in e for e in errors), errors
    assert not WatchlistEntry.objects.exists()


def test_run_linking_command(comeback: dict[str, Any], office: Any, tmp_path: Path, capsys: Any) -> None:
    people = write(tmp_path / "people.csv", f"主体标识,姓名,身份证号码,职务\n{CALM_KEY},岩坎,{CONTROLLER_ID},股东\n")
    call_command("run_linking", "--user", "office", "--people", str(people))
    out = capsys.readouterr().out
    assert "主体人员 people.csv：读取 1 行：导入 1 行" in out and "关联比对完成" in out
    assert Lead.objects.get(pk=comeback["lead"].pk).status == "reopened"
    with pytest.raises(CommandError) as refused:
        call_command("run_linking", "--user", "nobody")
    assert refused.value.returncode == 2
