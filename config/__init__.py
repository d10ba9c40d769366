"""Settings from the environment (and an optional .env), validated once at start-up.

Every problem is reported with the name of the variable, all at once, so an operator
fixes the configuration in one go. Secrets are held in `Secret` so they never print.
Each concern reads its own variables in its module here (`bot`, `wechat`, `storage`,
`organizations`, `mail`, `crm`, `pins`, the helpers they share in `env`); `settings` puts them
together.
"""
from config.env import Secret
from config.settings import Settings, load_settings
from core.config_error import ConfigError

__all__ = ["ConfigError", "Secret", "Settings", "load_settings"]
