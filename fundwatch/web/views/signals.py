from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fundwatch.web.access import get_signal_for_user, requires
from fundwatch.web.forms import RewardForm
from fundwatch.web.models import AuditLog, Channel, Perm, Reporter, Signal, Source, open_lead_for

SOURCE_OF_CHANNEL = {Channel.PUBLIC_REPORT: Source.PUBLIC_REPORT, Channel.GRID: Source.GRID,
                     Channel.SCREENING: Source.SCREENING, Channel.BANK_FUNDS: Source.BANK_FUNDS}


@requires(Perm.VIEW_SIGNALS)
def signal_list(request: HttpRequest) -> HttpResponse:
    signals = Signal.objects.visible_to(request.user).select_related("region", "subject", "lead")
    if request.GET.get("channel"):
        signals = signals.filter(channel=request.GET["channel"])
    if request.GET.get("pending"):
        signals = signals.filter(lead__isnull=True)
    page = Paginator(signals, 50).get_page(request.GET.get("page"))
    return render(request, "web/signal_list.html", {"page": page, "channels": Channel.choices})


def _reporter(signal: Signal) -> Reporter | None:
    try:
        return signal.reporter
    except Reporter.DoesNotExist:
        return None


@requires(Perm.VIEW_SIGNALS)
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_signal_for_user(request, pk)
    reporter = _reporter(signal)
    return render(request, "web/signal_detail.html", {
        "signal": signal,
        "reporter": reporter.masked() if reporter else None,
        "reward": reporter,
        "reward_form": RewardForm(initial={"reward_status": reporter.reward_status,
                                           "reward_amount": reporter.reward_amount}) if reporter else None,
        "can_triage": request.user.can(Perm.TRIAGE_SIGNALS),  # type: ignore[union-attr]
        "can_reveal": request.user.can(Perm.REVEAL_IDENTITY),  # type: ignore[union-attr]
        "attachments": signal.attachments.all(),
    })


@require_POST
@requires(Perm.TRIAGE_SIGNALS)
def signal_open_lead(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_signal_for_user(request, pk, write=True)
    lead, created = open_lead_for(
        signal.subject, source=SOURCE_OF_CHANNEL.get(Channel(signal.channel), "manual"), user=request.user,
        region=signal.region, subject_name=signal.subject_name or str(signal.subject or "未知主体"),
        title=signal.content[:200], signal=signal, participants=signal.people or 0, amount=signal.amount or 0,
    )
    messages.success(request, f"已{'新建' if created else '并入'}线索 {lead.code}")
    return redirect("lead_detail", pk=lead.pk)


@require_POST
@requires(Perm.REVEAL_IDENTITY)
def signal_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Shows a reporter's identity to office staff, and logs each showing."""
    signal = get_signal_for_user(request, pk)
    reporter = _reporter(signal)
    if reporter is None or reporter.anonymous:
        messages.info(request, "匿名举报，没有举报人身份信息")
        return redirect("signal_detail", pk=signal.pk)
    AuditLog.record(request.user, AuditLog.Action.VIEW_IDENTITY, signal, signal.region_id,
                    after={"fields": ["name", "phone", "id_number"]})
    shown = reporter.revealed()
    return render(request, "web/revealed.html", {
        "title": f"举报人身份（回执号 {signal.receipt}）", "back_signal": signal,
        "rows": [("姓名", shown["name"]), ("电话", shown["phone"]), ("身份证号", shown["id_number"])],
    })


@require_POST
@requires(Perm.REVEAL_IDENTITY)
def signal_reward(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_signal_for_user(request, pk, write=True)
    reporter = _reporter(signal)
    form = RewardForm(request.POST)
    if reporter is None or not form.is_valid():
        messages.error(request, "奖励信息有误：" + "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("signal_detail", pk=signal.pk)
    before = {"reward_status": reporter.reward_status, "reward_amount": str(reporter.reward_amount or "")}
    reporter.reward_status = form.cleaned_data["reward_status"]
    reporter.reward_amount = form.cleaned_data["reward_amount"]
    reporter.save(update_fields=["reward_status", "reward_amount"])
    AuditLog.record(request.user, AuditLog.Action.REWARD, signal, signal.region_id, before=before,
                    after={"reward_status": reporter.reward_status, "reward_amount": str(reporter.reward_amount or "")})
    messages.success(request, "已更新举报奖励状态")
    return redirect("signal_detail", pk=signal.pk)
