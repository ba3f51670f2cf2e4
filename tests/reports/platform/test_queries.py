"""The ledger of a jurisdiction and month as the report frames, and only what the user may see."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from fundwatch.reports import queries
from fundwatch.reports.webapp.models import AreaScreening, BlacklistEntry

from .conftest import PERIOD


def test_key_leads_open_in_the_month(ledger) -> None:  # type: ignore[no-untyped-def]
    frame = queries.key_leads_frame(ledger.county, PERIOD)
    assert frame["name"].to_list() == ["勐海聚财投资咨询有限公司", "勐遮安居房地产开发有限公司"]
    tea = frame.row(0, named=True)
    assert tea["sector"] == "民间投融资中介"
    assert (tea["online"], tea["refund_state"], tea["refund_ratio"]) == ("both", "refunding", pytest.approx(35.12))
    assert tea["amount"] == Decimal("12345678.90") and tea["notification_text"] == "已向四川省通报2次"
    assert frame.row(1, named=True)["outcome"] == "移送公安"


def test_a_township_jurisdiction_narrows_the_ledger(ledger) -> None:  # type: ignore[no-untyped-def]
    town = queries.region_of("532822100")
    assert queries.key_leads_frame(town, PERIOD)["name"].to_list() == ["勐海聚财投资咨询有限公司"]
    with pytest.raises(queries.UnknownRegion, match="999999"):
        queries.region_of("999999")


def test_a_department_sees_only_its_sectors(ledger, people) -> None:  # type: ignore[no-untyped-def]
    # given the 金融办, which leads on investment intermediaries only
    finance = people["finance"]
    # when it asks for the county's key leads
    frame = queries.key_leads_frame(ledger.county, PERIOD, finance)
    # then the real-estate lead is not in them
    assert frame["name"].to_list() == ["勐海聚财投资咨询有限公司"]
    assert queries.key_leads_frame(ledger.county, PERIOD, people["mengla"]).is_empty()


def test_institutions_carry_guise_target_group_problems_and_disposal(ledger) -> None:  # type: ignore[no-untyped-def]
    frame = queries.institutions_frame(ledger.county, PERIOD)
    tea = frame.filter(frame["subject_key"] == "91532822MA6K0001X0").row(0, named=True)
    placed = (tea["sector"], tea["guise"], tea["target_group"])
    assert placed == ("investment_intermediary", "consumption_rebate", "elderly")
    # the problems in the words of overview.yaml, strongest hit first
    assert tea["problems"] == ["以集资名义虚假宣传", "针对弱势群体吸收资金", "无办公场所和办公人员或与注册登记不符"]
    assert tea["rectification"] == "ongoing" and not tea["referred_police"]
    house = frame.filter(frame["subject_key"] == "91532822MA6K0002X0").row(0, named=True)
    assert house["referred_police"] and house["sector"] == "real_estate"
    assert frame.height == 2


def test_county_free_frames_from_the_region_tree(ledger) -> None:  # type: ignore[no-untyped-def]
    from fundwatch.web.models import Region

    AreaScreening.objects.create(region=Region.objects.get(code="532822100002"), screened_on=date(2018, 6, 1),
                                 declared_free=True)
    villages, leads = queries.county_free_frames(ledger.county)
    assert villages.height == Region.objects.filter(code__startswith="532822", level="village").count()
    declared = villages.filter(villages["village_code"] == "532822100002").row(0, named=True)
    assert declared["screened"] and declared["declared_free"] and declared["township_name"] == "勐海镇"
    by_village = {r["village_code"]: r for r in leads.to_dicts() if r["village_code"]}
    assert by_village["532822100001"]["open"] and by_village["532822100001"]["township_code"] == "532822100"
    assert leads.height == 4  # dismissed leads are not risk leads; 勐腊县 is outside


def test_monthly_frames_dates_and_places(ledger) -> None:  # type: ignore[no-untyped-def]
    leads, monitored = queries.monthly_frames(ledger.county, PERIOD)
    rows = {r["name"]: r for r in leads.to_dicts()}
    assert set(rows) == {"勐海聚财投资咨询有限公司", "勐遮安居房地产开发有限公司", "勐海旧案商贸有限公司"}
    assert rows["勐海旧案商贸有限公司"]["closed"] == date(2018, 3, 1)
    assert rows["勐遮安居房地产开发有限公司"]["opened"] == date(2018, 7, 9)
    assert rows["勐遮安居房地产开发有限公司"]["township"] == "勐遮镇"
    refunded = Decimal("12345678.90") * Decimal("35.12") / 100
    assert rows["勐海聚财投资咨询有限公司"]["refunded"] == refunded.quantize(Decimal("0.01"))
    assert monitored.height == 2


def test_blacklist_on_a_day(ledger) -> None:  # type: ignore[no-untyped-def]
    BlacklistEntry.objects.create(name="甲", reason="移送公安", region=ledger.county, listed_on=date(2018, 7, 1))
    BlacklistEntry.objects.create(name="乙", reason="整改完毕", region=ledger.county, listed_on=date(2018, 6, 1),
                                  delisted_on=date(2018, 7, 10))
    assert queries.blacklist_frame(ledger.county, date(2018, 7, 5))["name"].to_list() == ["乙", "甲"]
    assert queries.blacklist_frame(ledger.county, date(2018, 7, 20))["name"].to_list() == ["甲"]
    assert queries.blacklist_frame(ledger.other_county, date(2018, 7, 20)).is_empty()


def test_what_the_ledger_leaves_open_stays_open(ledger) -> None:  # type: ignore[no-untyped-def]
    # the real-estate lead's ledger says nothing of the internet, and the 勐腊 lead sits at county level
    frame = queries.key_leads_frame(ledger.county, PERIOD)
    assert frame.row(1, named=True)["online"] is None
    leads, _ = queries.monthly_frames(ledger.other_county, PERIOD)
    assert leads["township"].to_list() == [None]
