"""Linking: the same outfit under a new name, place or front person; related parties; watch signals.

Entry points (frames in, frames out; no files, no Django):

- `engine.run(subjects, people=, watchlist=, watchlist_people=, changes=, reviews=, within=, home_region=)`
  → `LinkResult(links, watches, stats)`: links (frames.LINKS_SCHEMA, one row per link with score,
  decision same/related, kinds, Chinese reasons, review, cluster_id) and watch signals
  (frames.WATCH_SCHEMA: reappearance, blacklist_match, blacklist_related, lead_match,
  frequent_changes, out_of_area).
- `engine.link_pairs(prepare(...), prepare(...) | None, config, reviews=)` for one side against
  another or against itself; `graph.related_parties(links, key)` for one subject's page;
  `graph.clusters(links)` for the related-party clusters.
- `watches.frequent_changes(changes, config)`, `watches.out_of_area(subjects, config)`.

The settings (thresholds, points, hub sizes, word lists, change window) are in
fundwatch/lexicons/data/linking.yaml, loaded by `config.load_linking_config()`; the scoring
rules, one per kind of evidence, are declared in `rules.RULES`.
"""
