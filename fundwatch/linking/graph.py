"""The related-party graph: subjects are nodes, links are typed edges, clusters are its connected parts.

Clusters come from a union-find over the links (path halving, union by size);
a cluster is named by its smallest subject key so the same cluster keeps its
name from one run to the next while it keeps that member.
"""

from __future__ import annotations

import polars as pl


class UnionFind:
    """Disjoint sets over 0..n-1."""

    __slots__ = ("parent", "size")

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]


def clusters(links: pl.DataFrame) -> pl.DataFrame:
    """(subject_key, cluster_id) for every subject on a link; cluster_id is the cluster's smallest key."""
    nodes = pl.concat([links["subject_key"], links["matched_key"]]).unique().sort()
    if nodes.is_empty():
        return pl.DataFrame(schema={"subject_key": pl.String(), "cluster_id": pl.String()})
    index = pl.DataFrame({"key": nodes, "i": pl.int_range(0, nodes.len(), eager=True)})
    ends = links.select("subject_key", "matched_key").join(
        index.rename({"key": "subject_key", "i": "a"}), on="subject_key"
    ).join(index.rename({"key": "matched_key", "i": "b"}), on="matched_key")
    sets = UnionFind(nodes.len())
    for a, b in zip(ends["a"].to_list(), ends["b"].to_list(), strict=True):
        sets.union(a, b)
    roots = pl.Series("root", [sets.find(i) for i in range(nodes.len())])
    frame = pl.DataFrame({"subject_key": nodes, "root": roots})
    return frame.with_columns(pl.col("subject_key").min().over("root").alias("cluster_id")).drop("root")


def with_clusters(links: pl.DataFrame) -> pl.DataFrame:
    """The links with the cluster id of their subject."""
    return links.drop("cluster_id", strict=False).join(clusters(links), on="subject_key", how="left")


def related_parties(links: pl.DataFrame, subject_key: str) -> pl.DataFrame:
    """Every link touching one subject, seen from that subject (its page's related-party list)."""
    forward = links.filter(pl.col("subject_key") == subject_key)
    backward = links.filter(pl.col("matched_key") == subject_key).with_columns(
        pl.col("matched_key").alias("subject_key"), pl.col("subject_key").alias("matched_key"),
        pl.col("matched_name").alias("subject_name"), pl.col("subject_name").alias("matched_name"),
    )
    return pl.concat([forward, backward.select(forward.columns)]).sort("score", descending=True)
