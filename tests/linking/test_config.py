from __future__ import annotations

from typing import Any

import pytest
import yaml

from fundwatch.linking.config import LinkingConfigError, default_path, load_linking_config, parse_linking_config


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(default_path().read_text(encoding="utf-8"))
    return data


def test_the_packaged_file_loads() -> None:
    config = load_linking_config()
    assert config.same > config.related
    assert "勐遮镇" in config.home_places


@pytest.mark.parametrize(("change", "entry"), [
    (lambda r: r["thresholds"].update(same="high"), "thresholds.same"),
    (lambda r: r["thresholds"].update(related=90), "thresholds.related"),
    (lambda r: r["points"].pop("phone"), "points.phone"),
    (lambda r: r["changes"].update(count=0), "changes.count"),
    (lambda r: r["roles"].update(boss=["老板"]), "roles"),
    (lambda r: r.update(home_region=532822), "home_region"),
    (lambda r: r.update(trade_words=[]), "trade_words"),
])
def test_a_bad_entry_is_named(change: Any, entry: str) -> None:
    raw = _raw()
    change(raw)
    with pytest.raises(LinkingConfigError, match=entry.replace(".", r"\.")) as err:
        parse_linking_config(raw, "linking.yaml")
    assert "linking.yaml" in str(err.value)
