"""The platform's report pages and the records only reports need: campaigns and what units sent,
areas declared free of illegal fundraising, and the published blacklist."""
