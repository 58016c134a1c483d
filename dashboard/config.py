"""Settings from the environment, with defaults that run out of the box."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATA = REPO_ROOT / "data"


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    debug: bool
    reload_interval: float
    title: str = "Police and Crime Plan: performance dashboard"

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            data_dir=Path(os.environ.get("PCP_DATA_DIR") or BUNDLED_DATA).resolve(),
            # Dev tools only when explicitly asked for; never in the shipped start command.
            debug=_flag("PCP_DEBUG"),
            reload_interval=float(os.environ.get("PCP_RELOAD_SECONDS", "2")),
        )


def data_dir() -> Path:
    return Settings.from_env().data_dir
