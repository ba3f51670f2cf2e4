"""Named personas and the small world they work in, shared by every platform test.

The world: 勐海县 (532822) with a red lead in 勐海镇, in the 民间投融资中介 sector led by
the county 金融办, reported by the public and carrying an archive photo; and
勐腊县 (532823) next door with an office of its own. Each persona is named after
the rights it has (or lacks) over that lead.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

SECTOR = "民间投融资中介"
OTHER_SECTOR = "批发和零售"


def pytest_configure(config: pytest.Config) -> None:
    """With DATABASE_URL on PostgreSQL, an unreachable server ends the run with a message, never a skip."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    parts = urlsplit(url)
    try:
        psycopg.connect(host=parts.hostname or "127.0.0.1", port=parts.port or 5432, user=parts.username or "",
                        password=parts.password or "", dbname="postgres", connect_timeout=3).close()
    except psycopg.OperationalError as err:
        pytest.exit(f"DATABASE_URL 指向的 PostgreSQL 无法连接（{parts.hostname}:{parts.port or 5432}）：{err}\n"
                    "请启动数据库服务，或去掉 DATABASE_URL 以 SQLite 运行。", returncode=3)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def png_upload(name: str = "门脸.png", colour: str = "red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@dataclass
class World:
    county: object
    other_county: object
    town: object
    other_town: object
    office_unit: object
    finance: object
    market: object
    subject: object
    lead: object
    signal: object
    attachment: object


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    from fundwatch.web.models import Attachment, Channel, Kind, Region, Reporter, Signal, Subject, Unit
    from fundwatch.web.models.leads import Lead, Source
    from fundwatch.web.provisioning import load_regions, load_units

    county = load_regions("532822")
    other_county = load_regions("532823")
    load_units(county, {"县金融办": [SECTOR], "县市场监督管理局": [OTHER_SECTOR]})
    load_units(other_county, {"勐腊县金融办": [SECTOR]})
    town = Region.objects.get(code="532822100")
    finance = Unit.objects.get(name="县金融办")
    subject = Subject.objects.create(
        key="91532822MA6K0001X0", uscc="91532822MA6K0001X0", name="勐海聚财投资咨询有限公司", region=town,
        sector=SECTOR, department=finance, score=88.5, grade="red", evidence="名称含“投资咨询”；承诺高额回报",
    )
    lead = Lead(subject=subject, subject_name=subject.name, title="承诺年化 18% 回报吸收存款", source=Source.SCREENING,
                sector=SECTOR, department=finance, region=town, grade="red", score=88.5,
                amount=Decimal("600000000"), participants=1200, cross_province=True,
                responsible_person="岩温", responsible_id_number="532822198001010010").create(None)
    signal = Signal.objects.create(channel=Channel.PUBLIC_REPORT, received_at=lead.opened_at, subject=subject,
                                   subject_name=subject.name, content="该公司在菜市场宣讲高息理财", region=town,
                                   lead=lead, receipt="JB20260101000001")
    Reporter.objects.create(signal=signal, anonymous=False, name="玉香", phone="13908810000",
                            id_number="532822199001010023")
    attachment = Attachment.store(png_upload(), Kind.STOREFRONT, None, lead=lead)
    return World(county=county, other_county=other_county, town=town,
                 other_town=Region.objects.get(code="532822103"), office_unit=Unit.objects.get(name="勐海县打非办"),
                 finance=finance, market=Unit.objects.get(name="县市场监督管理局"), subject=subject, lead=lead,
                 signal=signal, attachment=attachment)


def make_user(username: str, role: str, region: object, unit: object = None, **extra: object):  # type: ignore[no-untyped-def]
    from fundwatch.web.models import User

    return User.objects.create_user(username=username, password="pw-Fundwatch-1", role=role, region=region,
                                    unit=unit, full_name=username, **extra)


PERSONAS = (
    "anonymous", "office", "department_same_sector", "department_other_sector", "township_same_place",
    "township_other_place", "grid_worker", "other_county_office", "auditor", "admin",
)


@pytest.fixture
def personas(world):  # type: ignore[no-untyped-def]
    """Every persona by name; `anonymous` is None."""
    from django.contrib.auth.models import Permission

    from fundwatch.web.models import Unit

    other_office = Unit.objects.get(name="勐腊县打非办")
    admin = make_user("admin", "admin", world.county, world.office_unit, is_staff=True)
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="web",
                                                         codename__in=["view_user", "change_user", "view_auditlog"]))
    return {
        "anonymous": None,
        "office": make_user("office", "office", world.county, world.office_unit),
        "department_same_sector": make_user("finance", "department", world.county, world.finance),
        "department_other_sector": make_user("market", "department", world.county, world.market),
        "township_same_place": make_user("township", "township", world.town,
                                         Unit.objects.get(name=world.town.name)),
        "township_other_place": make_user("township2", "township", world.other_town,
                                          Unit.objects.get(name=world.other_town.name)),
        "grid_worker": make_user("grid", "grid", world.town),
        "other_county_office": make_user("office_mengla", "office", world.other_county, other_office),
        "auditor": make_user("auditor", "auditor", world.county, world.office_unit),
        "admin": admin,
    }


@pytest.fixture
def as_user(client):  # type: ignore[no-untyped-def]
    """as_user(user) → the test client signed in as that user (or anonymous for None)."""

    def sign_in(user):  # type: ignore[no-untyped-def]
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
