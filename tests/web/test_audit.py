"""The audit log only grows: no role, no admin page and no query can change or delete an entry."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from fundwatch.web.models import AuditImmutable, AuditLog


def test_entry_cannot_be_changed_or_deleted_through_the_model(world: Any) -> None:
    entry = AuditLog.objects.first()
    assert entry is not None
    entry.actor = "改过"
    with pytest.raises(AuditImmutable):
        entry.save()
    with pytest.raises(AuditImmutable):
        entry.delete()
    with pytest.raises(AuditImmutable):
        AuditLog.objects.filter(pk=entry.pk).update(actor="改过")
    with pytest.raises(AuditImmutable):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get(pk=entry.pk).actor == "匿名"


def test_database_refuses_an_update_behind_the_models_back(world: Any) -> None:
    entry = AuditLog.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE web_auditlog SET actor = %s WHERE id = %s", ["改过", entry.pk])
    assert AuditLog.objects.get(pk=entry.pk).actor == entry.actor


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row DELETE trigger on PostgreSQL only")
def test_postgresql_refuses_a_delete_behind_the_models_back(world: Any) -> None:
    entry = AuditLog.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM web_auditlog WHERE id = %s", [entry.pk])
    assert AuditLog.objects.filter(pk=entry.pk).exists()


def test_admin_site_offers_no_change_or_delete(world: Any, personas: dict[str, Any], as_user: Any) -> None:
    client = as_user(personas["admin"])
    entry = AuditLog.objects.first()
    assert client.get(reverse("admin:web_auditlog_changelist")).status_code == 200
    assert client.get(reverse("admin:web_auditlog_delete", args=[entry.pk])).status_code == 403
    response = client.post(reverse("admin:web_auditlog_change", args=[entry.pk]), {"actor": "改过"})
    assert response.status_code == 403
    assert AuditLog.objects.get(pk=entry.pk).actor == entry.actor


def test_each_view_of_a_reporters_identity_is_logged(world: Any, personas: dict[str, Any], as_user: Any) -> None:
    # given the office and a department that may see the report
    office = as_user(personas["office"])
    url = reverse("signal_reveal", kwargs={"pk": world.signal.pk})
    # when the office looks at the reporter twice
    first = office.post(url)
    office.post(url)
    # then it sees the identity and the log has both showings
    assert "玉香" in first.content.decode() and "13908810000" in first.content.decode()
    shown = AuditLog.objects.filter(action="view_identity", object_id=str(world.signal.pk))
    assert [e.actor for e in shown] == ["office", "office"]


def test_reporter_is_masked_for_everyone_else(world: Any, personas: dict[str, Any], as_user: Any) -> None:
    url = reverse("signal_detail", kwargs={"pk": world.signal.pk})
    for persona in ("department_same_sector", "township_same_place", "auditor", "office"):
        page = as_user(personas[persona]).get(url).content.decode()
        assert "玉香" not in page and "13908810000" not in page and "532822199001010023" not in page
        assert "玉*" in page and "139****0000" in page
    assert not AuditLog.objects.filter(action="view_identity").exists()


def test_id_number_view_is_logged_and_masked_before(world: Any, personas: dict[str, Any], as_user: Any) -> None:
    client = as_user(personas["office"])
    detail = client.get(reverse("lead_detail", kwargs={"pk": world.lead.pk})).content.decode()
    assert "532822198001010010" not in detail and "5328**********0010" in detail
    shown = client.post(reverse("lead_reveal_id", kwargs={"pk": world.lead.pk})).content.decode()
    assert "532822198001010010" in shown
    assert AuditLog.objects.filter(action="view_id_number", actor="office").count() == 1


def test_every_edit_is_logged_with_before_and_after(world: Any, personas: dict[str, Any]) -> None:
    world.lead.write(personas["office"], {"participants": 1300, "outcome": "停业整改"}, world.lead.version)
    entry = AuditLog.objects.filter(action="edit").get()
    assert entry.before == {"participants": 1200, "outcome": ""}
    assert entry.after == {"participants": 1300, "outcome": "停业整改"}
    assert entry.actor == "office" and entry.region_id == world.town.pk
