"""Parley's configuration: environment variables and the optional PARLEY_CONFIG file, as one model.

settings = Settings.from_env()   # os.environ, or a mapping of your own
settings.require_valid()         # ConfigError listing every problem, each naming its variable or key
"""

from bot.app.settings.accounts import RedditSettings, XSettings
from bot.app.settings.errors import ConfigError, FileProblems, masked_url
from bot.app.settings.model import Settings, default_data_dir

__all__ = [
    "ConfigError",
    "FileProblems",
    "RedditSettings",
    "Settings",
    "XSettings",
    "default_data_dir",
    "masked_url",
]
