"""The generator's vocabulary is data, checked at load with errors that name file and entry."""

from __future__ import annotations

from typing import Any

import pytest

from fundwatch.demo import vocab
from fundwatch.demo.vocab import GUISE_IDS, VocabularyError, load_vocabulary


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    if hasattr(value, "__dataclass_fields__"):
        return [s for f in value.__dataclass_fields__ for s in _strings(getattr(value, f))]
    return []


def test_vocabulary_loads_with_every_guise_in_order() -> None:
    v = load_vocabulary()
    assert tuple(g.key for g in v.guises) == GUISE_IDS
    assert len(v.townships) == 12 and v.county_code == "532822"


def test_every_word_can_be_written_in_gbk() -> None:
    for text in _strings(load_vocabulary()):
        text.encode("gbk")


def test_a_bad_trade_names_the_file_and_the_entry() -> None:
    with pytest.raises(VocabularyError, match=r"trades\.yaml: trade tea: form must be one of"):
        vocab._trade({"key": "tea", "form": "shop"}, "trades.yaml")
    with pytest.raises(VocabularyError, match=r"trade tea\.industry: 'X12 茶' is not"):
        vocab._trade({"key": "tea", "form": "company", "weight": 1, "capital": [1, 2], "staff": [1, 2],
                      "general": ["茶叶销售"], "names": ["茶业"], "industry": ["X12 茶"]}, "trades.yaml")


def test_a_guise_hiding_behind_an_unknown_trade_is_refused() -> None:
    with pytest.raises(VocabularyError, match=r"guises\.yaml: guise p2p\.cover: unknown trades nowhere"):
        vocab._guise("p2p", {"forms": {"company": 1}, "cover": ["nowhere"]}, "guises.yaml", {"tea"})
