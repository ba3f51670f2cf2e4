"""`fundwatch manage run_linking --user U [--blacklist F] [--blacklist-people F] [--people F]`: the linker over
the user's county, after taking in the files given."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fundwatch.web.management.commands._common import UNREADABLE, acting_user, existing
from fundwatch.web.services.common import ServiceProblem
from fundwatch.web.services.linking import RUN_COUNTS, run_linking
from fundwatch.web.services.uploads import import_people, import_watchlist


class Command(BaseCommand):
    help = ("关联比对：本县主体与黑名单、已有线索主体及彼此比对，预警进入信号，死灰复燃并入原线索。"
            "Link the county's subjects against the blacklist, the subjects in leads and each other.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="办理人用户名（打非办账号，记入审计日志）")
        parser.add_argument("--blacklist", help="先导入黑名单文件（登记信息格式） (blacklist file, registry shape)")
        parser.add_argument("--blacklist-people", help="先导入黑名单主体的人员文件 (people of the blacklist entries)")
        parser.add_argument("--people", help="先导入本县主体的人员文件 (people of the county's subjects)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["user"])
        files = [(existing(options["blacklist"]), "黑名单", lambda p: import_watchlist(p, user)),
                 (existing(options["blacklist_people"]), "黑名单人员",
                  lambda p: import_people(p, user, of_blacklist=True)),
                 (existing(options["people"]), "主体人员", lambda p: import_people(p, user))]
        try:
            for path, label, take in files:
                if path is not None:
                    taken = take(path)
                    self.stdout.write(f"{label} {path.name}：{taken.summary()}")
                    for line in taken.problems:
                        self.stdout.write(f"  {line}")
        except ServiceProblem as problem:
            raise CommandError(str(problem), returncode=UNREADABLE) from problem
        record = run_linking(user)
        shown = "，".join(f"{label} {record.counts.get(key, 0):,}" for key, label in RUN_COUNTS)
        self.stdout.write(f"关联比对完成：{shown}")
