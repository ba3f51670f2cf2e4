"""An external dimension file for the screening: one row per subject with a 0-100 score and its evidence.

`fundwatch funds --dimension F` writes one (资金异动得分: subject_key, dim_funds,
typologies, evidence; Chinese headers in XLSX); `fundwatch screen --funds F`
reads it back through the same reader as every other table.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from fundwatch.ingest.readers import Column, Imported, TableSpec, read_table

FUNDS_DIMENSION_SPEC = TableSpec(
    label="资金异动得分",
    columns=(
        Column("subject_key", ("主体标识", "统一社会信用代码", "subject_key", "uscc", "id"), kind="key", required=True),
        Column("dim_funds", ("资金异动得分", "dim_funds", "得分", "score"), kind="float", required=True,
               reject_empty=True),
        Column("typologies", ("预警类型", "typologies")),
        Column("evidence", ("预警依据", "evidence")),
    ),
)


def load_funds_dimension(path: Path, *, encoding: str | None = None) -> Imported:
    """The funds dimension as `subject_key, dim_funds, evidence_funds` (+ line), with its rejects.

    A score outside 0-100 is rejected with its line rather than clipped: it means the file is not
    what `fundwatch funds --dimension` writes.
    """
    imported = read_table(path, FUNDS_DIMENSION_SPEC, encoding=encoding)
    frame = imported.frame
    bad = frame.filter((pl.col("dim_funds") < 0) | (pl.col("dim_funds") > 100))
    if bad.height:
        rejects = bad.select(
            "line", column=pl.lit("资金异动得分"), value=pl.col("dim_funds").cast(pl.String),
            reason=pl.lit("得分应在 0 到 100 之间"), severity=pl.lit("reject"),
        )
        imported = imported.without(rejects)
    evidence = pl.concat_str(pl.lit("资金异动："), pl.col("evidence"))
    return Imported(
        frame=imported.frame.select("line", "subject_key", "dim_funds", evidence_funds=evidence),
        rejects=imported.rejects, read=imported.read, headers=imported.headers,
    )
