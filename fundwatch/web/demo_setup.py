"""The demo county end to end, through the same engine as every other import: generate, ingest, screen, store."""

from __future__ import annotations

from pathlib import Path

from fundwatch.frames import SIDE_KINDS
from fundwatch.web.models import AuditLog
from fundwatch.web.provisioning import Importer, create_demo_users, departments_of, load_regions, load_units


def run_demo_setup(profile: str, subjects: int, seed: int, out_dir: Path, password: str) -> tuple[dict[str, int],
                                                                                                   list[str]]:
    from fundwatch.demo import generate_county, write_county
    from fundwatch.ingest.registry import load_registry
    from fundwatch.ingest.side import load_side_table
    from fundwatch.lexicons import load_ruleset
    from fundwatch.screening import SideTables, screen

    ruleset = load_ruleset(profile)
    county = load_regions(ruleset.profile.region_code)
    load_units(county, departments_of(ruleset), office=ruleset.profile.default_department)
    write_county(generate_county(subjects, seed), out_dir)
    registry = load_registry(out_dir / "registry.csv").frame
    side = {kind: load_side_table(kind, out_dir / f"{kind}.csv").frame for kind in SIDE_KINDS
            if (out_dir / f"{kind}.csv").exists()}
    result = screen(registry, SideTables(**side), ruleset)
    counts = Importer(county, batch=f"demo-{seed}").run(registry, result.scores, result.hits, side)
    AuditLog.record(None, AuditLog.Action.IMPORT, county, county.pk, after={"source": "demo", **counts})
    return counts, create_demo_users(county, password)


