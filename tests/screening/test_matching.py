"""How words are found: longest match, exceptions, words inside other lexicons' words, masks, case."""

from __future__ import annotations

import polars as pl

from fundwatch.lexicons import Term, load_ruleset
from fundwatch.screening.automaton import Tagged, compile_automaton, find_terms
from fundwatch.screening.context import Context

from .factory import registry


def _term(text: str, points: float = 10.0, exceptions: tuple[str, ...] = ()) -> Term:
    return Term(text, (("name", points),), exceptions)


def _found(texts: list[str], tagged: list[Tagged]) -> list[list[tuple[str, str]]]:
    """Per text, the (kind, term) pairs found, in order."""
    frame = pl.DataFrame({"row": list(range(len(texts))), "text": texts})
    found = find_terms(frame, pl.col("text"), ["row"], compile_automaton(tagged, ("name",)), "name")
    return [
        list(zip(found.filter(pl.col("row") == i).get_column("kind").to_list(),
                 found.filter(pl.col("row") == i).get_column("term").to_list(), strict=True))
        for i in range(len(texts))
    ]


def test_the_longest_word_at_a_position_wins() -> None:
    tagged = [Tagged("a", "投资", "投资", _term("投资")), Tagged("a", "投资咨询", "投资咨询", _term("投资咨询"))]
    assert _found(["投资咨询服务", "项目投资"], tagged) == [[("a", "投资咨询")], [("a", "投资")]]


def test_an_exception_phrase_swallows_its_word() -> None:
    word = _term("信息服务", exceptions=("互联网信息服务",))
    tagged = [Tagged("a", "信息服务", "信息服务", word)]
    assert _found(["互联网信息服务", "金融信息服务"], tagged) == [[], [("a", "信息服务")]]


def test_a_longer_word_counts_for_the_shorter_words_of_other_lexicons() -> None:
    tagged = [
        Tagged("sensitive", "股权众筹", "股权众筹", _term("股权众筹")),
        Tagged("sector", "crowdfunding", "众筹", _term("众筹")),
    ]
    assert _found(["股权众筹平台"], tagged) == [[("sensitive", "股权众筹"), ("sector", "众筹")]]


def test_within_one_lexicon_only_the_longest_counts() -> None:
    tagged = [Tagged("a", "基金", "基金", _term("基金")), Tagged("a", "基金管理", "基金管理", _term("基金管理"))]
    assert _found(["基金管理有限公司"], tagged) == [[("a", "基金管理")]]


def test_matching_ignores_ascii_case_and_escapes_regex_characters() -> None:
    tagged = [Tagged("a", "P2P", "P2P", _term("P2P")), Tagged("a", "A+B", "A+B", _term("A+B"))]
    assert _found(["p2p网贷", "AAB", "a+b模式"], tagged) == [[("a", "P2P")], [], [("a", "A+B")]]


def test_prohibition_clauses_are_masked_out_of_scopes() -> None:
    scope = ("茶叶销售（未经金融等监管部门批准，不得从事吸收存款、融资担保、代客理财、向社会公众集（融）资等金融业务）"
             "；理财咨询")
    ctx = Context(registry({"business_scope": scope}), {}, load_ruleset(), None)
    words = ctx.registry_terms.filter(pl.col("field") == "business_scope").get_column("term").to_list()
    assert "理财" in words  # after the clause: counts
    assert "金融" not in words and "融资担保" not in words
