from __future__ import annotations

from django.http import FileResponse, HttpRequest

from fundwatch.web.access import get_attachment_for_user, requires
from fundwatch.web.models import Perm


@requires(Perm.VIEW_SIGNALS)
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Attachments are never served from a public path: only through the same scope as their lead or signal."""
    attachment = get_attachment_for_user(request, pk)
    inline = attachment.content_type.startswith("image/") or attachment.content_type == "application/pdf"
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type,
                        as_attachment=not inline, filename=attachment.original_name)
