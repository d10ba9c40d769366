"""Settings from the environment (and an optional .env), validated once at start-up.

Every problem is reported with the name of the variable, all at once, so an operator
fixes the configuration in one go. Secrets are held in `Secret` so they never print.
"""
from __future__ import annotations

import json
import os
import re
import socket
from dataclasses import dataclass, field
from typing import Any, Mapping

from core.inbound import ORIGINAL_ID
from core.journal import JournalError, JournalSettings, is_address
from core.organizations import DEFAULT_ACCOUNT, AccountSpec, Directory, OrganizationError
from core.policy import Policy, PolicyError
from core.threads import Target

APP_ENVS = ("production", "local")
APP_TYPES = ("MultiTenant", "SingleTenant", "UserAssignedMSI")
STORAGE_KINDS = ("sqlite", "cosmos")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_EMPLOYEE_TARGET = re.compile(r"^(employee|channel):\S+$")
_LOOPBACK_URL = re.compile(r"^http://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?(/|$)")


class ConfigError(ValueError):
    """One or more variables are missing or wrong; the message names each of them."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid configuration:\n  " + "\n  ".join(problems))


class Secret(str):
    """A string that does not show itself in repr() or logs."""

    def __repr__(self) -> str:
        return "Secret('***')" if self else "Secret('')"


@dataclass(frozen=True)
class WeChatAccount:
    """An Official Account the app serves: its server URL is /api/wechat (the default one) or
    /api/wechat/<id>."""

    id: str
    name: str
    app_id: str
    app_secret: Secret
    token: Secret
    aes_keys: tuple[Secret, ...]  # current first; none: plaintext mode
    api_base_url: str
    original_id: str = ""  # its "original id" (gh_…), the ToUserName of its pushes; "": not checked


@dataclass(frozen=True)
class SmtpSettings:
    """An SMTP server (<PREFIX>_SMTP_*): where and how."""

    host: str
    port: int
    tls: str  # starttls (required) | tls (from the first byte) | auto (STARTTLS when offered) | none
    username: str | None
    password: Secret | None

    def relay_options(self) -> dict[str, Any]:
        """SmtpRelay's keyword arguments (adapters/smtp.py)."""
        return {"username": self.username, "password": str(self.password) if self.password else None,
                "starttls": {"auto": None, "starttls": True, "tls": False, "none": False}[self.tls],
                "use_tls": self.tls == "tls"}


@dataclass(frozen=True)
class ArchiveSettings:
    """The compliance archive's SMTP journaling (ARCHIVE_*): where, how, and how messages look."""

    smtp: SmtpSettings
    journal: JournalSettings
    alert_to: str | None = None  # compliance's address for DLP flags


@dataclass(frozen=True)
class MailSettings:
    """E-mail to employees (MAIL_*): a new guest for them, at their notification address."""

    smtp: SmtpSettings
    sender: str  # MAIL_FROM


@dataclass(frozen=True)
class CrmSettings:
    """Where record entries are logged besides the archive (CRM_WEBHOOK_*, SALESFORCE_*)."""

    webhook_url: str = ""
    webhook_secret: Secret = Secret("")
    salesforce_login_url: str = ""
    salesforce_client_id: str = ""
    salesforce_client_secret: Secret = Secret("")
    salesforce_task_owner_id: str = ""


@dataclass(frozen=True)
class PinSettings:
    """How guests' PINs are sent (OTP_PROVIDER, TWILIO_*, ACS_*) and the key they are hashed with."""

    provider: str = ""  # twilio | acs | dev; "" none configured
    key: Secret = Secret("")  # PIN_KEY: the HMAC key of the PINs' stored hashes
    twilio_account_sid: str = ""
    twilio_auth_token: Secret = Secret("")
    twilio_from: str = ""
    twilio_base_url: str = "https://api.twilio.com"
    acs_connection_string: Secret = Secret("")
    acs_from: str = ""


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
    wechat_api_base_url: str = "https://api.weixin.qq.com"
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
    cosmos_database: str = "wechat-bridge"
    # Who gets a new WeChat user until the routing assistant exists
    default_target: str = ""  # "employee:<aad object id>" or "channel:<team channel id>"
    job_lease_seconds: float = 30.0
    archive: ArchiveSettings | None = None  # None: records are kept, not journaled
    mail: MailSettings | None = None  # None: employees are told in Teams only
    crm: CrmSettings = field(default_factory=CrmSettings)
    pins: PinSettings = field(default_factory=PinSettings)
    run_jobs: bool = True  # WORKER=off: this instance only acknowledges; `python worker.py` instances run the jobs
    worker_poll_seconds: float = 1.0  # how often a worker looks in storage for jobs another instance left
    policy: Policy = field(default_factory=Policy)
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


def _int(env: Mapping[str, str], name: str, default: int, problems: list[str], lo: int, hi: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{name}: expected a whole number, got {raw!r}")
        return default
    if not lo <= value <= hi:
        problems.append(f"{name}: must be between {lo} and {hi}, got {value}")
    return value


def _choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...], problems: list[str]) -> str:
    value = env.get(name, "").strip() or default
    if value not in choices:
        problems.append(f"{name}: must be one of {', '.join(choices)}, got {value!r}")
    return value


def _url(env: Mapping[str, str], name: str, default: str, problems: list[str]) -> str:
    value = (env.get(name, "").strip() or default).rstrip("/")
    if not re.match(r"^https?://[^\s/]+", value):
        problems.append(f"{name}: must be an http(s) URL, got {value!r}")
    return value


def _openid_metadata(env: Mapping[str, str], problems: list[str]) -> str:
    """BotOpenIdMetadata: "" (Microsoft's public cloud), an https URL, or http on this machine (tests):
    whoever serves this document decides which tokens are genuine."""
    if not env.get("BotOpenIdMetadata", "").strip():
        return ""
    url = _url(env, "BotOpenIdMetadata", "", problems)
    if url.startswith("http://") and not _LOOPBACK_URL.match(url):
        problems.append(f"BotOpenIdMetadata: must be https (http only to 127.0.0.1 or localhost), got {url!r}")
    return url


def _pins(env: Mapping[str, str], app_env: str, needed: bool, problems: list[str]) -> PinSettings:
    get = lambda name: env.get(name, "").strip()  # noqa: E731
    provider = get("OTP_PROVIDER")
    if not needed:
        return PinSettings()
    if provider not in ("twilio", "acs", "dev"):
        problems.append(f"OTP_PROVIDER: a sub-organization validates guests' phone numbers: twilio, acs or dev "
                        f"(local runs only), got {provider!r}")
    elif provider == "dev" and app_env != "local":
        problems.append("OTP_PROVIDER: dev shows PINs on screen; refused unless APP_ENV=local")
    key = get("PIN_KEY")
    if len(key) < 32:
        problems.append("PIN_KEY: required (at least 32 characters) where guests validate their phone numbers: "
                        "the key of the PINs' stored hashes")
    pins = PinSettings(provider, Secret(key), get("TWILIO_ACCOUNT_SID"), Secret(get("TWILIO_AUTH_TOKEN")),
                       get("TWILIO_FROM_NUMBER"), _url(env, "TWILIO_API_BASE_URL", "https://api.twilio.com", problems),
                       Secret(get("ACS_CONNECTION_STRING")), get("ACS_FROM_NUMBER"))
    if provider == "twilio" and not (pins.twilio_account_sid and pins.twilio_auth_token and pins.twilio_from):
        problems.append("TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER: "
                        "required with OTP_PROVIDER=twilio")
    if provider == "acs" and not (pins.acs_connection_string and pins.acs_from):
        problems.append("ACS_CONNECTION_STRING and ACS_FROM_NUMBER: required with OTP_PROVIDER=acs")
    return pins


def _crm(env: Mapping[str, str], problems: list[str]) -> CrmSettings:
    get = lambda name: env.get(name, "").strip()  # noqa: E731
    webhook = (get("CRM_WEBHOOK_URL"), get("CRM_WEBHOOK_SECRET"))
    if any(webhook) and not all(webhook):
        problems.append("CRM_WEBHOOK_URL and CRM_WEBHOOK_SECRET: set both, or neither")
    if webhook[0] and not re.match(r"^https?://[^\s/]+", webhook[0]):
        problems.append(f"CRM_WEBHOOK_URL: must be an http(s) URL, got {webhook[0]!r}")
    salesforce = (get("SALESFORCE_LOGIN_URL"), get("SALESFORCE_CLIENT_ID"), get("SALESFORCE_CLIENT_SECRET"))
    if any(salesforce) and not all(salesforce):
        problems.append("SALESFORCE_LOGIN_URL, SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET: set all three, "
                        "or none")
    if salesforce[0] and not re.match(r"^https?://[^\s/]+", salesforce[0]):
        problems.append(f"SALESFORCE_LOGIN_URL: must be an http(s) URL (the org's My Domain), got {salesforce[0]!r}")
    return CrmSettings(webhook[0], Secret(webhook[1]), salesforce[0], salesforce[1], Secret(salesforce[2]),
                       get("SALESFORCE_TASK_OWNER_ID"))


_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _admins(value: str, problems: list[str]) -> frozenset[str]:
    """TEAMS_ADMINS: Entra object ids, separated by commas or spaces."""
    ids = [v for v in re.split(r"[,\s]+", value or "") if v]
    bad = [v for v in ids if not _GUID.match(v)]
    if bad:
        problems.append(f"TEAMS_ADMINS: Microsoft Entra object ids (GUIDs), separated by commas; not one: {bad[0]!r}")
    return frozenset(v.lower() for v in ids if _GUID.match(v))


def _smtp(env: Mapping[str, str], prefix: str, problems: list[str]) -> SmtpSettings | None:
    """<prefix>_SMTP_HOST, _PORT, _USERNAME, _PASSWORD, _TLS; None without a host."""
    host = env.get(f"{prefix}_SMTP_HOST", "").strip()
    if not host:
        return None
    username, password = env.get(f"{prefix}_SMTP_USERNAME", "").strip(), env.get(f"{prefix}_SMTP_PASSWORD", "")
    if bool(username) != bool(password):
        problems.append(f"{prefix}_SMTP_USERNAME and {prefix}_SMTP_PASSWORD: set both, or neither")
    tls = _choice(env, f"{prefix}_SMTP_TLS", "auto", ("auto", "starttls", "tls", "none"), problems)
    if username and tls == "none":
        problems.append(f"{prefix}_SMTP_TLS: none would send {prefix}_SMTP_PASSWORD in the clear; use starttls or tls")
    if username and tls == "auto":
        tls = "starttls"  # a server that does not offer it (or an attacker who strips it) gets no password
    return SmtpSettings(host=host, port=_int(env, f"{prefix}_SMTP_PORT", 25, problems, 1, 65535), tls=tls,
                        username=username or None, password=Secret(password) if password else None)


def _archive(env: Mapping[str, str], problems: list[str]) -> ArchiveSettings | None:
    smtp = _smtp(env, "ARCHIVE", problems)
    if smtp is None:
        return None
    headers: Any = {}
    raw_headers = env.get("ARCHIVE_EXTRA_HEADERS", "").strip()
    if raw_headers:
        try:
            headers = json.loads(raw_headers)
        except ValueError:
            headers = None
        if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
            problems.append('ARCHIVE_EXTRA_HEADERS: expected a JSON object of strings, e.g. '
                            '{"X-GlobalRelay-MsgType": "WeChat"}')
            headers = {}
    try:
        journal = JournalSettings(sender_domain=env.get("ARCHIVE_SENDER_DOMAIN", "").strip(),
                                  journal_to=env.get("ARCHIVE_JOURNAL_TO", "").strip(), extra_headers=headers)
    except JournalError as exc:
        problems.append(f"ARCHIVE_SENDER_DOMAIN / ARCHIVE_JOURNAL_TO / ARCHIVE_EXTRA_HEADERS: {exc}")
        return None
    alert_to = env.get("ARCHIVE_ALERT_TO", "").strip() or None
    if alert_to and not is_address(alert_to):
        problems.append(f"ARCHIVE_ALERT_TO: not an e-mail address: {alert_to!r}")
    return ArchiveSettings(smtp=smtp, journal=journal, alert_to=alert_to)


def _mail(env: Mapping[str, str], problems: list[str]) -> MailSettings | None:
    smtp = _smtp(env, "MAIL", problems)
    if smtp is None:
        return None
    sender = env.get("MAIL_FROM", "").strip()
    if not is_address(sender):
        problems.append(f"MAIL_FROM: required with MAIL_SMTP_HOST, an e-mail address, got {sender!r}")
    return MailSettings(smtp=smtp, sender=sender)


# The WeChat policy, for the whole deployment until organizations have their own.
POLICY_VARIABLES = {
    "POLICY_WINDOW_HOURS": "window_seconds",
    "POLICY_WARNING_HOURS": "warning_after_seconds",
    "POLICY_EMPLOYEE_QUOTA": "employee_quota",
    "POLICY_WECHAT_QUOTA": "wechat_quota",
    "POLICY_QUEUE_LIMIT": "queue_limit",
    "POLICY_TEMPLATE_ID": "template_id",
    "POLICY_GUEST_LANGUAGE": "guest_language",
    "POLICY_EMPLOYEE_LANGUAGE": "employee_language",
}


def _policy_variable(problem: str) -> str:
    """Name the environment variable in a policy problem ('employee_quota: …' → 'POLICY_EMPLOYEE_QUOTA: …')."""
    for name, key in POLICY_VARIABLES.items():
        if problem.startswith(key):
            return name + problem[len(key):]
    return problem


def load_settings(env: Mapping[str, str] | None = None, *, dotenv_path: str | None = ".env") -> Settings:
    """Read and validate settings. `env` defaults to os.environ merged over the .env file."""
    if env is None:
        env = dict(os.environ)
        if dotenv_path and os.path.exists(dotenv_path):
            from dotenv import dotenv_values

            env = {**{k: v or "" for k, v in dotenv_values(dotenv_path).items()}, **env}
    problems: list[str] = []
    get = lambda name, default="": (env.get(name) or default).strip()  # noqa: E731

    app_env = _choice(env, "APP_ENV", "production", APP_ENVS, problems)
    port = _int(env, "PORT", 3978, problems, 1, 65535)

    app_id = get("MicrosoftAppId")
    app_type = _choice(env, "MicrosoftAppType", "SingleTenant", APP_TYPES, problems)
    tenant = get("MicrosoftAppTenantId")
    password = Secret(get("MicrosoftAppPassword"))
    if app_id and not _GUID.match(app_id):
        problems.append(f"MicrosoftAppId: must be the Azure Bot's app id (a GUID), got {app_id!r}")
    if not app_id and app_env != "local":
        problems.append(
            "MicrosoftAppId: required (an empty id turns off Bot Framework authentication, "
            "which is allowed only with APP_ENV=local)"
        )
    if app_id and app_type in ("MultiTenant", "SingleTenant") and not password:
        problems.append(f"MicrosoftAppPassword: required with MicrosoftAppType={app_type}")
    if app_id and app_type in ("SingleTenant", "UserAssignedMSI") and not tenant:
        problems.append(f"MicrosoftAppTenantId: required with MicrosoftAppType={app_type}")

    wechat_app_id = get("WECHAT_APP_ID")
    wechat_secret = Secret(get("WECHAT_APP_SECRET"))
    wechat_token = Secret(get("WECHAT_TOKEN"))
    for name, value in (("WECHAT_APP_ID", wechat_app_id), ("WECHAT_APP_SECRET", wechat_secret),
                        ("WECHAT_TOKEN", wechat_token)):
        if not value:
            problems.append(f"{name}: required")
    if wechat_token and not re.fullmatch(r"[A-Za-z0-9]{3,32}", wechat_token):
        problems.append("WECHAT_TOKEN: must be 3-32 letters or digits (WeChat's rule)")
    aes_keys: list[Secret] = []
    for name in ("WECHAT_ENCODING_AES_KEY", "WECHAT_ENCODING_AES_KEY_PREVIOUS"):
        key = get(name)
        if key and not re.fullmatch(r"[A-Za-z0-9]{43}", key):
            problems.append(f"{name}: must be 43 letters or digits")
        elif key:
            aes_keys.append(Secret(key))
    if get("WECHAT_ENCODING_AES_KEY_PREVIOUS") and not get("WECHAT_ENCODING_AES_KEY"):
        problems.append("WECHAT_ENCODING_AES_KEY_PREVIOUS: set only together with WECHAT_ENCODING_AES_KEY")
    original_id = get("WECHAT_ORIGINAL_ID")
    if original_id and not ORIGINAL_ID.fullmatch(original_id):
        problems.append(f"WECHAT_ORIGINAL_ID: the Official Account's original id (gh_ and letters or digits), "
                        f"got {original_id!r}")

    storage = _choice(env, "STORAGE", "sqlite", STORAGE_KINDS, problems)
    cosmos_endpoint = get("COSMOS_ENDPOINT")
    cosmos_key = Secret(get("COSMOS_KEY"))
    if storage == "cosmos":
        if not cosmos_endpoint:
            problems.append("COSMOS_ENDPOINT: required with STORAGE=cosmos")
        elif not cosmos_endpoint.startswith("https://"):
            problems.append(f"COSMOS_ENDPOINT: must be an https URL, got {cosmos_endpoint!r}")
        if not cosmos_key:
            problems.append("COSMOS_KEY: required with STORAGE=cosmos")

    default_target = get("DEFAULT_TARGET")
    if default_target and not _EMPLOYEE_TARGET.match(default_target):
        problems.append(
            f"DEFAULT_TARGET: must be 'employee:<AAD object id>' or 'channel:<team channel id>', got {default_target!r}"
        )

    policy = Policy()
    values: dict[str, object] = {key: env[name].strip() for name, key in POLICY_VARIABLES.items() if env.get(name)}
    for key in ("window_seconds", "warning_after_seconds"):  # given in hours
        if key in values:
            try:
                values[key] = float(values[key]) * 3600  # type: ignore[arg-type]
            except ValueError:
                pass  # from_mapping reports it
    try:
        policy = Policy.from_mapping(values)
    except PolicyError as exc:
        problems.extend(_policy_variable(p) for p in exc.problems)

    directory, organizations_data = _directory(get("ORGANIZATIONS_FILE"), policy, problems)
    other_accounts = tuple(_account(spec, env, problems) for spec in directory.accounts)
    if (default_target and _EMPLOYEE_TARGET.match(default_target)
            and not directory.for_target(Target.parse(default_target))):
        problems.append(f"DEFAULT_TARGET: {default_target} is in no sub-organization of ORGANIZATIONS_FILE "
                        "(an employee listed there, or a sub-organization's inbox)")

    settings = Settings(
        app_env=app_env,
        port=port,
        host=get("HOST", "127.0.0.1" if app_env == "local" else "0.0.0.0"),
        instance_id=get("INSTANCE_ID") or get("WEBSITE_INSTANCE_ID") or f"{socket.gethostname()}:{port}",
        APP_ID=app_id,
        APP_PASSWORD=password,
        APP_TYPE=app_type,
        APP_TENANTID=tenant,
        bot_openid_metadata_url=_openid_metadata(env, problems),
        wechat_app_id=wechat_app_id,
        wechat_app_secret=wechat_secret,
        wechat_token=wechat_token,
        wechat_aes_keys=tuple(aes_keys),
        wechat_original_id=original_id,
        wechat_api_base_url=_url(env, "WECHAT_API_BASE_URL", "https://api.weixin.qq.com", problems),
        wechat_qr_base_url=_url(env, "WECHAT_QR_BASE_URL", "https://mp.weixin.qq.com", problems),
        webhook_max_body_bytes=_int(env, "WEBHOOK_MAX_BODY_BYTES", 64 * 1024, problems, 1024, 1024 * 1024),
        webhook_max_skew_seconds=_int(env, "WEBHOOK_MAX_SKEW_SECONDS", 300, problems, 10, 3600),
        body_timeout_seconds=float(_int(env, "REQUEST_BODY_TIMEOUT_SECONDS", 10, problems, 1, 300)),
        storage=storage,
        sqlite_path=get("SQLITE_PATH", "data/bridge.sqlite3"),
        cosmos_endpoint=cosmos_endpoint,
        cosmos_key=cosmos_key,
        cosmos_database=get("COSMOS_DATABASE", "wechat-bridge"),
        default_target=default_target,
        job_lease_seconds=float(_int(env, "JOB_LEASE_SECONDS", 30, problems, 1, 3600)),
        archive=_archive(env, problems),
        mail=_mail(env, problems),
        crm=_crm(env, problems),
        pins=_pins(env, app_env, any(sub.validation_region for sub in directory.sub_organizations), problems),
        run_jobs=_choice(env, "WORKER", "on", ("on", "off"), problems) == "on",
        worker_poll_seconds=_int(env, "WORKER_POLL_MS", 1000, problems, 10, 60_000) / 1000,
        policy=policy,
        directory=directory,
        organizations_file=get("ORGANIZATIONS_FILE"),
        organizations_data=organizations_data,
        directory_reload_seconds=_int(env, "DIRECTORY_RELOAD_SECONDS", 30, problems, 1, 86_400),
        other_accounts=other_accounts,
        wechat_account_name=get("WECHAT_ACCOUNT_NAME", "our WeChat Official Account"),
        teams_admins=_admins(get("TEAMS_ADMINS"), problems),
    )
    if problems:
        raise ConfigError(problems)
    return settings


def _directory(path: str, policy: Policy, problems: list[str]) -> tuple[Directory, Mapping[str, Any]]:
    """The organizations file (TOML) and the employee directory files it names, read at start-up
    (the latter are watched: adapters/directory_files.py); none: everyone in one sub-organization."""
    if not path:
        return Directory.open(policy), {}
    import tomllib
    from pathlib import Path

    from adapters.directory_files import load_directory

    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        problems.append(f"ORGANIZATIONS_FILE: cannot read {path}: {exc.strerror or exc}")
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"ORGANIZATIONS_FILE: {path} is not valid TOML: {exc}")
    else:
        try:
            return load_directory(data, Path(path).parent, policy), data
        except OrganizationError as exc:
            problems.extend(f"ORGANIZATIONS_FILE ({path}): {p}" for p in exc.problems)
    return Directory.open(policy), {}


def _account(spec: AccountSpec, env: Mapping[str, str], problems: list[str]) -> WeChatAccount:
    """Another Official Account, its secrets read from the variables the organizations file names."""
    def secret(name: str, required: bool, pattern: str, rule: str) -> Secret:
        value = (env.get(name) or "").strip() if name else ""
        if required and not value:
            problems.append(f"{name}: required (official account {spec.id} of ORGANIZATIONS_FILE)")
        elif value and not re.fullmatch(pattern, value):
            problems.append(f"{name}: {rule} (official account {spec.id})")
        return Secret(value)

    aes = secret(spec.aes_key_env, False, r"[A-Za-z0-9]{43}", "must be 43 letters or digits")
    return WeChatAccount(
        id=spec.id, name=spec.name, app_id=spec.app_id,
        app_secret=secret(spec.app_secret_env, True, r".+", "required"),
        token=secret(spec.token_env, True, r"[A-Za-z0-9]{3,32}", "must be 3-32 letters or digits (WeChat's rule)"),
        aes_keys=(aes,) if aes else (),
        api_base_url=spec.api_base_url or (env.get("WECHAT_API_BASE_URL") or "https://api.weixin.qq.com").strip(),
        original_id=spec.original_id)
