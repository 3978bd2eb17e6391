"""What every network's account model has: a name, `env:NAME` secrets, and what its connector needs.

The same models hold the account read from the environment (X_*, REDDIT_*...) and the accounts of
the PARLEY_CONFIG file; validated from the file (`context={"environ": ...}`), `env:NAME` values are
read from variable NAME and each account must be usable on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, ValidationInfo, model_validator

from bot.app.settings.errors import problem, shown


def _environ(info: ValidationInfo) -> Mapping[str, str] | None:
    """The environment when validating the configuration file; None for the X_* / REDDIT_* account."""
    return (info.context or {}).get("environ")


def http_url(value: str) -> str:
    """An API base URL, without its trailing slash."""
    if not value.startswith(("http://", "https://")):
        problem(f"={shown(value)} must be an http(s) URL.")
    return value.rstrip("/")


class Account(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str  # how routes and logs refer to the account; the network's name for the environment's
    network: str  # a Network value: the discriminator of the file's `[[accounts]]` tables

    # The environment variables of the one account configured without a file: variable -> field.
    VARIABLES: ClassVar[dict[str, str]] = {}
    COMMA_SEPARATED: ClassVar[frozenset[str]] = frozenset()  # variables holding lists

    @property
    def configured(self) -> bool:
        """Enough is set to read the network (the environment's account is optional)."""
        return False

    @property
    def base_url(self) -> str:
        """Where the network's API is reached, for the doctor's messages."""
        return ""

    @property
    def quota(self) -> tuple[str, int] | None:
        """The daily API quota the account spends: its name (shared by the accounts of one project)
        and its units a day; None for networks without one."""
        return None

    def connector_options(self) -> dict[str, Any]:
        """The keyword arguments of the network's connector (`connectors.CONNECTORS`)."""
        raise NotImplementedError

    def environment_problems(self) -> list[str]:
        """What is missing from the environment's account, named by variable."""
        return []

    @model_validator(mode="before")
    @classmethod
    def _read_secrets(cls, table: Any, info: ValidationInfo) -> Any:
        """In the file, `key = "env:NAME"` is the value of environment variable NAME."""
        environ = _environ(info)
        if environ is None or not isinstance(table, dict):
            return table
        secrets = {
            k: v.removeprefix("env:") for k, v in table.items() if isinstance(v, str) and v.startswith("env:")
        }
        if unset := [key for key, name in secrets.items() if not environ.get(name)]:
            problem(
                *(
                    f".{key} refers to the environment variable {secrets[key]}, which is not set."
                    for key in unset
                )
            )
        return table | {key: environ[name] for key, name in secrets.items()}

    def _file_problems(self) -> list[str]:
        """What makes this account unusable when declared in the file (the environment's may be unset)."""
        named = "name" in self.model_fields_set and self.name
        return [] if named else [".name is required (a short name such as 'acme-x')."]

    @model_validator(mode="after")
    def _usable(self, info: ValidationInfo) -> Self:
        if _environ(info) is not None and (problems := self._file_problems()):
            problem(*problems)
        return self
