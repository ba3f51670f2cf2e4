"""Who may see and change what: the one object check every view goes through.

Lists use the models' `visible_to(user)`; a single object is loaded with
`get_for_user`, which answers 404 outside the user's scope (so nothing about
another county's objects leaks, not even that they exist) and PermissionDenied
when the user may see the object but not change it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from fundwatch.web.models import Attachment, Lead, Link, Perm, Signal, Subject

M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponse]

# What writing means for each kind of object: the permission a user's role must carry.
WRITE_PERM: dict[type[Model], str] = {Lead: Perm.EDIT_LEADS, Signal: Perm.TRIAGE_SIGNALS, Link: Perm.REVIEW_MATCHES}


def get_for_user(request: HttpRequest, model: type[M], pk: Any, write: bool = False) -> M:
    """The object `pk` of `model` if the user may see it (else 404); with write=True, PermissionDenied
    unless the user may also change it."""
    obj: M = get_object_or_404(model.objects.visible_to(request.user), pk=pk)  # type: ignore[attr-defined]
    if write and not request.user.can(WRITE_PERM.get(model, "")):  # type: ignore[union-attr]
        raise PermissionDenied("您的角色只能查看，不能办理")
    return obj


def get_lead_for_user(request: HttpRequest, pk: Any, write: bool = False) -> Lead:
    return get_for_user(request, Lead, pk, write)


def get_subject_for_user(request: HttpRequest, pk: Any) -> Subject:
    return get_for_user(request, Subject, pk)


def get_signal_for_user(request: HttpRequest, pk: Any, write: bool = False) -> Signal:
    return get_for_user(request, Signal, pk, write)


def get_attachment_for_user(request: HttpRequest, pk: Any) -> Attachment:
    return get_for_user(request, Attachment, pk)


def requires(perm: str) -> Callable[[View], View]:
    """The view needs a signed-in user whose role carries `perm`; anonymous users go to the login page."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.can(perm):  # type: ignore[union-attr]
                raise PermissionDenied("您的角色无权使用此功能")
            return view(request, *args, **kwargs)

        wrapped.required_perm = perm  # type: ignore[attr-defined]
        return wrapped

    return decorate


def public(view: View) -> View:
    """Marks a view open to everyone (the public report form); the access-matrix test reads the mark."""
    view.is_public = True  # type: ignore[attr-defined]
    return view
