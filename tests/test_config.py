import re

import pytest

from config import ConfigError, load_settings

BASE = {
    "WECHAT_APP_ID": "wx1234567890abcdef",
    "WECHAT_APP_SECRET": "s3cret",
    "WECHAT_TOKEN": "tok3n",
    "MicrosoftAppId": "00000000-0000-0000-0000-000000000001",
    "MicrosoftAppPassword": "pw",
    "MicrosoftAppTenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
}


def test_defaults():
    s = load_settings(BASE)
    assert s.port == 3978
    assert s.storage == "sqlite"
    assert s.wechat_api_base_url == "https://api.weixin.qq.com"
    assert not s.wechat_safe_mode
    assert s.bot_auth_enabled and not s.local


def test_every_problem_is_named_at_once():
    with pytest.raises(ConfigError) as err:
        load_settings({"PORT": "http", "STORAGE": "mongo", "WECHAT_ENCODING_AES_KEY": "short"})
    text = str(err.value)
    for name in ("PORT", "STORAGE", "WECHAT_ENCODING_AES_KEY", "WECHAT_APP_ID", "WECHAT_APP_SECRET",
                 "WECHAT_TOKEN", "MicrosoftAppId"):
        assert name in text


def test_empty_app_id_needs_the_local_switch():
    env = {**BASE, "MicrosoftAppId": "", "MicrosoftAppPassword": ""}
    with pytest.raises(ConfigError, match="APP_ENV=local"):
        load_settings(env)
    s = load_settings({**env, "APP_ENV": "local"})
    assert not s.bot_auth_enabled and s.host == "127.0.0.1"


def test_cosmos_needs_endpoint_and_key():
    with pytest.raises(ConfigError) as err:
        load_settings({**BASE, "STORAGE": "cosmos"})
    assert "COSMOS_ENDPOINT" in str(err.value) and "COSMOS_KEY" in str(err.value)


def test_single_tenant_needs_tenant_and_password():
    with pytest.raises(ConfigError) as err:
        load_settings({**BASE, "MicrosoftAppType": "SingleTenant", "MicrosoftAppPassword": "",
                       "MicrosoftAppTenantId": ""})
    assert "MicrosoftAppTenantId" in str(err.value) and "MicrosoftAppPassword" in str(err.value)


def test_the_bot_is_single_tenant_unless_told_otherwise():
    # Azure has created no multi-tenant bots since 31 July 2025.
    assert load_settings(BASE).APP_TYPE == "SingleTenant"
    with pytest.raises(ConfigError, match="MicrosoftAppTenantId: required with MicrosoftAppType=SingleTenant"):
        load_settings({**BASE, "MicrosoftAppTenantId": ""})
    multi = load_settings({**BASE, "MicrosoftAppType": "MultiTenant", "MicrosoftAppTenantId": ""})
    assert multi.APP_TYPE == "MultiTenant"
    with pytest.raises(ConfigError, match="MicrosoftAppTenantId: required with MicrosoftAppType=UserAssignedMSI"):
        load_settings({**BASE, "MicrosoftAppType": "UserAssignedMSI", "MicrosoftAppTenantId": ""})
    # Without an app id (local runs) there is no tenant to name.
    local = load_settings({"APP_ENV": "local", "WECHAT_APP_ID": "wx1", "WECHAT_APP_SECRET": "s",
                           "WECHAT_TOKEN": "token1"})
    assert not local.bot_auth_enabled and local.APP_TYPE == "SingleTenant"


@pytest.mark.parametrize("url, problem", [
    ("https://login.botframework.azure.us/v1/.well-known/openidconfiguration", None),
    ("http://127.0.0.1:8081/v1/.well-known/openidconfiguration", None),
    ("http://localhost:8081/openid", None),
    ("http://keys.example.com/openid", "must be https (http only to 127.0.0.1 or localhost)"),
    ("http://127.0.0.1.example.com/openid", "must be https"),
    ("keys.example.com", "must be an http(s) URL"),
])
def test_the_openid_metadata_of_the_bot_framework_is_https_or_on_this_machine(url, problem):
    assert load_settings(BASE).bot_openid_metadata_url == ""  # the SDK's: Microsoft's public cloud
    if problem is None:
        assert load_settings({**BASE, "BotOpenIdMetadata": url}).bot_openid_metadata_url == url
    else:
        with pytest.raises(ConfigError, match=re.escape(f"BotOpenIdMetadata: {problem}")):
            load_settings({**BASE, "BotOpenIdMetadata": url})


def test_the_official_accounts_original_ids_are_optional_and_checked(tmp_path):
    assert load_settings(BASE).wechat_accounts[0].original_id == ""
    s = load_settings({**BASE, "WECHAT_ORIGINAL_ID": "gh_5a1b2c3d4e5f"})
    assert s.wechat_accounts[0].original_id == "gh_5a1b2c3d4e5f"
    with pytest.raises(ConfigError, match="WECHAT_ORIGINAL_ID: the Official Account's original id"):
        load_settings({**BASE, "WECHAT_ORIGINAL_ID": "wx5a1b2c3d4e5f6a7b"})  # the AppID is not it
    orgs = tmp_path / "orgs.toml"
    account = ('[[official_accounts]]\nid = "cn"\napp_id = "wxc0ffee0123456789"\napp_secret_env = "CN_SECRET"\n'
               'token_env = "CN_TOKEN"\noriginal_id = "{}"\n'
               '[[organizations]]\nid = "c"\n[[organizations.sub_organizations]]\nid = "mainland"\n'
               'official_account = "cn"\ninbox = "19:cn@thread.tacv2"\nemployees = []\n')
    orgs.write_text(account.format("gh_c0ffee012345"), encoding="utf-8")
    env = {**BASE, "ORGANIZATIONS_FILE": str(orgs), "CN_SECRET": "s", "CN_TOKEN": "cntoken"}
    assert load_settings(env).wechat_accounts[1].original_id == "gh_c0ffee012345"
    orgs.write_text(account.format("cn"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"official_accounts\[0\].original_id: the account's original id"):
        load_settings(env)


def test_a_request_body_has_ten_seconds_to_arrive_unless_told():
    assert load_settings(BASE).body_timeout_seconds == 10
    assert load_settings({**BASE, "REQUEST_BODY_TIMEOUT_SECONDS": "3"}).body_timeout_seconds == 3
    with pytest.raises(ConfigError, match="REQUEST_BODY_TIMEOUT_SECONDS: must be between 1 and 300"):
        load_settings({**BASE, "REQUEST_BODY_TIMEOUT_SECONDS": "0"})


def test_aes_keys_current_and_previous():
    a, b = "a" * 43, "b" * 43
    s = load_settings({**BASE, "WECHAT_ENCODING_AES_KEY": a, "WECHAT_ENCODING_AES_KEY_PREVIOUS": b})
    assert s.wechat_aes_keys == (a, b) and s.wechat_safe_mode


def test_secrets_do_not_show_in_repr():
    s = load_settings({**BASE, "WECHAT_APP_SECRET": "topsecretvalue"})
    assert "topsecretvalue" not in repr(s)
    assert s.wechat_app_secret == "topsecretvalue"


def test_default_target_is_validated():
    with pytest.raises(ConfigError, match="DEFAULT_TARGET"):
        load_settings({**BASE, "DEFAULT_TARGET": "bob"})
    assert load_settings({**BASE, "DEFAULT_TARGET": "channel:19:abc@thread.tacv2"}).default_target


def test_dotenv_file_is_read_and_environment_wins(tmp_path, monkeypatch):
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in BASE.items()) + "PORT=4000\n")
    for k in (*BASE, "PORT"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("PORT", "5000")
    s = load_settings(dotenv_path=str(env_file))
    assert s.wechat_app_id == BASE["WECHAT_APP_ID"] and s.port == 5000


def test_the_wechat_policy_from_the_environment():
    s = load_settings({**BASE, "POLICY_EMPLOYEE_QUOTA": "3", "POLICY_WINDOW_HOURS": "48", "POLICY_TEMPLATE_ID": "tpl1"})
    settings = s.conversation
    assert (settings.employee_quota, settings.window_seconds, settings.template_id) == (3, 48 * 3600, "tpl1")
    with pytest.raises(ConfigError, match="POLICY_EMPLOYEE_QUOTA"):
        load_settings({**BASE, "POLICY_EMPLOYEE_QUOTA": "9"})
    with pytest.raises(ConfigError, match="POLICY_QUEUE_LIMIT"):
        load_settings({**BASE, "POLICY_QUEUE_LIMIT": "many"})


def test_the_organizations_file_is_read_and_checked(tmp_path):
    good = tmp_path / "orgs.toml"
    good.write_text('[[organizations]]\nid = "c"\n[[organizations.sub_organizations]]\nid = "hk"\n'
                    'employees = [{ aad = "aad-1" }]\n', encoding="utf-8")
    s = load_settings({**BASE, "ORGANIZATIONS_FILE": str(good), "DEFAULT_TARGET": "employee:aad-1"})
    assert s.directory.of_employee("aad-1").id == "hk"

    with pytest.raises(ConfigError, match="DEFAULT_TARGET: employee:aad-2 is in no sub-organization"):
        load_settings({**BASE, "ORGANIZATIONS_FILE": str(good), "DEFAULT_TARGET": "employee:aad-2"})
    with pytest.raises(ConfigError, match="ORGANIZATIONS_FILE: cannot read"):
        load_settings({**BASE, "ORGANIZATIONS_FILE": str(tmp_path / "missing.toml")})
    bad = tmp_path / "bad.toml"
    bad.write_text("[[organizations]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_settings({**BASE, "ORGANIZATIONS_FILE": str(bad)})
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[[organizations]]\nid = "c"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"ORGANIZATIONS_FILE \(.*wrong.toml\): organizations\[0\].sub_organizations"):
        load_settings({**BASE, "ORGANIZATIONS_FILE": str(wrong)})


def test_another_official_account_takes_its_secrets_from_the_variables_the_file_names(tmp_path):
    orgs = tmp_path / "orgs.toml"
    orgs.write_text('[[official_accounts]]\nid = "cn"\nname = "Contoso China"\napp_id = "wxc0ffee0123456789"\n'
                    'app_secret_env = "CN_SECRET"\ntoken_env = "CN_TOKEN"\nencoding_aes_key_env = "CN_AES"\n'
                    '[[organizations]]\nid = "c"\n[[organizations.sub_organizations]]\nid = "mainland"\n'
                    'official_account = "cn"\ninbox = "19:cn@thread.tacv2"\nemployees = [{ aad = "aad-1" }]\n',
                    encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings({**BASE, "ORGANIZATIONS_FILE": str(orgs), "CN_TOKEN": "bad token!", "CN_AES": "short"})
    text = str(caught.value)
    assert "CN_SECRET: required (official account cn" in text
    assert "CN_TOKEN: must be 3-32 letters or digits" in text and "CN_AES: must be 43 letters or digits" in text
    assert "bad token" not in text and "short" not in text  # the values are never printed

    s = load_settings({**BASE, "ORGANIZATIONS_FILE": str(orgs), "CN_SECRET": "s", "CN_TOKEN": "cntoken"})
    default, cn = s.wechat_accounts
    assert (default.id, default.app_id) == ("default", BASE["WECHAT_APP_ID"])
    assert (cn.id, cn.name, cn.app_id, cn.token, cn.aes_keys, cn.api_base_url) == (
        "cn", "Contoso China", "wxc0ffee0123456789", "cntoken", (), "https://api.weixin.qq.com")


def test_the_archive_password_never_travels_in_the_clear():
    base = {"APP_ENV": "local", "WECHAT_APP_ID": "wx1", "WECHAT_APP_SECRET": "s", "WECHAT_TOKEN": "token1",
            "ARCHIVE_SMTP_HOST": "smtp.example", "ARCHIVE_JOURNAL_TO": "j@archive.example",
            "ARCHIVE_SENDER_DOMAIN": "bank.example", "ARCHIVE_SMTP_USERNAME": "u", "ARCHIVE_SMTP_PASSWORD": "p4ss"}
    assert load_settings(base, dotenv_path=None).archive.smtp.tls == "starttls"  # auto, with a password: required
    with pytest.raises(ConfigError, match="ARCHIVE_SMTP_TLS") as caught:
        load_settings({**base, "ARCHIVE_SMTP_TLS": "none"}, dotenv_path=None)
    assert "p4ss" not in str(caught.value)
    assert load_settings({k: v for k, v in base.items() if "USERNAME" not in k and "PASSWORD" not in k},
                         dotenv_path=None).archive.smtp.tls == "auto"


def test_a_journal_message_is_capped_at_25_mib_unless_set_and_never_below_1_mib():
    base = {"APP_ENV": "local", "WECHAT_APP_ID": "wx1", "WECHAT_APP_SECRET": "s", "WECHAT_TOKEN": "token1",
            "ARCHIVE_SMTP_HOST": "smtp.example", "ARCHIVE_JOURNAL_TO": "j@archive.example",
            "ARCHIVE_SENDER_DOMAIN": "bank.example"}
    assert load_settings(base, dotenv_path=None).archive.max_message_bytes == 25 * 1024 * 1024
    assert load_settings({**base, "ARCHIVE_MAX_MESSAGE_BYTES": "10485760"},
                         dotenv_path=None).archive.max_message_bytes == 10 * 1024 * 1024
    with pytest.raises(ConfigError, match="ARCHIVE_MAX_MESSAGE_BYTES"):
        load_settings({**base, "ARCHIVE_MAX_MESSAGE_BYTES": "1000"}, dotenv_path=None)


def test_phone_validation_needs_a_pin_provider_and_key_and_dev_only_runs_locally(tmp_path):
    orgs = tmp_path / "orgs.toml"
    orgs.write_text('[[organizations]]\nid = "c"\nphone_validation = true\n'
                    '[[organizations.sub_organizations]]\nid = "hk"\nemployees = []\n', encoding="utf-8")
    base = {"APP_ENV": "local", "WECHAT_APP_ID": "wx1", "WECHAT_APP_SECRET": "s", "WECHAT_TOKEN": "token1",
            "ORGANIZATIONS_FILE": str(orgs)}
    with pytest.raises(ConfigError) as caught:
        load_settings(base, dotenv_path=None)
    assert "OTP_PROVIDER" in str(caught.value) and "PIN_KEY" in str(caught.value)
    local = load_settings({**base, "OTP_PROVIDER": "dev", "PIN_KEY": "k" * 32}, dotenv_path=None)
    assert local.pins.provider == "dev" and "k" * 32 not in repr(local.pins)
    production = {**base, "APP_ENV": "production", "MicrosoftAppId": "11111111-2222-3333-4444-555555555555",
                  "MicrosoftAppPassword": "p", "OTP_PROVIDER": "dev", "PIN_KEY": "k" * 32}
    with pytest.raises(ConfigError, match="OTP_PROVIDER: dev shows PINs on screen"):
        load_settings(production, dotenv_path=None)
    with pytest.raises(ConfigError, match="TWILIO_ACCOUNT_SID"):
        load_settings({**base, "OTP_PROVIDER": "twilio", "PIN_KEY": "k" * 32}, dotenv_path=None)


def test_media_is_kept_in_files_beside_the_sqlite_file_by_default():
    media = load_settings(BASE).media
    assert (media.store, media.path, media.public_base_url) == ("files", "data/media", "")
    assert media.document_link_days == 7
    assert load_settings({**BASE, "MEDIA_DOCUMENT_LINK_DAYS": "2"}).media.document_link_days == 2
    assert load_settings({**BASE, "SQLITE_PATH": "/srv/x/bridge.db"}).media.path == "/srv/x/media"
    assert load_settings({**BASE, "BOT_DOMAIN": "bridge.example.com"}).media.public_base_url == \
        "https://bridge.example.com"
    media = load_settings({**BASE, "MEDIA_STORE": "blob", "MEDIA_BLOB_CONNECTION_STRING": "UseDevelopmentStorage=true",
                           "PUBLIC_BASE_URL": "https://media.example.com/", "MEDIA_URL_KEY": "m" * 32}).media
    assert (media.store, media.blob_container, media.public_base_url) == ("blob", "media", "https://media.example.com")
    assert "m" * 32 not in repr(media)


def test_media_settings_problems_are_named():
    with pytest.raises(ConfigError) as caught:
        load_settings({**BASE, "MEDIA_STORE": "blob", "MEDIA_BLOB_CONTAINER": "Media_1", "MEDIA_URL_KEY": "short",
                       "PUBLIC_BASE_URL": "bridge.example.com", "MEDIA_DOCUMENT_LINK_DAYS": "0"})
    text = str(caught.value)
    for name in ("MEDIA_BLOB_CONNECTION_STRING", "MEDIA_BLOB_CONTAINER", "MEDIA_URL_KEY", "PUBLIC_BASE_URL",
                 "MEDIA_DOCUMENT_LINK_DAYS"):
        assert name in text
    with pytest.raises(ConfigError, match="MEDIA_STORE"):
        load_settings({**BASE, "MEDIA_STORE": "s3"})
