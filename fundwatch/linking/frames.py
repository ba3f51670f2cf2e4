"""The frames the linker takes and gives, beyond the shared ones in fundwatch.frames.

Subjects and blacklist entries are registry frames (fundwatch.frames.REGISTRY_SCHEMA,
with an optional `website` column); the rest are here.
"""

from __future__ import annotations

import polars as pl

# A people file: who stands behind a subject. `role` is written as the file has it
# (法定代表人, 实际控制人, 股东, 董事 …) and mapped to a role id by linking.yaml.
PEOPLE_SCHEMA: dict[str, pl.DataType] = {
    "line": pl.Int64(),
    "subject_key": pl.String(),
    "name": pl.String(),
    "id_number": pl.String(),  # as typed; the linker checks and masks it
    "role": pl.String(),
    "phone": pl.String(),
}

# A person's decision on a proposed match. decision: same | not_same | unsure.
REVIEWS_SCHEMA: dict[str, pl.DataType] = {
    "line": pl.Int64(),
    "subject_key": pl.String(),
    "matched_key": pl.String(),
    "decision": pl.String(),
    "who": pl.String(),
    "when": pl.String(),
}
DECISIONS: tuple[str, ...] = ("same", "not_same", "unsure")
DECISION_ZH: dict[str, str] = {"same": "同一主体", "not_same": "不是同一主体", "unsure": "不确定"}

# One row per link between two subjects.
LINKS_SCHEMA: dict[str, pl.DataType] = {
    "subject_key": pl.String(),
    "subject_name": pl.String(),
    "matched_key": pl.String(),
    "matched_name": pl.String(),
    "matched_list": pl.String(),  # blacklist | lead | registry: where matched_key comes from
    "score": pl.Float64(),  # 0-100, the sum of the evidence points
    "decision": pl.String(),  # same (the same outfit) | related (a related party)
    "kind": pl.String(),  # the strongest evidence: uscc, person_id, phone, website, address, brand, person_name
    "kinds": pl.String(),  # every kind of evidence, comma-separated
    "reasons": pl.String(),  # readable Chinese, one clause per piece of evidence, with its points
    "review": pl.String(),  # same | unsure from a person's review, else null
    "cluster_id": pl.String(),  # the smallest subject key of the related-party cluster
}

# One row per watch signal.
WATCH_SCHEMA: dict[str, pl.DataType] = {
    "subject_key": pl.String(),
    "kind": pl.String(),  # reappearance | lead_match | frequent_changes | out_of_area
    "reasons": pl.String(),
    "score": pl.Float64(),  # 0-100
    "matched_key": pl.String(),  # the blacklist entry or lead matched, null for change and area watches
}

# Evidence rows between a pair of subjects, before they are summed into a score.
EVIDENCE_SCHEMA: dict[str, pl.DataType] = {
    "subject_key": pl.String(),
    "matched_key": pl.String(),
    "kind": pl.String(),
    "shown": pl.String(),  # the shared value as it may be shown (ID numbers masked)
    "n": pl.Int64(),  # subjects holding this value (hub size), 1 when not counted
    "sim": pl.Float64(),  # similarity 0-100 for fuzzy evidence, else null
    "l_role": pl.String(),
    "r_role": pl.String(),
}
