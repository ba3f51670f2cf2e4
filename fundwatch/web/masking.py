"""Masking of personal identifiers for everyone but the office (举报人、证件号)."""

from __future__ import annotations


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else "—"


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else ("****" if phone else "—")


def mask_id(id_number: str) -> str:
    if len(id_number) < 8:
        return "****" if id_number else "—"
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]
