"""Forms: every bad input is refused with a message on its field."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum.cn import ric

from fundwatch.web.models import EDITABLE, Decision, Kind, Lead, Region, RewardStatus, Unit, User
from fundwatch.web.models.attachments import inspect_upload
from fundwatch.web.workflow import State, next_states

WAN = Decimal(10000)
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


def wan_field(label: str, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"{label}（万元）", required=required, min_value=Decimal(0), max_digits=18, decimal_places=6,
        error_messages={"invalid": "请输入数字（单位：万元）", "min_value": "金额不能为负数"},
    )


def check_id_number(value: str) -> str:
    value = value.strip().upper()
    if value and not ric.is_valid(value):
        raise ValidationError("身份证号码无效（位数、出生日期或校验位不符）")
    return value


def check_phone(value: str) -> str:
    value = value.strip().replace(" ", "")
    if value and not PHONE.match(value):
        raise ValidationError("电话号码格式不正确：手机 11 位，座机如 0691-5123456")
    return value


class FileCheck(forms.FileField):
    """A file field that checks type, size and content (Pillow for images, magic bytes otherwise)."""

    def __init__(self, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload:
            inspect_upload(upload, self.kind)
        return upload


def jurisdiction_regions(user: User) -> Any:
    assert user.region is not None
    return Region.objects.filter(code__startswith=user.region.prefix, level__in=["county", "township"])


def county_units(user: User, kind: str) -> Any:
    assert user.region is not None
    county = user.region.county() or user.region
    return Unit.objects.filter(region__code__startswith=county.prefix, kind=kind)


class LeadForm(forms.ModelForm):  # type: ignore[type-arg]
    amount_wan = wan_field("涉及金额")
    unpaid_wan = wan_field("未兑付资金")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Lead
        fields = tuple(f for f in EDITABLE if f not in {"amount", "unpaid"})
        widgets: ClassVar[dict[str, forms.Widget]] = {
            "rect_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "measures": forms.Textarea(attrs={"rows": 3}),
            "rect_measures": forms.Textarea(attrs={"rows": 3}),
            "interprovincial_notice": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = jurisdiction_regions(user)
        self.fields["department"].queryset = county_units(user, Unit.Kind.DEPARTMENT) | county_units(
            user, Unit.Kind.OFFICE
        )
        self.fields["rect_unit"].queryset = county_units(user, Unit.Kind.DEPARTMENT) | county_units(
            user, Unit.Kind.TOWNSHIP
        )
        if self.instance.pk:
            self.fields["amount_wan"].initial = self.instance.amount / WAN
            self.fields["unpaid_wan"].initial = self.instance.unpaid / WAN
            self.fields["version"].initial = self.instance.version

    def clean_responsible_id_number(self) -> str:
        return check_id_number(self.cleaned_data.get("responsible_id_number", ""))

    def clean_responsible_contact(self) -> str:
        return check_phone(self.cleaned_data.get("responsible_contact", ""))

    def clean_refund_ratio(self) -> Decimal | None:
        ratio = self.cleaned_data.get("refund_ratio")
        if ratio is not None and not Decimal(0) <= ratio <= Decimal(100):
            raise ValidationError("清退比例应在 0 到 100 之间")
        return ratio

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount, unpaid = data.get("amount_wan") or Decimal(0), data.get("unpaid_wan") or Decimal(0)
        if unpaid > amount:
            self.add_error("unpaid_wan", "未兑付资金不能大于涉及金额")
        if data.get("refund_status") and data.get("refund_ratio") is None:
            self.add_error("refund_ratio", "填写了清退情况，请写明清退比例（注2）")
        plan = [data.get("rect_unit"), data.get("rect_measures"), data.get("rect_deadline")]
        if any(plan) and not all(plan):
            for name, value in zip(("rect_unit", "rect_measures", "rect_deadline"), plan, strict=True):
                if not value:
                    self.add_error(name, "整改计划须同时明确责任单位、整改措施和整改期限")
        data["amount"], data["unpaid"] = amount * WAN, unpaid * WAN
        return data

    def changes(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in EDITABLE}


class TransitionForm(forms.Form):
    to_state = forms.ChoiceField(label="流转到")
    reason = forms.CharField(label="理由/情况说明", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写流转理由"})
    rect_unit = forms.ModelChoiceField(label="整改责任单位", queryset=Unit.objects.none(), required=False)
    rect_measures = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    rect_deadline = forms.DateField(label="整改期限", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                    error_messages={"invalid": "日期格式应为 年-月-日"})
    photo = FileCheck(Kind.INSPECTION, label="现场照片", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, lead: Lead, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_state"].choices = [(s.value, s.label) for s in next_states(lead.status)]
        self.fields["rect_unit"].queryset = county_units(user, Unit.Kind.DEPARTMENT) | county_units(
            user, Unit.Kind.TOWNSHIP
        )
        self.fields["version"].initial = lead.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("to_state") == State.RECTIFYING:
            for name in ("rect_unit", "rect_measures", "rect_deadline"):
                if not data.get(name):
                    self.add_error(name, "责令整改须填写此项")
            deadline = data.get("rect_deadline")
            if deadline and deadline < timezone.localdate():
                self.add_error("rect_deadline", "整改期限不能早于今天")
        return data

    def plan(self) -> dict[str, Any]:
        if self.cleaned_data["to_state"] != State.RECTIFYING:
            return {}
        return {f: self.cleaned_data[f] for f in ("rect_unit", "rect_measures", "rect_deadline")}


class FollowUpForm(forms.Form):
    text = forms.CharField(label="跟进情况（一事一策）", widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "请填写跟进情况"})


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="材料类别", choices=Kind.choices)
    file = forms.FileField(label="文件", error_messages={"required": "请选择文件"})
    note = forms.CharField(label="说明", max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("file") and data.get("kind"):
            try:
                inspect_upload(data["file"], data["kind"])
            except ValidationError as problem:
                self.add_error("file", problem)
        return data


class ReportForm(forms.Form):
    """群众举报: anonymous or named."""

    subject_name = forms.CharField(label="被举报单位或个人", max_length=200,
                                   error_messages={"required": "请填写被举报的单位或个人名称"})
    address = forms.CharField(label="经营地点", max_length=300, required=False)
    township = forms.ModelChoiceField(label="所在乡镇", queryset=Region.objects.none(),
                                      error_messages={"required": "请选择所在乡镇"})
    content = forms.CharField(label="举报内容", widget=forms.Textarea(attrs={"rows": 5}), min_length=10,
                              error_messages={"required": "请填写举报内容", "min_length": "举报内容请至少写 10 个字"})
    people = forms.IntegerField(label="涉及人数（约）", required=False, min_value=0,
                                error_messages={"min_value": "人数不能为负数", "invalid": "请输入整数"})
    amount_wan = wan_field("涉及金额（约）")
    evidence = FileCheck(Kind.REPORT, label="证据材料（图片或 PDF，可不传）", required=False)
    anonymous = forms.BooleanField(label="匿名举报", required=False, initial=True)
    name = forms.CharField(label="姓名", max_length=32, required=False)
    phone = forms.CharField(label="联系电话", max_length=32, required=False)
    id_number = forms.CharField(label="身份证号（申请奖励时填写）", max_length=18, required=False)
    want_reward = forms.BooleanField(label="申请举报奖励", required=False)

    def __init__(self, *args: Any, county: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Region.objects.filter(parent=county, level="township")

    def clean_phone(self) -> str:
        return check_phone(self.cleaned_data.get("phone", ""))

    def clean_id_number(self) -> str:
        return check_id_number(self.cleaned_data.get("id_number", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("anonymous"):
            for name in ("name", "phone"):
                if not data.get(name):
                    self.add_error(name, "实名举报请填写此项，或勾选匿名举报")
        if data.get("want_reward") and (data.get("anonymous") or not data.get("id_number")):
            self.add_error("id_number", "申请奖励须实名并填写身份证号")
        return data


class GridReportForm(forms.Form):
    """网格员上报: phone-friendly, with a photo of the premises."""

    subject_name = forms.CharField(label="单位或店铺名称", max_length=200,
                                   error_messages={"required": "请填写单位或店铺名称"})
    address = forms.CharField(label="地点", max_length=300, error_messages={"required": "请填写地点"})
    village = forms.ModelChoiceField(label="所在村（社区）", queryset=Region.objects.none(),
                                     error_messages={"required": "请选择所在村（社区）"})
    content = forms.CharField(label="发现情况", widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": "请填写发现的情况"})
    people = forms.IntegerField(label="涉及人数（约）", required=False, min_value=0,
                                error_messages={"min_value": "人数不能为负数"})
    amount_wan = wan_field("涉及金额（约）")
    urgent = forms.BooleanField(label="情况紧急（聚集、宣讲、承诺高息）", required=False)
    photo = FileCheck(Kind.STOREFRONT, label="现场照片", error_messages={"required": "请拍摄或选择现场照片"})

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert user.region is not None
        self.fields["village"].queryset = Region.objects.filter(
            code__startswith=user.region.prefix, level__in=["township", "village"]
        )


class RewardForm(forms.Form):
    reward_status = forms.ChoiceField(label="奖励状态", choices=RewardStatus.choices)
    reward_amount = forms.DecimalField(label="奖励金额（元）", required=False, min_value=Decimal(0),
                                       max_digits=12, decimal_places=2, error_messages={"min_value": "金额不能为负数"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reward_status") == RewardStatus.PAID and not data.get("reward_amount"):
            self.add_error("reward_amount", "已发放的奖励请填写金额")
        return data


TABLE_SUFFIXES = (".csv", ".xlsx")


class TableFile(forms.FileField):
    """A CSV or XLSX file to import, no larger than FUNDWATCH_MAX_IMPORT_MB; its rows are checked by the importer."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if not upload:
            return upload
        name = (upload.name or "").lower()
        if not name.endswith(TABLE_SUFFIXES):
            raise ValidationError("文件类型不符：应为 CSV 或 XLSX（.xls 请另存为 .xlsx）")
        limit = settings.FUNDWATCH_MAX_IMPORT_MB
        if upload.size is not None and upload.size > limit * 1048576:
            raise ValidationError(f"文件过大：{upload.size / 1048576:.1f} MB，上限 {limit} MB")
        return upload


class TransactionsForm(forms.Form):
    """账户交易流水 as banks hand it over, and optionally which subject each account belongs to."""

    transactions = TableFile(label="交易流水（CSV 或 XLSX，银行导出格式）",
                             error_messages={"required": "请选择交易流水文件", "empty": "文件为空"})
    accounts = TableFile(label="账号与主体对应表（可不传：账号、统一社会信用代码或主体标识、主体类型）", required=False,
                         error_messages={"empty": "文件为空"})


class ListUploadForm(forms.Form):
    """The files the linker reads beside the registry."""

    KINDS = (("blacklist", "黑名单（登记信息格式：主体标识、名称、法定代表人、住所、电话、登记状态）"),
             ("blacklist_people", "黑名单主体的人员（主体标识、姓名、身份证号、职务、电话）"),
             ("people", "本县主体的人员（法定代表人、实际控制人、股东、高管）"))
    kind = forms.ChoiceField(label="文件类别", choices=KINDS,
                             error_messages={"required": "请选择文件类别", "invalid_choice": "文件类别无效"})
    file = TableFile(label="文件（CSV 或 XLSX）", error_messages={"required": "请选择文件", "empty": "文件为空"})


class ReviewForm(forms.Form):
    """A person's decision on a proposed match."""

    decision = forms.ChoiceField(label="复核结论", choices=Decision.choices,
                                 error_messages={"required": "请选择复核结论", "invalid_choice": "复核结论无效"})
    note = forms.CharField(label="说明", max_length=200, required=False,
                           error_messages={"max_length": "说明请不超过 200 字"})
    back = forms.IntegerField(widget=forms.HiddenInput, required=False)
