"""Where the package's own files are (constants only)."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
SCRIPTS = PACKAGE.parent
REPO = SCRIPTS.parent
GUEST = PACKAGE / "guest"  # run by the interpreter under test, never imported here
REQUIREMENTS = PACKAGE / "requirements"
WORKLOAD = PACKAGE / "workload"
ARM_ROOTFS = PACKAGE / "arm-rootfs.sh"


def default_cache() -> Path:
    """The e2e cache: $PUREWHEEL_E2E_CACHE, else ~/.cache/purewheel-e2e."""
    import os

    return Path(os.environ.get("PUREWHEEL_E2E_CACHE") or Path.home() / ".cache" / "purewheel-e2e")
