"""The region tree (GB/T 2260 codes) and the units that work in it."""

from __future__ import annotations

from django.db import models

# Significant digits of a code at each level: a region's subtree is every code starting with its prefix.
PREFIX_LEN = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市（州）"
        COUNTY = "county", "县（市、区）"
        TOWNSHIP = "township", "乡镇"
        VILLAGE = "village", "村（社区）"

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """The code digits every region below this one starts with."""
        return self.code[: PREFIX_LEN[self.level]]

    def contains(self, other: Region | None) -> bool:
        return other is not None and other.code.startswith(self.prefix)

    def county(self) -> Region | None:
        node: Region | None = self
        while node is not None and node.level not in {"county", "city", "province"}:
            node = node.parent
        return node if node is not None and node.level == "county" else None


class Unit(models.Model):
    """The office, a member department or a township government."""

    class Kind(models.TextChoices):
        OFFICE = "office", "打非办"
        DEPARTMENT = "department", "成员单位"
        TOWNSHIP = "township", "乡镇（农场）"

    name = models.CharField("单位名称", max_length=64)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name="所在区划")
    # Key sectors this department leads on (职责分工), copied from the profile's sector table at setup.
    sectors = models.JSONField("牵头行业", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ("kind", "name")
        constraints = (models.UniqueConstraint(fields=("region", "name"), name="unit_unique_name_in_region"),)

    def __str__(self) -> str:
        return self.name
