"""API permissions: the model permission for the request's method, then the object's scope."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

_METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


def _model(view):
    """The view's model: from its `queryset` attribute when it has one (building the scoped
    queryset just to read its model costs a millisecond or more on every request)."""
    queryset = getattr(view, "queryset", None)
    return (queryset if queryset is not None else view.get_queryset()).model


class ScopedModelPermissions(BasePermission):
    """The user needs one of the model permissions for the method's action (a view may widen
    them with `extra_permissions`), and for a change or delete the object must be in the
    user's scope for that action (`Model.objects.visible_to(user, action)`). Objects outside
    the user's *view* scope never reach this check: the view's queryset leaves them out, so
    they answer 404."""

    def _action(self, request, view) -> str | None:
        custom = getattr(view, "permission_action", {}).get(getattr(view, "action", None))
        return custom or _METHOD_ACTIONS.get(request.method)

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        action = self._action(request, view)
        if action is None:  # TRACE and the like: the view answers 405 Method Not Allowed
            return True
        model = _model(view)
        perms = [f"{model._meta.app_label}.{action}_{model._meta.model_name}"]
        perms += getattr(view, "extra_permissions", {}).get(action, [])
        return user.is_superuser or any(user.has_perm(p) for p in perms)

    def has_object_permission(self, request, view, obj) -> bool:
        action = self._action(request, view)
        if action not in ("change", "delete"):
            return True
        return type(obj).objects.visible_to(request.user, action).filter(pk=obj.pk).exists()
