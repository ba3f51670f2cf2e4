"""`fundwatch manage import_transactions FILE [--accounts F] --user U`: a bank transaction file into the platform."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fundwatch.web.management.commands._common import UNREADABLE, acting_user, existing
from fundwatch.web.services.common import ServiceProblem
from fundwatch.web.services.funds import import_transactions


class Command(BaseCommand):
    help = ("导入银行账户交易流水（CSV/XLSX），扫描资金异动，预警进入信号（账户资金异动），按规则立线索。"
            "Import a bank transaction file, scan it for fund-flow typologies, store warnings as signals.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="交易流水文件 (transactions: CSV in UTF-8/GBK, or XLSX)")
        parser.add_argument("--accounts", help="账号与主体对应表 (account → USCC or subject key, optional kind)")
        parser.add_argument("--user", required=True, help="办理人用户名（打非办账号，记入审计日志）")

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["user"])
        path = existing(options["file"])
        assert path is not None
        try:
            batch = import_transactions(path, user, accounts=existing(options["accounts"]))
        except ServiceProblem as problem:
            raise CommandError(str(problem), returncode=UNREADABLE) from problem
        counts = batch.counts
        self.stdout.write(
            f"读取 {batch.read:,} 行 = 导入 {batch.imported:,} + 拒收 {batch.rejected:,}"
            f"（另有 {batch.blanked:,} 个值已留空）；"
            f"扫描 {batch.accounts:,} 个账户，预警 {counts['warnings']:,} 条（新 {counts['new_warnings']:,}），"
            f"新信号 {counts['new_signals']:,} 条，新线索 {counts['leads_opened']:,} 条，"
            f"并入已有线索 {counts['signals_to_leads']:,} 条，风险指数更新 {counts.get('rescored', 0):,} 个主体。"
            f"导入编号 {batch.pk}。"
        )
        if batch.rejected:
            self.stdout.write(f"拒收的行和原因：平台“资金流水”页的导入 {batch.pk}，可下载 CSV。")
