"""Fund-flow monitoring: bank transactions in, typology warnings and a per-subject funds dimension out.

Pure Polars: `scan(transactions, load_funds_config(), accounts=..., leads=...)`
returns the warnings (`schema.WARNINGS_SCHEMA`) and `dim_funds` per subject
(`schema.SUBJECT_FUNDS_SCHEMA`). No files are read here except the packaged
settings; the importer lives in `fundwatch.ingest.transactions`.
"""

from fundwatch.funds.config import FundsConfig, FundsConfigError, load_funds_config, parse_funds_config
from fundwatch.funds.engine import FundsResult, as_hits, funds_dimension, scan
from fundwatch.funds.schema import (
    ACCOUNTS_SCHEMA,
    SUBJECT_FUNDS_SCHEMA,
    TRANSACTIONS_SCHEMA,
    TYPOLOGIES,
    WARNINGS_SCHEMA,
)

__all__ = [
    "ACCOUNTS_SCHEMA",
    "SUBJECT_FUNDS_SCHEMA",
    "TRANSACTIONS_SCHEMA",
    "TYPOLOGIES",
    "WARNINGS_SCHEMA",
    "FundsConfig",
    "FundsConfigError",
    "FundsResult",
    "as_hits",
    "funds_dimension",
    "load_funds_config",
    "parse_funds_config",
    "scan",
]
