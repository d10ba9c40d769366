"""The settings of one process, read and checked once at start-up: each concern's variables are
read by its module of this package; every problem is named, all at once."""
from __future__ import annotations

import dataclasses
import socket
from dataclasses import dataclass, field
from typing import Any, Mapping

from config.bot import bot_settings, teams_admins
from config.crm import CrmSettings, crm_settings
from config.env import Env, Secret, choice, environment, text, whole_number
from config.mail import ArchiveSettings, MailSettings, archive_settings, mail_settings
from config.organizations import check_default_target, deployment_settings, read_default_target, read_directory
from config.media import MediaSettings, media_settings
from config.pins import PinSettings, pin_settings
from config.speech import VoiceSettings, voice_settings
from config.storage import storage_settings
from config.wechat import API_BASE_URL, WeChatAccount, other_account, wechat_settings
from core.config_error import ConfigError
from core.organizations import DEFAULT_ACCOUNT, Directory
from core.conversation_settings import ConversationSettings

APP_ENVS = ("production", "local")


@dataclass(frozen=True)
class Settings:
    app_env: str = "production"
    port: int = 3978
    host: str = "0.0.0.0"
    instance_id: str = ""
    # Bot Framework (names the SDK reads: APP_ID, APP_PASSWORD, APP_TYPE, APP_TENANTID)
    APP_ID: str = ""
    APP_PASSWORD: Secret = Secret("")
    APP_TYPE: str = "SingleTenant"  # Azure no longer creates multi-tenant bots (since 31 July 2025)
    APP_TENANTID: str = ""
    bot_openid_metadata_url: str = ""  # BotOpenIdMetadata: where the channel's signing keys are; "": Microsoft's
    # WeChat Official Account
    wechat_app_id: str = ""
    wechat_app_secret: Secret = Secret("")
    wechat_token: Secret = Secret("")
    wechat_aes_keys: tuple[Secret, ...] = ()  # current first, then the previous one during rotation
    wechat_api_base_url: str = API_BASE_URL
    wechat_account_name: str = "our WeChat Official Account"  # as employees see it (their QR code card)
    wechat_original_id: str = ""  # the default account's original id (gh_…): pushes to another are refused
    # The tenant's administrators of the app (Entra object ids): they enable WeChat for people and
    # sub-organizations; none: everyone who installed the app may use it.
    teams_admins: frozenset[str] = frozenset()
    wechat_qr_base_url: str = "https://mp.weixin.qq.com"
    webhook_max_body_bytes: int = 64 * 1024
    webhook_max_skew_seconds: int = 300
    body_timeout_seconds: float = 10.0  # a request body (Teams' or WeChat's) not all there by then is refused
    # Storage
    storage: str = "sqlite"
    sqlite_path: str = "data/bridge.sqlite3"
    cosmos_endpoint: str = ""
    cosmos_key: Secret = Secret("")
    cosmos_auth: str = "key"  # COSMOS_AUTH: key, or identity (the deployment's Microsoft Entra identity)
    azure_client_id: str = ""  # AZURE_CLIENT_ID: the user-assigned managed identity (Cosmos DB, Blob Storage)
    cosmos_database: str = "wechat-bridge"
    media: MediaSettings = field(default_factory=MediaSettings)  # where media is kept, how links to it are signed
    voice: VoiceSettings = field(default_factory=VoiceSettings)  # voice notes: ffmpeg, speech to text
    # Who gets a new WeChat user until the routing assistant exists
    default_target: str = ""  # "employee:<aad object id>" or "channel:<team channel id>"
    job_lease_seconds: float = 30.0
    archive: ArchiveSettings | None = None  # None: records are kept, not journaled
    mail: MailSettings | None = None  # None: employees are told in Teams only
    crm: CrmSettings = field(default_factory=CrmSettings)
    pins: PinSettings = field(default_factory=PinSettings)
    # APPLICATIONINSIGHTS_CONNECTION_STRING: traces and metrics to Azure Monitor (adapters/telemetry.py); "": none
    telemetry_connection_string: Secret = Secret("")
    log_format: str = "text"  # LOG_FORMAT: text, or json (one JSON object a line: what log stores read)
    run_jobs: bool = True  # WORKER=off: this instance only acknowledges; `python worker.py` instances run the jobs
    worker_poll_seconds: float = 1.0  # how often a worker looks in storage for jobs another instance left
    teams_pacing: bool = True  # TEAMS_PACING=off: Teams calls are not paced under its rate limits (429s retried)
    conversation: ConversationSettings = field(default_factory=ConversationSettings)
    # Organizations, sub-organizations and their employees (ORGANIZATIONS_FILE); open if none
    directory: Directory = field(default_factory=Directory.open)
    organizations_file: str = ""  # where `directory` came from: its employee files are watched
    organizations_data: Mapping[str, Any] = field(default_factory=dict)  # the file as read at start-up
    directory_reload_seconds: float = 30.0  # how often the employee directory files are checked for changes
    other_accounts: tuple[WeChatAccount, ...] = ()  # Official Accounts of sub-organizations
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def local(self) -> bool:
        return self.app_env == "local"

    @property
    def bot_auth_enabled(self) -> bool:
        return bool(self.APP_ID)

    def secrets(self) -> list[str]:
        """Every secret the settings hold (each Secret, at any depth): what logs must never show."""
        found: list[str] = []
        stack: list[Any] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, Secret):
                found.append(str(item))
            elif dataclasses.is_dataclass(item) and not isinstance(item, type):
                stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
            elif isinstance(item, (tuple, list)):
                stack.extend(item)
        return [s for s in found if s]

    @property
    def wechat_safe_mode(self) -> bool:
        return bool(self.wechat_aes_keys)

    @property
    def wechat_accounts(self) -> tuple[WeChatAccount, ...]:
        """Every Official Account served, the default (WECHAT_* variables) first."""
        default = WeChatAccount(DEFAULT_ACCOUNT, self.wechat_account_name, self.wechat_app_id, self.wechat_app_secret,
                                self.wechat_token, self.wechat_aes_keys, self.wechat_api_base_url,
                                self.wechat_original_id)
        return (default, *self.other_accounts)


def load_settings(env: Env | None = None, *, dotenv_path: str | None = ".env") -> Settings:
    """Read and validate settings. `env` defaults to os.environ merged over the .env file."""
    env = environment(env, dotenv_path)
    problems: list[str] = []
    app_env = choice(env, "APP_ENV", "production", APP_ENVS, problems)
    port = whole_number(env, "PORT", 3978, problems, 1, 65535)
    bot = bot_settings(env, app_env, problems)
    wechat = wechat_settings(env, problems)
    storage = storage_settings(env, problems)
    target = read_default_target(env, problems)
    conversation = deployment_settings(env, problems)
    organizations, organizations_data = read_directory(text(env, "ORGANIZATIONS_FILE"), conversation, problems)
    check_default_target(target, organizations, problems)
    settings = Settings(
        app_env=app_env,
        port=port,
        host=text(env, "HOST", "127.0.0.1" if app_env == "local" else "0.0.0.0"),
        instance_id=text(env, "INSTANCE_ID") or text(env, "WEBSITE_INSTANCE_ID") or f"{socket.gethostname()}:{port}",
        **bot,
        **wechat,
        other_accounts=tuple(other_account(spec, env, problems) for spec in organizations.accounts),
        teams_admins=teams_admins(env, problems),
        body_timeout_seconds=float(whole_number(env, "REQUEST_BODY_TIMEOUT_SECONDS", 10, problems, 1, 300)),
        **storage,
        media=media_settings(env, storage["sqlite_path"], problems),
        voice=voice_settings(env, problems),
        default_target=target,
        job_lease_seconds=float(whole_number(env, "JOB_LEASE_SECONDS", 30, problems, 1, 3600)),
        archive=archive_settings(env, problems),
        mail=mail_settings(env, problems),
        crm=crm_settings(env, problems),
        pins=pin_settings(env, app_env, any(sub.validation_region for sub in organizations.sub_organizations),
                          problems),
        telemetry_connection_string=Secret(text(env, "APPLICATIONINSIGHTS_CONNECTION_STRING")),
        log_format=choice(env, "LOG_FORMAT", "text", ("text", "json"), problems),
        run_jobs=choice(env, "WORKER", "on", ("on", "off"), problems) == "on",
        worker_poll_seconds=whole_number(env, "WORKER_POLL_MS", 1000, problems, 10, 60_000) / 1000,
        teams_pacing=choice(env, "TEAMS_PACING", "on", ("on", "off"), problems) == "on",
        conversation=conversation,
        directory=organizations,
        organizations_file=text(env, "ORGANIZATIONS_FILE"),
        organizations_data=organizations_data,
        directory_reload_seconds=whole_number(env, "DIRECTORY_RELOAD_SECONDS", 30, problems, 1, 86_400),
    )
    if problems:
        raise ConfigError(problems)
    return settings
