"""What every model of the pack shares: strictness, and the format's name and version."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

FORMAT = "lom-transfer-pack"
SCHEMA_VERSION = 1
MARKING = "OFFICIAL-SENSITIVE"


class Strict(BaseModel):
    """Unknown fields are refused: a field this version does not know means another version."""

    model_config = ConfigDict(extra="forbid", frozen=True)
