"""Chinese word segmentation with jieba, set up once per process.

jieba builds a prefix dictionary on first use and caches it on disk; the cache goes to
``settings.JIEBA_CACHE_DIR`` (under var/), never the system temp folder, so it survives restarts
and is not shared with other programs.
"""

import threading

from django.conf import settings

_lock = threading.Lock()
_ready = False


def ensure_jieba() -> None:
    """Initialise jieba's default tokenizer with the project's cache directory, once."""
    global _ready
    if _ready:
        return
    with _lock:
        if _ready:
            return
        import jieba

        cache_dir = settings.JIEBA_CACHE_DIR
        cache_dir.mkdir(parents=True, exist_ok=True)
        jieba.setLogLevel(40)  # its progress lines are noise in logs
        jieba.dt.tmp_dir = str(cache_dir)
        jieba.dt.cache_file = "jieba.cache"
        jieba.initialize()
        _ready = True
