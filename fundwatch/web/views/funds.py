"""账户资金异动: the office imports bank transaction files and sees what they raised and what was refused."""

from __future__ import annotations

import csv
import io
from contextlib import ExitStack

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fundwatch.web.access import get_for_user, requires
from fundwatch.web.forms import TransactionsForm
from fundwatch.web.models import Perm, TransactionImport
from fundwatch.web.services.common import ServiceProblem, spooled
from fundwatch.web.services.funds import import_transactions

IMPORT_COUNTS = (("warnings", "预警"), ("new_warnings", "新预警"), ("new_signals", "新信号"),
                 ("leads_opened", "新线索"), ("signals_to_leads", "并入已有线索"),
                 ("rescored", "风险指数更新"))
REJECT_HEADERS = ("表", "行号", "列", "值", "原因", "处理")
TABLE_ZH = {"transactions": "交易流水", "accounts": "账号对应表"}


@requires(Perm.IMPORT_DATA)
def funds_home(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = TransactionsForm(request.POST, request.FILES) if posted else TransactionsForm()
    if posted and form.is_valid():
        try:
            with ExitStack() as stack:
                statement = stack.enter_context(spooled(form.cleaned_data["transactions"]))
                given = form.cleaned_data.get("accounts")
                accounts = stack.enter_context(spooled(given)) if given else None
                batch = import_transactions(statement, request.user, accounts=accounts)  # type: ignore[arg-type]
        except ServiceProblem as problem:
            form.add_error(problem.field if problem.field in form.fields else None, str(problem))
        else:
            return redirect("funds_import_detail", pk=batch.pk)
    imports = TransactionImport.objects.visible_to(request.user).select_related("by")[:20]
    return render(request, "web/funds.html", {"form": form, "imports": imports, "import_counts": IMPORT_COUNTS})


@requires(Perm.IMPORT_DATA)
def funds_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_for_user(request, TransactionImport, pk)
    problems = Paginator(batch.problems.all(), 100).get_page(request.GET.get("page"))
    return render(request, "web/funds_import.html", {
        "batch": batch, "import_counts": IMPORT_COUNTS, "problems": problems, "page": problems, "tables": TABLE_ZH,
        "warnings": batch.warnings.visible_to(request.user).select_related("subject", "signal__lead"),
    })


@requires(Perm.IMPORT_DATA)
def funds_rejects(request: HttpRequest, pk: int) -> HttpResponse:
    """The rows not imported and the values kept empty, with line and reason, as GBK CSV for Excel and WPS."""
    batch = get_for_user(request, TransactionImport, pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REJECT_HEADERS)
    for p in batch.problems.all():
        writer.writerow([TABLE_ZH.get(p.table, p.table), p.line, p.column, p.value, p.reason,
                         p.get_severity_display()])
    response = HttpResponse(buffer.getvalue().encode("gbk", errors="replace"), content_type="text/csv; charset=gbk")
    response["Content-Disposition"] = (f'attachment; filename="rejects-{batch.pk}-'
                                       f'{timezone.localtime(batch.at):%Y%m%d}.csv"')
    return response
