"""Reading the environment: which variable fills which setting, and problems named by variable."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, EnvSettingsSource

from bot.app.settings.accounts import ACCOUNT_MODELS
from bot.app.settings.errors import shown

# The one account per network configured without a PARLEY_CONFIG file: network -> variable -> field.
ACCOUNT_VARIABLES = {network: model.VARIABLES for network, model in ACCOUNT_MODELS.items()}
COMMA_SEPARATED = frozenset().union(*(model.COMMA_SEPARATED for model in ACCOUNT_MODELS.values()))


class Environment(EnvSettingsSource):
    """The variables of a given mapping (os.environ, or a test's own); a blank value counts as unset."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self.environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {name: value.strip() for name, value in self.environ.items() if value.strip()}

    def prepare_field_value(
        self, field_name: str, field: FieldInfo, value: Any, value_is_complex: bool
    ) -> Any:
        return value  # no Parley variable is JSON: lists are comma-separated, parsed by the model

    def __call__(self) -> dict[str, Any]:
        aliases = {field.alias for field in self.settings_cls.model_fields.values() if field.alias}
        values = {name: value for name, value in super().__call__().items() if name in aliases}
        for account, variables in ACCOUNT_VARIABLES.items():
            values[account] = {
                key: self._account_value(name) for name, key in variables.items() if name in self.env_vars
            }
        return values

    def _account_value(self, name: str) -> str | list[str]:
        value = self.env_vars[name] or ""
        if name in COMMA_SEPARATED:
            return [part.strip() for part in value.split(",") if part.strip()]
        return value


def variable(loc: tuple[str | int, ...]) -> str:
    """The environment variable behind an error's location: ("x", "api_url") -> X_API_URL."""
    if len(loc) > 1 and loc[0] in ACCOUNT_VARIABLES:
        return next(name for name, key in ACCOUNT_VARIABLES[str(loc[0])].items() if key == loc[1])
    return str(loc[0])


def said(details: ErrorDetails) -> str:
    """A pydantic error about a variable, as a sentence naming it."""
    name, value = variable(details["loc"]), details["input"]
    kind = details["type"]
    if kind == "int_parsing":
        return f"{name}={shown(value)} is not a whole number."
    if kind == "float_parsing":
        return f"{name}={shown(value)} is not a number."
    if kind == "greater_than":
        return f"{name} must be positive, got {value}."
    if kind == "greater_than_equal":
        return f"{name} must not be negative, got {value}."
    if kind == "value_error":
        return f"{name}={shown(value)}: {details.get('ctx', {}).get('error')}"
    return f"{name}={shown(value)}: {details['msg'][:1].lower()}{details['msg'][1:]}."
