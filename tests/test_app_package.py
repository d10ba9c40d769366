"""The Teams app package (`python -m tools.app_package`): built on the product install, a manifest and a
zh-cn localisation that the official v1.30 schemas and Microsoft's own validator (`atk validate`) accept,
named and published as the firm's own app, the bot's commands where they work, clear errors."""
from __future__ import annotations

import colorsys
import copy
import importlib.metadata
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from bots.commands import parse_command
from tools import app_icons, app_package

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "node_modules/@microsoft/app-manifest/build/json-schemas/teams/v1.30"
ATK = ROOT / "node_modules/.bin/atk"
BOT_ID = "3f2b9c1e-5a7d-4e2f-9b8c-1d2e3f4a5b6c"
DOMAIN = "wechat-bot.example.com"
FIRM = {"firm_name": "Contoso Wealth", "website_url": "https://contoso.com/wechat",
        "privacy_url": "https://contoso.com/privacy", "terms_url": "https://contoso.com/wechat/terms"}
ENV = {"MicrosoftAppId": BOT_ID, "BOT_DOMAIN": DOMAIN, "TEAMS_APP_FIRM_NAME": FIRM["firm_name"],
       "TEAMS_APP_WEBSITE_URL": FIRM["website_url"], "TEAMS_APP_PRIVACY_URL": FIRM["privacy_url"],
       "TEAMS_APP_TERMS_URL": FIRM["terms_url"]}
WHITE = (255, 255, 255)


# ---------------------------------------------------------------------------------------------
# The official schemas, validated offline
# ---------------------------------------------------------------------------------------------

def _validator(name: str):
    """A Draft 4 validator of an official v1.30 schema whose `pattern` is matched with the `regex`
    module (the schema uses \\p{L}, which `re` does not know). `const` and `if`, which the schema
    also uses although Draft 4 has neither, are checked as later drafts do, so manifestVersion is too;
    and so are the keywords beside a `$ref` (the localisation schema's `maxLength`s), as Microsoft's
    validator (ajv) checks them."""
    import regex
    from jsonschema import Draft4Validator, Draft7Validator, ValidationError, validators

    path = SCHEMAS / name
    if not path.is_file():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run scripts/test.sh: it installs the Node test tools",
                    pytrace=False)

    def pattern(validator, expected, instance, schema):
        if validator.is_type(instance, "string") and not regex.search(expected, instance):
            yield ValidationError(f"{instance!r} does not match {expected!r}")

    Teams = validators.create(
        meta_schema=Draft4Validator.META_SCHEMA, type_checker=Draft4Validator.TYPE_CHECKER,
        format_checker=Draft4Validator.FORMAT_CHECKER, id_of=Draft4Validator.ID_OF,
        validators={**Draft4Validator.VALIDATORS, "pattern": pattern, "const": Draft7Validator.VALIDATORS["const"],
                    "if": Draft7Validator.VALIDATORS["if"]})
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema, format_checker=None)  # (its `format: regex` check uses `re`)
    return Teams(schema)


@pytest.fixture(scope="module")
def validator():
    return _validator("MicrosoftTeams.schema.json")


@pytest.fixture(scope="module")
def localization_validator():
    return _validator("MicrosoftTeams.Localization.schema.json")


def schema_errors(validator, document) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


# ---------------------------------------------------------------------------------------------
# The package, built once through the function
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("package") / "app.zip"
    assert app_package.build(out, bot_id=BOT_ID, domain=DOMAIN, **FIRM) == out
    return out


@pytest.fixture(scope="module")
def files(package) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.fixture(scope="module")
def manifest(files) -> dict:
    return json.loads(files["manifest.json"].decode("utf-8"))


@pytest.fixture(scope="module")
def chinese(files) -> dict:
    return json.loads(files["zh-cn.json"].decode("utf-8"))


def test_the_package_holds_exactly_the_manifest_its_chinese_texts_and_the_two_icons_at_its_root(package):
    with zipfile.ZipFile(package) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png", "zh-cn.json"]
        assert not any(info.is_dir() for info in archive.infolist())


def test_the_manifest_passes_the_official_v1_30_schema(validator, manifest):
    assert manifest["$schema"] == ("https://developer.microsoft.com/json-schemas/teams/v1.30/"
                                   "MicrosoftTeams.schema.json")
    assert manifest["manifestVersion"] == "1.30"
    assert schema_errors(validator, manifest) == []


def test_the_chinese_file_passes_the_official_localization_schema(localization_validator, manifest, chinese):
    assert manifest["localizationInfo"] == {"defaultLanguageTag": "en-us",
                                            "additionalLanguages": [{"languageTag": "zh-cn", "file": "zh-cn.json"}]}
    assert chinese["$schema"] == ("https://developer.microsoft.com/json-schemas/teams/v1.30/"
                                  "MicrosoftTeams.Localization.schema.json")
    assert schema_errors(localization_validator, chinese) == []


@pytest.mark.parametrize("spoil, where", [
    (lambda m: m["bots"][0]["scopes"].append("channel"), "bots/0/scopes/2"),
    (lambda m: m["bots"][0]["commandLists"][0]["scopes"].__setitem__(0, "Personal"), "commandLists/0/scopes/0"),
    (lambda m: m["name"].__setitem__("short", "Contoso Wealth WeChat for Teams"), "name/short"),
    (lambda m: m["description"].__setitem__("short", "x" * 81), "description/short"),
    (lambda m: m.pop("developer"), "'developer' is a required property"),
    (lambda m: m["developer"].pop("privacyUrl"), "'privacyUrl' is a required property"),
    (lambda m: m.__setitem__("id", "not-a-guid"), "id"),
    (lambda m: m.__setitem__("accentColor", "blue"), "accentColor"),
    (lambda m: m["developer"].__setitem__("websiteUrl", "ftp://example.com"), "developer/websiteUrl"),
    (lambda m: m.__setitem__("manifestVersion", "1.29"), "manifestVersion"),
    (lambda m: m["composeExtensions"][0]["commands"][0].__setitem__("type", "search"), "commands/0/type"),
    (lambda m: m["authorization"]["permissions"]["resourceSpecific"][0].__setitem__("type", "App"), "type"),
    (lambda m: m["localizationInfo"]["additionalLanguages"][0].pop("file"), "'file' is a required property"),
], ids=["bot-scope", "command-list-scope", "short-name-too-long", "short-description-too-long",
        "no-developer", "no-privacy-url", "id-not-a-guid", "accent-not-hex", "url-not-http",
        "manifest-version", "extension-command-type", "permission-type", "language-without-file"])
def test_the_validator_rejects_a_manifest_that_breaks_the_schema(validator, manifest, spoil, where):
    spoiled = copy.deepcopy(manifest)
    spoil(spoiled)
    errors = schema_errors(validator, spoiled)
    assert errors, "the validator accepted a manifest that breaks the schema"
    assert any(where in error for error in errors), errors


@pytest.mark.parametrize("spoil, where", [
    (lambda z: z.pop("description.full"), "'description.full' is a required property"),
    (lambda z: z.__setitem__("name.short", "微" * 31), "name.short"),
    (lambda z: z.__setitem__("bots[0].commandLists[3].commands[0].title", "帮助"),
     "'bots[0].commandLists[3].commands[0].title' does not match any of the regexes"),
], ids=["no-full-description", "short-name-too-long", "a-fourth-command-list"])
def test_the_localization_validator_rejects_a_file_that_breaks_the_schema(localization_validator, chinese, spoil,
                                                                          where):
    spoiled = copy.deepcopy(chinese)
    spoil(spoiled)
    errors = schema_errors(localization_validator, spoiled)
    assert any(where in error for error in errors), errors


# ---------------------------------------------------------------------------------------------
# Microsoft's own validator: the Agents Toolkit CLI, offline (it has the schemas it checks with)
# ---------------------------------------------------------------------------------------------

def atk_command(folder: Path) -> dict:
    """`atk validate --manifest-file manifest.json` in `folder` (it reads the localisation file beside it)."""
    return {"args": [str(ATK), "validate", "--manifest-file", "manifest.json", "--telemetry", "false"],
            "cwd": folder, "env": {**os.environ, "HOME": str(folder), "NO_COLOR": "1"}}


def broken(manifest: dict, chinese: dict) -> dict[str, str]:
    """A manifest and a localisation file, each breaking a rule of its schema."""
    manifest = copy.deepcopy(manifest)
    manifest["accentColor"] = "blue"
    manifest["name"]["short"] = "Contoso Wealth WeChat for Teams"  # 31 characters
    chinese = {**chinese, "bots[0].commandLists[3].commands[0].title": "帮助"}
    return {"manifest.json": json.dumps(manifest), "zh-cn.json": json.dumps(chinese, ensure_ascii=False)}


def start_early(folder: Path) -> dict[str, dict]:
    """The validator takes seconds a run: both runs start with the session (tests/early.py), on the package as
    the `package` fixture builds it, and on its two files broken (`broken`) in a folder of their own."""
    if not ATK.exists():
        return {}  # atk_result says so
    with zipfile.ZipFile(app_package.build(folder / "app.zip", bot_id=BOT_ID, domain=DOMAIN, **FIRM)) as archive:
        archive.extractall(folder / "valid")
        files = {name: json.loads(archive.read(name).decode("utf-8")) for name in ("manifest.json", "zh-cn.json")}
    (folder / "broken").mkdir()
    for name, text in broken(files["manifest.json"], files["zh-cn.json"]).items():
        (folder / "broken" / name).write_text(text, encoding="utf-8")
    return {"atk-valid": atk_command(folder / "valid"), "atk-broken": atk_command(folder / "broken")}


def atk_result(early, name: str) -> subprocess.CompletedProcess:
    if not ATK.exists():
        pytest.fail(f"{ATK.relative_to(ROOT)} is missing: run scripts/test.sh: it installs the Node test tools",
                    pytrace=False)
    return early.result(name)


def test_microsofts_validator_passes_the_package(early):
    done = atk_result(early, "atk-valid")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Summary:\nAll passed." in done.stdout
    assert "completed checking your app package against validation rules. All passed." in done.stdout


def test_microsofts_validator_fails_a_broken_manifest_and_a_broken_chinese_file(early):
    done = atk_result(early, "atk-broken")
    said = done.stdout + done.stderr
    assert done.returncode != 0, said
    assert "All passed" not in said
    assert "/accentColor must match pattern" in said
    assert "/name/short must NOT have more than 30 characters" in said
    assert '"additionalProperty":"bots[0].commandLists[3].commands[0].title"' in said


# ---------------------------------------------------------------------------------------------
# Built on the product install, from the command line
# ---------------------------------------------------------------------------------------------

def _distributions(requirements: Path) -> set[str]:
    names = set()
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[=<>~!\[; ]", line, maxsplit=1)[0].lower().replace("_", "-"))
    return names


def dev_only_modules() -> set[str]:
    """The top-level modules of the packages requirements-dev.txt adds to requirements.txt (jsonschema …)."""
    dev_only = _distributions(ROOT / "requirements-dev.txt") - _distributions(ROOT / "requirements.txt")
    return {module for module, distributions in importlib.metadata.packages_distributions().items()
            if any(d.lower().replace("_", "-") in dev_only for d in distributions)}


# `python -c PRODUCT_INSTALL <modules> <module> <argv>…`: `python -m <module> <argv>…` with those modules
# (comma-separated) not importable, as on the product install.
PRODUCT_INSTALL = """
import importlib.abc, runpy, sys

class NotInstalled(importlib.abc.MetaPathFinder):
    def __init__(self, modules):
        self.modules = modules

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in self.modules:
            raise ModuleNotFoundError(f"No module named {name!r} (not in the product install)", name=name)
        return None

blocked, module, *argv = sys.argv[1:]
sys.meta_path.insert(0, NotInstalled(set(blocked.split(","))))
sys.argv = [module, *argv]
runpy.run_module(module, run_name="__main__", alter_sys=True)
"""


def _product_install(module: str, blocked: set[str], argv: list[str], cwd: Path,
                     env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PRODUCT_INSTALL, ",".join(sorted(blocked)), module, *argv],
                          cwd=cwd, env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60)


def test_the_command_builds_the_same_package_on_the_product_install_from_the_environment(tmp_path, package):
    blocked = dev_only_modules()
    assert {"jsonschema", "pytest"} <= blocked and "PIL" not in blocked  # Pillow: the product fits images
    env = {k: v for k, v in os.environ.items() if k not in ENV and not k.startswith("TEAMS_APP_")}
    tested = _product_install("pytest", blocked, ["--version"], tmp_path, env)  # (a test tool: refused)
    assert tested.returncode == 1 and "No module named 'pytest' (not in the product install)" in tested.stderr
    out = tmp_path / "dist" / "wechat-teams-app.zip"
    done = _product_install("tools.app_package", blocked, ["--out", str(out)], tmp_path, {**env, **ENV})
    assert done.returncode == 0, done.stderr
    assert (done.stdout.strip(), done.stderr) == (str(out), "")
    assert out.read_bytes() == package.read_bytes()


def test_the_same_inputs_give_the_same_bytes(tmp_path, package):
    again = app_package.build(tmp_path / "again.zip", bot_id=BOT_ID, domain=DOMAIN, **FIRM)
    assert again.read_bytes() == package.read_bytes()
    with zipfile.ZipFile(again) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def _built(out: Path) -> tuple[dict, dict]:
    with zipfile.ZipFile(out) as archive:
        return json.loads(archive.read("manifest.json")), json.loads(archive.read("zh-cn.json"))


def test_every_value_is_an_option_over_the_environment_and_dot_env(tmp_path, validator, capsys):
    dotenv = tmp_path / ".env"
    dotenv.write_text("MicrosoftAppId=0a0a0a0a-0000-4000-8000-000000000000\nBOT_DOMAIN=ignored.example.com\n"
                      "TEAMS_APP_FIRM_NAME=Ignored\nTEAMS_APP_PRIVACY_URL=https://dotenv.example.com/privacy\n",
                      encoding="utf-8")
    bot_id, app_id = "1b1b1b1b-1111-4111-8111-111111111111", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    out = tmp_path / "custom.zip"
    code = app_package.main([
        "--out", str(out), "--bot-id", bot_id, "--domain", "Teams.Contoso.com", "--app-id", app_id,
        "--version", "2.3.4", "--firm-name", "Contoso Wealth", "--firm-name-zh", "康拓财富",
        "--website-url", "https://contoso.com/wechat", "--terms-url", "https://contoso.com/t",
        "--short-name", "Contoso Client Chat", "--full-name", "Contoso Wealth: WeChat client chat",
        "--short-name-zh", "康拓客户微信", "--full-name-zh", "康拓财富：微信客户对话"],
        env={"TEAMS_APP_FIRM_NAME": "Also ignored", "TEAMS_APP_WEBSITE_URL": "https://env.example.com/"},
        dotenv_path=str(dotenv))
    assert code == 0
    assert capsys.readouterr().out.strip() == str(out)
    built, chinese = _built(out)
    assert schema_errors(validator, built) == []
    assert (built["id"], built["version"], built["bots"][0]["botId"]) == (app_id, "2.3.4", bot_id)
    assert built["developer"] == {"name": "Contoso Wealth", "websiteUrl": "https://contoso.com/wechat",
                                  "privacyUrl": "https://dotenv.example.com/privacy",  # from .env
                                  "termsOfUseUrl": "https://contoso.com/t"}
    assert built["name"] == {"short": "Contoso Client Chat", "full": "Contoso Wealth: WeChat client chat"}
    assert (chinese["name.short"], chinese["name.full"]) == ("康拓客户微信", "康拓财富：微信客户对话")
    assert "客户关注康拓财富的微信公众号" in chinese["description.full"]
    assert built["validDomains"] == ["teams.contoso.com"]
    assert built["webApplicationInfo"] == {"id": bot_id, "resource": f"api://teams.contoso.com/botid-{bot_id}"}


# ---------------------------------------------------------------------------------------------
# Production or development
# ---------------------------------------------------------------------------------------------

def _errors(capsys, argv: list[str], env: dict[str, str]) -> list[str]:
    assert app_package.main(argv, env=env, dotenv_path=None) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return [line.removeprefix("app_package: error: ") for line in captured.err.splitlines()]


def test_a_production_package_without_the_firm_and_its_urls_is_refused_one_line_each(tmp_path, capsys):
    lines = _errors(capsys, ["--out", str(tmp_path / "x.zip")], env={"MicrosoftAppId": BOT_ID, "BOT_DOMAIN": DOMAIN})
    assert [line.split(":", 1)[0] for line in lines] == [
        "--firm-name (or TEAMS_APP_FIRM_NAME)", "--website-url (or TEAMS_APP_WEBSITE_URL)",
        "--privacy-url (or TEAMS_APP_PRIVACY_URL)", "--terms-url (or TEAMS_APP_TERMS_URL)"]
    assert all("required for a production package (or use --dev)" in line for line in lines)
    assert "Teams shows it as the publisher" in lines[0] and "privacy statement" in lines[2]
    assert not (tmp_path / "x.zip").exists()


def test_a_development_package_has_clearly_marked_placeholders(tmp_path, validator, capsys):
    out = tmp_path / "dev.zip"
    assert app_package.main(["--dev", "--out", str(out), "--privacy-url", "https://contoso.com/privacy"],
                            env={"MicrosoftAppId": BOT_ID, "BOT_DOMAIN": DOMAIN}, dotenv_path=None) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == str(out)
    assert captured.err.strip() == ("app_package: a development package, with placeholders for --firm-name, "
                                    "--website-url, --terms-url: not for production")
    built, chinese = _built(out)
    assert schema_errors(validator, built) == []
    assert built["developer"] == {"name": "Example Firm (DEV)", "websiteUrl": "https://example.com/dev-placeholder/",
                                  "privacyUrl": "https://contoso.com/privacy",
                                  "termsOfUseUrl": "https://example.com/dev-placeholder/terms"}
    assert built["name"]["short"] == "Example Firm (DEV) WeChat"
    assert chinese["name.short"] == "Example Firm (DEV) 微信"


def test_the_bot_id_and_domain_are_required_even_for_development(tmp_path, capsys):
    lines = _errors(capsys, ["--dev", "--out", str(tmp_path / "x.zip")], env={})
    assert lines == [
        "--bot-id (or MicrosoftAppId): required: the Azure Bot's app id (a GUID)",
        "--domain (or BOT_DOMAIN): required: the public host of the bot's messaging endpoint "
        "https://<host>/api/messages, e.g. bot.example.com"]


# ---------------------------------------------------------------------------------------------
# What the manifest declares
# ---------------------------------------------------------------------------------------------

def test_the_app_is_named_and_published_as_the_firms_own(manifest, chinese):
    assert manifest["id"] == BOT_ID and manifest["version"] == "1.0.0"
    assert manifest["developer"] == {"name": "Contoso Wealth", "websiteUrl": "https://contoso.com/wechat",
                                     "privacyUrl": "https://contoso.com/privacy",
                                     "termsOfUseUrl": "https://contoso.com/wechat/terms"}
    assert manifest["name"] == {"short": "Contoso Wealth WeChat",
                                "full": "Contoso Wealth WeChat: client conversations in Teams"}
    assert (chinese["name.short"], chinese["name.full"]) == ("Contoso Wealth 微信",
                                                            "Contoso Wealth 微信：在 Teams 中与客户对话")
    assert manifest["description"]["full"].endswith(
        "Published by Contoso Wealth for its employees. Not made, published or endorsed by Tencent; WeChat is a "
        "trademark of Tencent.")
    assert chinese["description.full"].endswith("由 Contoso Wealth 为其员工发布。本应用并非由腾讯开发、发布或认可；"
                                                "微信是腾讯的商标。")
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert manifest["validDomains"] == [DOMAIN]


@pytest.mark.parametrize("option, name", [("--short-name", "WeChat"), ("--short-name-zh", "微信"),
                                          ("--firm-name", "Weixin")])
def test_a_name_that_is_tencents_own_is_refused(tmp_path, capsys, option, name):
    [line] = _errors(capsys, ["--out", str(tmp_path / "x.zip"), option, name], env=ENV)
    assert line.startswith(f"{option} (or ") and "is the name of Tencent's own app" in line


def test_a_firm_name_too_long_for_the_default_short_names_asks_for_them(tmp_path, capsys):
    firm = "Contoso Private Wealth Partners"  # 31 characters: a publisher's name, too long with " WeChat"
    lines = _errors(capsys, ["--out", str(tmp_path / "x.zip"), "--firm-name", firm], env=ENV)
    assert lines == [
        f"--short-name (or TEAMS_APP_SHORT_NAME): required: the default '{firm} WeChat' is longer than 30 characters",
        f"--short-name-zh (or TEAMS_APP_SHORT_NAME_ZH): required: the default '{firm} 微信' is longer than 30 "
        "characters"]
    assert app_package.main(["--out", str(tmp_path / "ok.zip"), "--firm-name", firm, "--short-name", "Contoso WeChat",
                             "--short-name-zh", "Contoso 微信"], env=ENV, dotenv_path=None) == 0


def test_the_description_states_wechats_quota_as_wechat_and_the_policy_apply_it(manifest, chinese):
    full = manifest["description"]["full"]
    assert ("After each message from a client, WeChat allows 5 customer-service messages within 48 hours; "
            "advisors' answers and the app's own notices may use the share of them that Contoso Wealth sets "
            "(4 by default), and the rest is kept for a notice asking the client to write again.") in full
    assert not re.search(r"(at most|up to) 5 messages|5 messages for (you|each)", full)
    assert ("客户每发来一条消息后，微信允许在 48 小时内发送 5 条客服消息；"
            "顾问的回复和本应用自己的提示可使用其中由 Contoso Wealth 设定的份额（默认 4 条），"
            "其余的留给一条请客户再次发消息的提示。") in chinese["description.full"]
    assert len(manifest["description"]["short"]) <= 80 and len(chinese["description.short"]) <= 80
    for said in ("compliance record", "phone number", "routing assistant", "requires an administrator"):
        assert said in full


PERSONAL = ["help", "find", "qr", "queue", "leave", "admin"]
TEAM = ["help", "queue", "leave", "add"]


def test_each_scope_lists_only_the_commands_that_work_there(manifest):
    [bot] = manifest["bots"]
    assert bot["botId"] == BOT_ID
    assert bot["scopes"] == ["personal", "team"]  # nothing of WeChat lives in a group chat
    assert bot["supportsFiles"] is False and bot["isNotificationOnly"] is False
    lists = {tuple(command_list["scopes"]): [c["title"] for c in command_list["commands"]]
             for command_list in bot["commandLists"]}
    assert lists == {("personal",): PERSONAL, ("team",): TEAM}
    commands = {c["title"]: c["description"] for command_list in bot["commandLists"] for c in command_list["commands"]}
    assert "name, nickname or phone number" in commands["find"]
    assert "QR code" in commands["qr"] and "waiting to be sent" in commands["queue"]
    assert "add @colleague" in commands["add"]
    assert commands["admin"].startswith("Administrators only") and "sub-organizations" in commands["admin"]


def test_the_chinese_file_translates_every_command_and_the_message_extension(manifest, chinese):
    expected = {"name.short", "name.full", "description.short", "description.full", "$schema"}
    for i, command_list in enumerate(manifest["bots"][0]["commandLists"]):
        for j, _ in enumerate(command_list["commands"]):
            expected |= {f"bots[0].commandLists[{i}].commands[{j}].{key}" for key in ("title", "description")}
    expected |= {f"composeExtensions[0].commands[0].{key}" for key in
                 ("title", "description", "parameters[0].title", "parameters[0].description")}
    assert set(chinese) == expected
    han = re.compile(r"[\u4e00-\u9fff]")
    assert all(han.search(text) for key, text in chinese.items() if key != "$schema")
    titles = [chinese[f"bots[0].commandLists[1].commands[{j}].title"] for j in range(len(TEAM))]
    assert titles == ["帮助", "队列", "退出", "添加"]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_command_title_is_that_command_for_the_bot(manifest, chinese, language):
    """Picking a command from the menu types its title: the bot must take it as that command."""
    for i, command_list in enumerate(manifest["bots"][0]["commandLists"]):
        for j, command in enumerate(command_list["commands"]):
            title = command["title"] if language == "en" else chinese[f"bots[0].commandLists[{i}].commands[{j}].title"]
            parsed = parse_command(title)
            assert parsed is not None and parsed.command.name == command["title"], (title, command["title"])


def test_the_search_message_extension(manifest):
    [extension] = manifest["composeExtensions"]
    assert extension["botId"] == BOT_ID
    assert extension.get("composeExtensionType", "botBased") == "botBased"
    [command] = extension["commands"]
    assert (command["id"], command["type"], command["title"]) == ("findContact", "query", "Find a WeChat contact")
    assert command["description"] and command["initialRun"] is True
    assert [(p["name"], p["title"]) for p in command["parameters"]] == [("query", "Name, nickname or phone")]
    assert command["context"] == ["compose", "commandBox"]


def test_resource_specific_permissions_and_web_application_info(manifest):
    assert manifest["authorization"]["permissions"]["resourceSpecific"] == [
        {"name": "ChannelMessage.Read.Group", "type": "Application"},
    ]
    assert manifest["webApplicationInfo"] == {"id": BOT_ID, "resource": f"api://{DOMAIN}/botid-{BOT_ID}"}


# ---------------------------------------------------------------------------------------------
# The icons
# ---------------------------------------------------------------------------------------------

def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_the_color_icon_is_192_opaque_with_the_mark_inside_the_central_120(files, manifest):
    image = _image(files["color.png"])
    assert image.size == (192, 192)
    assert image.mode == "RGB" or image.getextrema()[3] == (255, 255)  # opaque
    rgb = image.convert("RGB")
    background = tuple(int(manifest["accentColor"][i:i + 2], 16) for i in (1, 3, 5))
    assert rgb.getpixel((0, 0)) == background  # the accent colour is the icon's background
    lo, hi = 36, 156  # the central 120×120 square: [36, 156)
    outside = [(x, y) for y in range(192) for x in range(192)
               if not (lo <= x < hi and lo <= y < hi) and rgb.getpixel((x, y)) != background]
    assert outside == []
    inside = [rgb.getpixel((x, y)) for y in range(lo, hi) for x in range(lo, hi)]
    assert inside.count(WHITE) > 120 * 120 // 5  # the mark is there, in white
    assert any(p not in (WHITE, background) for p in inside)  # and antialiased


def test_the_accent_is_not_wechats_green(manifest):
    hue = colorsys.rgb_to_hsv(*(int(manifest["accentColor"][i:i + 2], 16) / 255 for i in (1, 3, 5)))[0] * 360
    assert not 75 <= hue <= 165, f"a green accent ({hue:.0f}°) reads as WeChat's"


def test_the_outline_icon_is_32_white_on_transparent(files):
    image = _image(files["outline.png"])
    assert image.size == (32, 32) and image.mode == "RGBA"
    data = image.tobytes()
    pixels = [tuple(data[i:i + 4]) for i in range(0, len(data), 4)]
    assert [p for p in pixels if p[3] and p[:3] != WHITE] == []  # nothing but white where anything shows
    alphas = [p[3] for p in pixels]
    assert alphas.count(0) > 32 * 32 // 4  # transparent around the mark
    assert alphas.count(255) > 32 * 32 // 5  # the mark
    assert any(0 < a < 255 for a in alphas)  # antialiased


def test_the_icons_in_the_package_are_the_committed_files_that_tools_app_icons_draws(tmp_path, files):
    app_icons.write(tmp_path)
    for name in ("color.png", "outline.png"):
        assert files[name] == (app_icons.MANIFEST_DIR / name).read_bytes(), name
        committed, drawn = Image.open(app_icons.MANIFEST_DIR / name), Image.open(tmp_path / name)
        assert (committed.mode, committed.size) == (drawn.mode, drawn.size), name
        assert committed.tobytes() == drawn.tobytes(), f"manifest/{name} drifted: run python -m tools.app_icons"


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------

def test_a_bot_id_that_is_not_a_guid_is_refused(tmp_path, capsys):
    [line] = _errors(capsys, ["--out", str(tmp_path / "x.zip")], env={**ENV, "MicrosoftAppId": "my-bot"})
    assert line == "--bot-id (or MicrosoftAppId): must be the Azure Bot's app id (a GUID), got 'my-bot'"


def test_a_url_instead_of_a_domain_names_the_host_to_give(tmp_path, capsys):
    [line] = _errors(capsys, ["--out", str(tmp_path / "x.zip"), "--domain", f"https://{DOMAIN}/api/messages"],
                     env=ENV)
    assert line == (f"--domain (or BOT_DOMAIN): a host name, not a URL: give '{DOMAIN}', "
                    f"got 'https://{DOMAIN}/api/messages'")


def test_wrong_values_are_each_one_line(tmp_path, capsys):
    lines = _errors(capsys, ["--out", str(tmp_path / "x.zip"), "--privacy-url", "http://example.com/privacy",
                             "--terms-url", "example.com/terms", "--version", "1.0", "--app-id", "app"], env=ENV)
    assert lines == ["--privacy-url (or TEAMS_APP_PRIVACY_URL): must be an https URL, got 'http://example.com/privacy'",
                     "--terms-url (or TEAMS_APP_TERMS_URL): must be an https URL, got 'example.com/terms'",
                     "--app-id (or TEAMS_APP_ID): must be a GUID, got 'app'",
                     "--version (or TEAMS_APP_VERSION): must be MAJOR.MINOR.PATCH (e.g. 1.0.0), got '1.0'"]
