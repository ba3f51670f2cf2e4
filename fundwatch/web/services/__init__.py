"""Glue between the platform and the engines: frames out of the database, engine results back into it.

`linking` runs the linker over a county (links, reviews, watch signals to the ledger);
`funds` takes a bank transaction file through the importer and the fund-flow engine;
`uploads` takes the blacklist and people files the linker reads.
"""
