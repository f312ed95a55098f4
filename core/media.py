"""The uploads the site serves itself under /media/ (``SERVE_MEDIA``): images and their
renditions only.

Documents are never served from here: they go through Wagtail's document view
(/documents/<id>/<name>), which applies the restrictions of their collection and sends them as
attachments. An image's original and renditions carry no such restriction in this site
(images are shown on public pages), so they may be served straight from the disk.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

# The folders Wagtail's image model stores originals and renditions in.
IMAGE_FOLDERS = frozenset({"original_images", "images"})


def serve_image(request, path: str):
    """An image or a rendition from MEDIA_ROOT; anything else (documents) is not found."""
    parts = PurePosixPath(path).parts
    if len(parts) < 2 or parts[0] not in IMAGE_FOLDERS or ".." in parts:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
