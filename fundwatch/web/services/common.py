"""What the services share: the acting user's county, the problem they report, and frame building."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import polars as pl
from django.core.files.uploadedfile import UploadedFile
from stdnum.cn import ric

from fundwatch.web.masking import mask_id
from fundwatch.web.models import Region, Subject, Unit, User

T = TypeVar("T")
ID_LIKE = re.compile(r"\d{17}[\dXx]|\d{15}")


class ServiceProblem(ValueError):
    """A file or a request the service cannot take; the message is Chinese and names the problem, `field` the
    form field it belongs to when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def county_of(user: User) -> Region:
    """The county whose data the user acts on: an office works on its county."""
    if user.region is None:
        raise ServiceProblem(f"用户 {user} 没有辖区，不能导入或比对")
    county = user.region.county()
    if county is None:
        raise ServiceProblem(f"用户 {user} 的辖区（{user.region}）不在县级或以下，不能导入或比对")
    return county


def blank_to_none(value: Any) -> Any:
    return None if value == "" else value


def frame(rows: Iterable[Sequence[Any]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Rows from the database as a typed frame, empty strings as nulls (the engines read null as unknown)."""
    data = [tuple(blank_to_none(v) for v in row) for row in rows]
    return pl.DataFrame(data, schema=schema, orient="row")


@contextmanager
def spooled(upload: UploadedFile) -> Iterator[Path]:
    """An upload as a file on disk under its own name (the readers tell CSV from XLSX by the suffix)."""
    name = Path(upload.name or "upload.csv").name
    with tempfile.TemporaryDirectory(prefix="fundwatch-upload-") as scratch:
        path = Path(scratch) / name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        yield path


def read_with(reader: Callable[[Path], T], path: Path, name: str | None = None, field: str | None = None) -> T:
    """`reader(path)`, with an unreadable file reported as a ServiceProblem naming the file as the user knows it."""
    from fundwatch.ingest.readers import IngestError

    try:
        return reader(path)
    except IngestError as err:
        message = str(err).replace(str(path), name or path.name)
        raise ServiceProblem(message, field) from err
    except OSError as err:
        raise ServiceProblem(f"无法读取文件 {name or path.name}：{err.strerror or err}", field) from err


def responsible_unit(subject: Subject) -> Unit | None:
    """Who a lead the engines open is assigned to: the department leading on the subject's sector, else the
    county's office (what no member department leads on stays with the office)."""
    if subject.department is not None:
        return subject.department
    county = subject.region.county() or subject.region
    return Unit.objects.filter(region=county, kind=Unit.Kind.OFFICE).first()


def shown(value: str) -> str:
    """A value from a file as it may be shown in a message or a problem row: ID-card numbers masked."""
    return ID_LIKE.sub(lambda m: mask_id(m.group()) if ric.is_valid(m.group()) else m.group(), value)
