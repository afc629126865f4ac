"""Who may call what: small named rules, mapped to actions in one declaration per view.

A rule is a function `rule(user, obj=None) -> bool`. Called without `obj` it answers "may this
user try this at all?" (checked before the view runs); with `obj`, "may they do it to this
object?" (checked when the view fetches the object). The rules about the community's
objects live in `skillmatrix.permissions` (e.g. `can_review`), so that the HTML views and
the API decide alike; the generic ones are here.

    permission_classes = [allow(read=anyone, create=is_member, destroy=is_owner)]

Keys are looked up in this order: the viewset action (`list`, `retrieve`, `create`,
`partial_update`, `destroy`, or an `@action`'s name), the HTTP method in lower case (`get`,
`post`, …), then `read` (GET, HEAD, OPTIONS) or `write` (everything else). A request that
matches no key is refused: forgetting a rule closes the endpoint rather than opening it.
Anonymous callers who are refused get 401, signed-in ones 403.

The project's named rules (`skillmatrix.permissions`) take either the user alone
(`can_review(user)`) or the user and an object (`can_edit_comment(user, comment)`); adapt
them with `user_rule` and `object_rule` rather than writing new ones:

    allow(read=anyone, approve=user_rule(can_review),
          partial_update=object_rule(can_edit_comment), destroy=object_rule(can_delete_comment))
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

Rule = Callable[..., bool]


def anyone(user, obj=None) -> bool:
    """Everybody, signed in or not."""
    return True


def is_member(user, obj=None) -> bool:
    """A signed-in, active account."""
    return bool(user and user.is_authenticated and user.is_active)


def is_staff(user, obj=None) -> bool:
    """Site staff (Django's `is_staff`)."""
    return is_member(user) and user.is_staff


def is_owner(user, obj=None) -> bool:
    """A member acting on an object whose `user` (or `author`) is themselves."""
    if not is_member(user):
        return False
    if obj is None:
        return True
    owner_id = getattr(obj, "user_id", None) or getattr(obj, "author_id", None)
    return owner_id == user.pk


def user_rule(check: Callable[[object], bool]) -> Rule:
    """A named rule about the user alone, e.g. `can_review(user)`: the same answer before the
    view runs and for whatever object it fetches."""

    def rule(user, obj=None) -> bool:
        return bool(check(user))

    rule.__name__ = check.__name__
    return rule


def object_rule(check: Callable[[object, object], bool], *, before: Rule = is_member) -> Rule:
    """A named rule about a user and an object, e.g. `can_edit_comment(user, comment)`.

    Before the view runs, `before(user)` says whether the caller may try at all (by default:
    members, so that anonymous callers get 401); `check(user, obj)` decides once the view has
    fetched the object (403 when it does not hold).
    """

    def rule(user, obj=None) -> bool:
        return bool(before(user)) if obj is None else bool(check(user, obj))

    rule.__name__ = check.__name__
    return rule


class RulePermission(BasePermission):
    """Grants a request when the rule its view declares for it holds; see the module doc."""

    rules: dict[str, Rule] = {}
    message = _("You may not do this.")

    @classmethod
    def lookup(cls, *, action: str | None, method: str) -> Rule | None:
        kind = "read" if method.upper() in SAFE_METHODS else "write"
        for key in (action, method.lower(), kind):
            if key and key in cls.rules:
                return cls.rules[key]
        return None

    def rule_for(self, request, view) -> Rule | None:
        return self.lookup(action=getattr(view, "action", None), method=request.method)

    def has_permission(self, request, view) -> bool:
        if request.method not in view.allowed_methods:
            return True  # the view answers 405, whoever asks
        rule = self.rule_for(request, view)
        return rule is not None and bool(rule(request.user))

    def has_object_permission(self, request, view, obj) -> bool:
        rule = self.rule_for(request, view)
        return rule is not None and bool(rule(request.user, obj))


def allow(**rules: Rule) -> type[RulePermission]:
    """A permission class granting each action (or method, or `read`/`write`) by its rule."""
    names = ", ".join(f"{key}={getattr(rule, '__name__', rule)}" for key, rule in rules.items())
    return type(f"Allow({names})", (RulePermission,), {"rules": dict(rules)})


#: Read-only endpoints open to everybody.
ReadOnly = allow(read=anyone)
