from django.conf import settings


def site(request):
    """The language switcher's links: the current path with `?lang=` set for each language."""
    query = request.GET.copy()
    query.pop("lang", None)
    query.pop("page", None)
    switch = []
    for code, name in settings.LANGUAGES:
        query["lang"] = code
        switch.append({"code": code, "name": name, "url": f"{request.path}?{query.urlencode()}"})
    return {"language_switch": switch}
