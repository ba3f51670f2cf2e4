"""The scoring model: one small rule per kind of evidence, each with the points it gives and why.

A rule takes the linking settings and returns a `RuleResult`: two expressions
over the evidence frame (fundwatch.linking.frames.EVIDENCE_SCHEMA), the points of
each evidence row and the Chinese clause shown beside it. A rule's docstring is
the sentence an analyst reads. The pair's score is the sum over kinds of each
kind's strongest row, between 0 and 100; rules marked `corroborating` count only
when another kind of evidence ties the same pair (a person's name alone never
links two subjects).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from fundwatch.linking.config import LinkingConfig

KEY_ROLES: tuple[str, ...] = ("legal_rep", "controller")
ROLE_ZH: dict[str, str] = {
    "legal_rep": "法定代表人", "controller": "实际控制人", "shareholder": "股东", "officer": "高管",
    "other": "其他人员",
}


@dataclass(frozen=True, slots=True)
class RuleResult:
    points: pl.Expr
    detail: pl.Expr


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    func: Callable[[LinkingConfig], RuleResult]
    corroborating: bool = False

    @property
    def explanation(self) -> str:
        return (self.func.__doc__ or "").strip()


def _hub(config: LinkingConfig, kind: str) -> pl.Expr:
    """min(1, hub_size / n): a value shared by many subjects says little about any two of them."""
    return (pl.lit(float(config.hub_size[kind])) / pl.col("n").cast(pl.Float64)).clip(upper_bound=1.0)


def _soft_hub(config: LinkingConfig, kind: str) -> pl.Expr:
    """sqrt(min(1, hub_size / n)): for names, which repeat by chance far more than phones or IDs do."""
    return _hub(config, kind).sqrt()


def _role(col: str) -> pl.Expr:
    return pl.col(col).replace_strict(ROLE_ZH, default=pl.col(col), return_dtype=pl.String)


def _shared(what: str) -> pl.Expr:
    return pl.format(what + "相同（{}）", pl.col("shown")) + pl.when(pl.col("n") > 2).then(
        pl.format("，共{}户使用", pl.col("n"))
    ).otherwise(pl.lit(""))


def same_uscc(config: LinkingConfig) -> RuleResult:
    """统一社会信用代码相同：同一登记主体。"""
    return RuleResult(pl.lit(config.points["uscc"]), pl.format("统一社会信用代码相同（{}）", pl.col("shown")))


def same_person_id(config: LinkingConfig) -> RuleResult:
    """同一身份证号码的人在两个主体中任职：双方均为法定代表人或实际控制人时分值最高，其他身份（股东、高管）次之。"""
    key = pl.col("l_role").is_in(KEY_ROLES) & pl.col("r_role").is_in(KEY_ROLES)
    points = pl.when(key).then(pl.lit(config.points["person_id_key"])).otherwise(
        pl.lit(config.points["person_id_other"])
    )
    detail = pl.format("同一人（身份证 {}）：本主体{}，对方{}", pl.col("shown"), _role("l_role"), _role("r_role"))
    return RuleResult(points, detail)


def same_person_name(config: LinkingConfig) -> RuleResult:
    """同名人员（至少一方无身份证号）在两个主体中任职：仅在另有其他证据时计分，常见姓名分值更低。"""
    points = pl.lit(config.points["person_name"]) * _hub(config, "person_name")
    detail = pl.format("同名人员（{}）：本主体{}，对方{}", pl.col("shown"), _role("l_role"), _role("r_role"))
    return RuleResult(points, detail)


def person_id_conflict(config: LinkingConfig) -> RuleResult:
    """同名法定代表人或实际控制人的身份证号码不同：是两个人，扣分。"""
    return RuleResult(
        pl.lit(config.points["person_id_conflict"]),
        pl.format("{}同名（{}）但身份证号码不同，系不同人员", _role("l_role"), pl.col("shown")),
    )


def same_phone(config: LinkingConfig) -> RuleResult:
    """联系电话相同；同一号码登记的主体越多（如代理记账公司电话），分值越低。"""
    return RuleResult(pl.lit(config.points["phone"]) * _hub(config, "phone"), _shared("联系电话"))


def same_website(config: LinkingConfig) -> RuleResult:
    """网站域名相同（公共平台域名除外）。"""
    return RuleResult(pl.lit(config.points["website"]) * _hub(config, "website"), _shared("网站域名"))


def same_address(config: LinkingConfig) -> RuleResult:
    """同一县区内的登记或经营地址相同（门牌、室号一致）；同一地址登记的主体越多（如商务秘书地址），分值越低。"""
    return RuleResult(pl.lit(config.points["address"]) * _hub(config, "address"), _shared("地址"))


def similar_brand(config: LinkingConfig) -> RuleResult:
    """字号（去掉地名、行业用语和组织形式后的名称核心）相同或相近；常见字号分值更低（按共用户数的平方根递减）。"""
    same = pl.col("sim") >= 100.0
    similar = pl.col("sim") >= config.brand_similarity
    points = pl.when(same).then(pl.lit(config.points["brand_same"])).when(similar).then(
        pl.lit(config.points["brand_similar"]) * pl.col("sim") / 100.0
    ).otherwise(0.0) * _soft_hub(config, "brand")
    detail = pl.when(same).then(pl.format("字号相同（{}）", pl.col("shown"))).otherwise(
        pl.format("字号相近（{}，相似度{}%）", pl.col("shown"), pl.col("sim").round(0).cast(pl.Int64))
    )
    return RuleResult(points, detail)


MODEL_NAME = "fundwatch-link-1"
RULES: tuple[Rule, ...] = (
    Rule("uscc", same_uscc),
    Rule("person_id", same_person_id),
    Rule("website", same_website),
    Rule("phone", same_phone),
    Rule("address", same_address),
    Rule("brand", similar_brand),
    Rule("person_name", same_person_name, corroborating=True),
    Rule("person_conflict", person_id_conflict, corroborating=True),
)
RULES_BY_KIND: dict[str, Rule] = {r.kind: r for r in RULES}
