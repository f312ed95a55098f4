"""Template context every page needs."""

from django.conf import settings


def site(request) -> dict:
    """The deployment's site name, used wherever the community profile has no name yet."""
    return {"SITE_NAME": settings.WAGTAIL_SITE_NAME}
