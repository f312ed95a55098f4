"""Pieces of the Wagtail admin every app's screens use."""

from wagtail.admin.widgets import Button


def post_button(label, url: str, icon: str, priority: int) -> Button:
    """A listing button that POSTs (with the CSRF token) through Wagtail's w-action controller:
    for actions that change something, which a link must never do."""
    return Button(
        label,
        url,
        icon_name=icon,
        priority=priority,
        attrs={
            "data-controller": "w-action",
            "data-action": "w-action#post",
            "data-w-action-url-value": url,
        },
    )
