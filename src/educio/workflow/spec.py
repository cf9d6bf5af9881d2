"""The shape of a review chain, as a policy pack declares it and the workflow engine runs it.

Shared by ``policies`` (which validates pack files into these models) and
``workflow`` (which resolves each step to an organisation and a role and runs
the steps in order). A chain is data: a new jurisdiction's chain needs no code.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class ActingLevel(StrEnum):
    """Where a step is decided, relative to the submitting unit."""

    SELF = "self"  # the submitting unit itself (e.g. the school's own opinion)
    PARENT = "parent"  # the unit directly above
    COUNTY_BUREAU = "county_bureau"  # nearest ancestor bureau of county level
    CITY_BUREAU = "city_bureau"  # nearest ancestor bureau of city level
    PROVINCE_BUREAU = "province_bureau"
    UNIVERSITY = "university"  # nearest university at or above the unit (its bodies decide there)
    ROOT = "root"  # the top of the unit's tree (the jurisdiction that adopted the pack)


class Opinion(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"


class StepActor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    level: ActingLevel
    role: str = Field(description="built-in role code that acts, e.g. bureau_reviewer")
    body: str | None = Field(default=None, description="named body deciding at that level, e.g. 校长办公会")


class StepSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    actor: StepActor
    opinion: Opinion = Opinion.REQUIRED
    seal: bool = False
    deadline_days: int | None = Field(default=None, ge=1, le=365)
    article: str | None = None
    skip_if_missing: bool = Field(
        default=False,
        description="no such level above the unit (a city-direct school has no county bureau): the step is left out",
    )


class ChainSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    article: str | None = None
    steps: tuple[StepSpec, ...] = Field(min_length=1)
