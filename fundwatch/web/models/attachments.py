"""Files of the archive (建档资料) and of reports: stored with size and SHA-256, type-checked, size-limited."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Q
from PIL import Image, UnidentifiedImageError


class Kind(models.TextChoices):
    """The archive items of 004 (二(二)), plus the photos of inspection and of reports."""

    LICENCE = "licence", "营业执照复印件"
    STOREFRONT = "storefront", "经营场所门脸照片"
    PROMOTION = "promotion", "宣传资料"
    EVIDENCE = "evidence", "证据材料"
    RESPONSIBLE_ID = "responsible_id", "负责人身份信息"
    INSPECTION = "inspection", "现场核查照片"
    RECTIFICATION = "rectification", "责令整改通知书"
    REPORT = "report", "举报/上报材料"


IMAGE_ONLY = {Kind.STOREFRONT, Kind.INSPECTION}
IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


def _sniff(head: bytes, upload: UploadedFile) -> tuple[str, str] | None:
    if head.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if head.startswith(b"PK\x03\x04") and upload.name and upload.name.lower().endswith((".docx", ".xlsx")):
        ext = upload.name.lower().rsplit(".", 1)[1]
        return "application/vnd.openxmlformats-officedocument", ext
    return None


def inspect_upload(upload: UploadedFile, kind: str) -> tuple[str, str, int, str]:
    """Content type, extension, size and SHA-256 of an accepted upload; ValidationError with the reason otherwise."""
    limit = settings.FUNDWATCH_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size is None or upload.size == 0:
        raise ValidationError("文件为空")
    if upload.size > limit:
        raise ValidationError(f"文件过大：{upload.size / 1048576:.1f} MB，上限 {settings.FUNDWATCH_MAX_UPLOAD_MB} MB")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    found = _image_type(upload) or (None if kind in IMAGE_ONLY else _sniff(head, upload))
    if found is None:
        wanted = "JPEG/PNG/WEBP 图片" if kind in IMAGE_ONLY else "JPEG/PNG/WEBP 图片、PDF、DOCX 或 XLSX"
        raise ValidationError(f"文件类型不符：应为 {wanted}")
    return found[0], found[1], upload.size, digest.hexdigest()


def _image_type(upload: UploadedFile) -> tuple[str, str] | None:
    try:
        with Image.open(io.BytesIO(upload.read())) as image:
            image.verify()
            found = IMAGE_FORMATS.get(image.format or "")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        found = None
    upload.seek(0)
    return found


def _upload_to(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}.{filename.rsplit('.', 1)[-1]}"


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def visible_to(self, user: Any) -> AttachmentQuerySet:
        from fundwatch.web.models.leads import Lead
        from fundwatch.web.models.subjects import Signal

        return self.filter(
            Q(lead__in=Lead.objects.visible_to(user)) | Q(signal__in=Signal.objects.visible_to(user))
        )


class Attachment(models.Model):
    lead = models.ForeignKey("web.Lead", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    signal = models.ForeignKey(
        "web.Signal", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    file = models.FileField("文件", upload_to=_upload_to)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=80)
    size = models.BigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    note = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        ordering = ("kind", "-uploaded_at")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.original_name}"

    @classmethod
    def store(cls, upload: UploadedFile, kind: str, user: Any, **owner: Any) -> Attachment:
        """Check and keep one upload; `owner` is lead=… or signal=…."""
        content_type, ext, size, sha256 = inspect_upload(upload, kind)
        attachment = cls(
            kind=kind, original_name=(upload.name or f"file.{ext}")[:200], content_type=content_type,
            size=size, sha256=sha256, uploaded_by=user if user is not None and user.is_authenticated else None,
            **owner,
        )
        attachment.file.save(f"upload.{ext}", upload, save=False)
        attachment.save()
        return attachment
