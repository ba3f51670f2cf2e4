"""Public and grid reports become signals, and leads where warranted; bad input is refused on its field."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fundwatch.web.models import AuditLog, Lead, Reporter, Signal

from .conftest import png_upload


def _report(world: Any, **changes: Any) -> dict[str, Any]:
    return {"subject_name": "曼贺养生会所", "address": "勐海镇曼贺社区", "township": world.town.pk,
            "content": "每天组织老人听课，推销高价保健品并承诺返利", "people": "12", "amount_wan": "8",
            "anonymous": "on", **changes}


def test_anonymous_public_report_becomes_a_signal_with_a_receipt(world: Any, client: Any) -> None:
    response = client.post(reverse("public_report"), _report(world))
    assert response.status_code == 200
    signal = Signal.objects.get(subject_name="曼贺养生会所")
    assert signal.channel == "public_report" and signal.region == world.town and signal.lead is None
    assert signal.receipt and signal.receipt in response.content.decode()
    assert signal.reporter.anonymous and signal.reporter.name == ""


def test_large_public_report_opens_a_lead(world: Any, client: Any) -> None:
    client.post(reverse("public_report"), _report(world, people="300", amount_wan="500"))
    lead = Lead.objects.get(subject_name="曼贺养生会所")
    assert lead.source == "public_report" and lead.participants == 300 and lead.amount == 5_000_000
    assert lead.signals.get().channel == "public_report"


def test_report_on_a_red_subject_joins_its_open_lead(world: Any, client: Any) -> None:
    client.post(reverse("public_report"), _report(world, subject_name=world.subject.name, people="3"))
    assert Lead.objects.count() == 1
    assert world.lead.signals.count() == 2


def test_named_report_keeps_identity_and_reward_request(world: Any, client: Any) -> None:
    response = client.post(reverse("public_report"), _report(world, anonymous="", name="岩罕", phone="13988776655",
                                                  id_number="532822199001010023", want_reward="on"))
    assert "回执号" in response.content.decode(), response.context["form"].errors
    reporter = Reporter.objects.get(name="岩罕")
    assert reporter.reward_status == "applied" and reporter.id_number == "532822199001010023"


def test_public_report_rejects_bad_input_on_each_field(world: Any, client: Any) -> None:
    bad = _report(world, anonymous="", name="", phone="123", id_number="532822199001010020", content="太短",
                  people="-3", want_reward="on",
                  evidence=SimpleUploadedFile("证据.pdf", b"not a pdf at all", content_type="application/pdf"))
    response = client.post(reverse("public_report"), bad)
    errors = response.context["form"].errors
    assert errors["name"] == ["实名举报请填写此项，或勾选匿名举报"]
    assert "电话号码格式不正确" in errors["phone"][0]
    assert "身份证号码无效" in errors["id_number"][0]
    assert errors["content"] == ["举报内容请至少写 10 个字"]
    assert errors["people"] == ["人数不能为负数"]
    assert "文件类型不符" in errors["evidence"][0]
    assert not Signal.objects.filter(subject_name="曼贺养生会所").exists()


def test_grid_report_with_photo_and_urgency_opens_a_lead(world: Any, personas: dict[str, Any], as_user: Any) -> None:
    client = as_user(personas["grid_worker"])
    village = world.town.children.first()
    response = client.post(reverse("grid_report"), {
        "subject_name": "勐海福寿养老服务中心", "address": "曼贺村 3 组", "village": village.pk,
        "content": "店内聚集老人宣讲“以房养老”项目", "urgent": "on", "photo": png_upload("门店.png"),
    })
    assert response.status_code == 200 and "已上报" in response.content.decode()
    signal = Signal.objects.get(subject_name="勐海福寿养老服务中心")
    assert signal.created_by == personas["grid_worker"] and signal.region == village
    assert signal.attachments.get().content_type == "image/png"
    assert signal.lead is not None and signal.lead.region == village
    # the grid worker sees what they reported, and the lead it opened, but nothing else
    assert client.get(reverse("lead_detail", kwargs={"pk": signal.lead.pk})).status_code == 200
    assert client.get(reverse("lead_detail", kwargs={"pk": world.lead.pk})).status_code == 404
    assert AuditLog.objects.filter(action="create", model="Signal", actor="grid").exists()


def test_grid_report_needs_a_real_photo(world: Any, personas: dict[str, Any], as_user: Any) -> None:
    client = as_user(personas["grid_worker"])
    response = client.post(reverse("grid_report"), {
        "subject_name": "某店", "address": "曼贺村", "village": world.town.pk, "content": "宣讲",
        "photo": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n broken", content_type="image/png"),
    })
    assert "文件类型不符" in response.context["form"].errors["photo"][0]
    other_village = world.other_town.children.first()
    response = client.post(reverse("grid_report"), {
        "subject_name": "某店", "address": "曼恩村", "village": other_village.pk, "content": "宣讲",
        "photo": png_upload(),
    })
    assert "village" in response.context["form"].errors
    assert not Signal.objects.filter(subject_name="某店").exists()


def test_oversized_upload_is_refused(world: Any, personas: dict[str, Any], as_user: Any, settings: Any) -> None:
    settings.FUNDWATCH_MAX_UPLOAD_MB = 0
    response = as_user(personas["office"]).post(
        reverse("lead_upload", kwargs={"pk": world.lead.pk}), {"kind": "licence", "file": png_upload()}, follow=True,
    )
    assert "文件过大" in response.content.decode()
    assert world.lead.attachments.count() == 1


def test_office_opens_a_lead_from_a_pending_signal(world: Any, personas: dict[str, Any], as_user: Any,
                                                     client: Any) -> None:
    client.post(reverse("public_report"), _report(world))
    signal = Signal.objects.get(subject_name="曼贺养生会所")
    response = as_user(personas["office"]).post(reverse("signal_open_lead", kwargs={"pk": signal.pk}))
    signal.refresh_from_db()
    assert signal.lead is not None and response["Location"] == reverse("lead_detail", kwargs={"pk": signal.lead.pk})
    assert signal.lead.region == world.town and signal.lead.source == "public_report"


def test_reward_status_is_tracked_and_logged(world: Any, personas: dict[str, Any], as_user: Any) -> None:
    client = as_user(personas["office"])
    url = reverse("signal_reward", kwargs={"pk": world.signal.pk})
    refused = client.post(url, {"reward_status": "paid"}, follow=True)
    assert "已发放的奖励请填写金额" in refused.content.decode()
    client.post(url, {"reward_status": "paid", "reward_amount": "2000"})
    world.signal.reporter.refresh_from_db()
    assert world.signal.reporter.reward_status == "paid" and world.signal.reporter.reward_amount == 2000
    assert AuditLog.objects.get(action="reward").after["reward_status"] == "paid"
