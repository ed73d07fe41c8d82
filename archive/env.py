"""Read settings from the environment, failing loudly on values that make no sense.

A typo in a deployment variable should stop the process at start-up with a message that names the
variable, not surface later as odd behaviour.
"""

import os
import re
import stat

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} is below its minimum, {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, *, required: bool, fallback: str = "") -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker and Kubernetes secrets)."""
    value = os.environ.get(name, "")
    path = os.environ.get(f"{name}_FILE", "")
    if path:
        try:
            with open(path, encoding="utf-8") as handle:
                # Checked on the open file, so the mode judged is the mode of the file read.
                mode = stat.S_IMODE(os.fstat(handle.fileno()).st_mode)
                value = handle.read().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {exc.strerror}.") from None
        if mode & 0o077:
            raise ImproperlyConfigured(
                f"{name}_FILE={path!r} is open to group or others (mode {mode:04o}): "
                f"make it readable by its owner only (chmod 600)."
            )
    if not value:
        if required:
            raise ImproperlyConfigured(f"{name} must be set when DJANGO_DEBUG is off.")
        return fallback
    return value


_SITE_URL = re.compile(r"https?://[^/\s?#]+(/[^\s?#]*)?")


def env_site_url(name: str) -> str:
    """A public site address such as https://diwan.example.org (no trailing slash), or "" when unset."""
    value = os.environ.get(name, "").strip().rstrip("/")
    if value and not _SITE_URL.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a site address: use e.g. https://diwan.example.org"
        )
    return value


def available_cores() -> int:
    """The processor cores this process may run on (its affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
