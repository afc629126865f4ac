"""What every SkillMatrix API endpoint shares: one style for the whole of `/api/v1/`.

An app's endpoints live in `<app>/api/` (`serializers.py`, `views.py`, `urls.py` with its own
router); `skillmatrix/api/urls.py` mounts each app's `api.urls` under `/api/v1/` (one line per
app, above the catch-all). A view then only declares what is special about it:

    from skillmatrix import permissions
    from skillmatrix.api import permissions as rules
    from skillmatrix.api.schema import error_responses

    class CommentViewSet(viewsets.ModelViewSet):
        permission_classes = [rules.allow(
            read=rules.anyone,
            create=rules.user_rule(permissions.can_comment),
            partial_update=rules.object_rule(permissions.can_edit_comment),
            destroy=rules.object_rule(permissions.can_delete_comment),
        )]
        throttle_scope = "comments"     # optional: a named rate in DEFAULT_THROTTLE_RATES

        def perform_create(self, serializer):
            # the author is always the request's user, never a payload field
            serializer.instance = comment_create(author=self.request.user,
                                                 **serializer.validated_data)

What is settled here, once:

- **Request fields** (`serializers.py`): `StrictCharField`, `StrictIntegerField`,
  `StrictBooleanField`, … refuse values of the wrong JSON type instead of converting them.
- **Errors** (`exceptions.py`): every 4xx is `{"status", "code", "detail", "errors": [{"field",
  "code", "message"}]}`. Raise DRF exceptions with a dict detail to name the field
  (`NotFound({"slug": [...]})`), or let services raise Django's `ValidationError` /
  `PermissionDenied`: they become 400 / 403 in that shape. A conflict is `Conflict(detail,
  conflict={"yours": ..., "theirs": ...})`, a 409 carrying both sides.
- **Permissions** (`permissions.py`): rules are small named functions `rule(user, obj=None)`;
  `allow(...)` maps actions to rules; a missing rule denies. The project's rules
  (`skillmatrix.permissions`) are adapted with `user_rule` / `object_rule`. Objects a user
  may not see should not be in the view's queryset at all (a 404, revealing nothing).
- **Authentication** (`authentication.py`): `Authorization: Token <key>` (keys made on the page
  `/accounts/tokens/`) or the browser session, whose unsafe requests need `X-CSRFToken`.
- **Throttling** (`throttling.py`): reads by anonymous callers (`anon`) and by users (`user`),
  and every write (`write`, stricter) are limited; a view may add a named `throttle_scope`.
- **Pagination** (`pagination.py`): `count`, `next`, `previous`, `results`; `page` and
  `page_size` are checked (400 when malformed, 404 past the last page).
- **Conditional GET** (`conditional.py`): detail views answer with `ETag` and `Last-Modified`,
  and with 304 when the client's copy is current.
- **Documentation** (`schema.py`): decorate each operation with `extend_schema(...,
  responses={200: ..., **error_responses(404)}, examples=[...])`; `manage.py spectacular
  --validate --fail-on-warn` must stay clean (the test suite checks it).
"""
