from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None removes one). A sort key
    that is already active flips to descending."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        elif key == "ordering" and query.get("ordering") == value:
            query[key] = f"-{value}"
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def display_value(value) -> str:
    return "—" if value in (None, "") else str(value)
