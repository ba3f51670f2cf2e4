"""The linker's entry points: frames in, links and watch signals out.

`link_pairs` links one side with itself (the related-party graph of a registry)
or against another (a registry against the blacklist and the subjects already
in leads); `run` does what `fundwatch link` and the platform need in one call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from fundwatch.linking.blocking import evidence
from fundwatch.linking.config import LinkingConfig, load_linking_config
from fundwatch.linking.frames import LINKS_SCHEMA, WATCH_SCHEMA
from fundwatch.linking.graph import with_clusters
from fundwatch.linking.prepare import Side, prepare
from fundwatch.linking.reviews import apply_reviews
from fundwatch.linking.scoring import score_pairs
from fundwatch.linking.watches import frequent_changes, match_signals, out_of_area


@dataclass(frozen=True)
class LinkResult:
    links: pl.DataFrame  # LINKS_SCHEMA
    watches: pl.DataFrame  # WATCH_SCHEMA
    stats: dict[str, int] = field(default_factory=dict)


def _names(links: pl.DataFrame, left: Side, right: Side) -> pl.DataFrame:
    ln = left.records.select("subject_key", pl.col("name").alias("subject_name"))
    rn = right.records.select(pl.col("subject_key").alias("matched_key"), pl.col("name").alias("matched_name"))
    return links.join(ln, on="subject_key", how="left").join(rn, on="matched_key", how="left")


def link_pairs(left: Side, right: Side | None, config: LinkingConfig, *,
               reviews: pl.DataFrame | None = None, matched_list: str | pl.DataFrame = "registry") -> pl.DataFrame:
    """Links between prepared sides (LINKS_SCHEMA without clusters filled), reviews honoured.

    `matched_list` names where the right side comes from (blacklist, lead, registry), or is a frame
    (subject_key, list) giving it per right-side subject.
    """
    scored = apply_reviews(score_pairs(evidence(left, right, config), config), reviews)
    links = _names(scored, left, right or left)
    if isinstance(matched_list, str):
        links = links.with_columns(pl.lit(matched_list).alias("matched_list"))
    else:
        lists = matched_list.select(pl.col("subject_key").alias("matched_key"), pl.col("list").alias("matched_list"))
        links = links.join(lists.unique("matched_key"), on="matched_key", how="left").with_columns(
            pl.col("matched_list").fill_null("blacklist"))
    links = links.with_columns(pl.lit(None, dtype=pl.String).alias("cluster_id"))
    return links.select([pl.col(c).cast(t) for c, t in LINKS_SCHEMA.items()])


def _listed(watchlist: pl.DataFrame) -> pl.DataFrame:
    lists = pl.col("list") if "list" in watchlist.columns else pl.lit("blacklist")
    return watchlist.select("subject_key", lists.fill_null("blacklist").alias("list"))


def run(subjects: pl.DataFrame, *, people: pl.DataFrame | None = None, watchlist: pl.DataFrame | None = None,
        watchlist_people: pl.DataFrame | None = None, changes: pl.DataFrame | None = None,
        reviews: pl.DataFrame | None = None, within: bool | None = None, home_region: str | None = None,
        config: LinkingConfig | None = None) -> LinkResult:
    """Link a registry (and its people) against a watch list and within itself; raise the watch signals.

    `watchlist` is a registry-shaped frame of blacklist entries and lead subjects (an optional `list`
    column says blacklist or lead; blacklist when absent). `within` links the registry with itself
    too (default: only when there is no watch list). Links carry cluster ids over all links found.
    """
    cfg = config or load_linking_config()
    left = prepare(subjects, people, cfg)
    frames = []
    signals = [_empty_watch()]
    if watchlist is not None:
        right = prepare(watchlist, watchlist_people, cfg)
        against = link_pairs(left, right, cfg, reviews=reviews, matched_list=_listed(watchlist))
        frames.append(against)
        signals.append(match_signals(against, subjects, watchlist, cfg))
    self_link = within if within is not None else watchlist is None
    if self_link:
        frames.append(link_pairs(left, None, cfg, reviews=reviews))
    if changes is not None:
        signals.append(frequent_changes(changes, cfg))
    signals.append(out_of_area(subjects, cfg, home_region))
    links = with_clusters(pl.concat(frames)) if frames else pl.DataFrame(schema=LINKS_SCHEMA)
    watches = pl.concat([s.select([pl.col(c).cast(t) for c, t in WATCH_SCHEMA.items()]) for s in signals])
    stats = {"subjects": left.records.height, "links": links.height,
             "same": links.filter(pl.col("decision") == "same").height, "watches": watches.height}
    return LinkResult(links.select(list(LINKS_SCHEMA)), watches.sort("score", descending=True), stats)


def _empty_watch() -> pl.DataFrame:
    return pl.DataFrame(schema=WATCH_SCHEMA)
