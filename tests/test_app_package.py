"""The Teams app package (`python -m tools.app_package`): a manifest the official v1.30 schema accepts,
the icons Teams requires, the bot's commands, message extension and permissions, clear errors."""
from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from tools import app_icons, app_package

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "node_modules/@microsoft/app-manifest/build/json-schemas/teams/v1.30/MicrosoftTeams.schema.json"
BOT_ID = "3f2b9c1e-5a7d-4e2f-9b8c-1d2e3f4a5b6c"
DOMAIN = "wechat-bot.example.com"
WHITE = (255, 255, 255)


# ---------------------------------------------------------------------------------------------
# The official schema, validated offline
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def validator():
    """A Draft 4 validator of the official v1.30 schema whose `pattern` is matched with the `regex`
    module (the schema uses \\p{L}, which `re` does not know). `const` and `if`, which the schema
    also uses although Draft 4 has neither, are checked as later drafts do, so manifestVersion is too."""
    import regex
    from jsonschema import Draft4Validator, Draft7Validator, ValidationError, validators

    if not SCHEMA.is_file():
        pytest.fail(f"{SCHEMA.relative_to(ROOT)} is missing: run scripts/test.sh: it installs the Node test tools",
                    pytrace=False)

    def pattern(validator, expected, instance, schema):
        if validator.is_type(instance, "string") and not regex.search(expected, instance):
            yield ValidationError(f"{instance!r} does not match {expected!r}")

    Teams = validators.extend(Draft4Validator, {"pattern": pattern, "const": Draft7Validator.VALIDATORS["const"],
                                                "if": Draft7Validator.VALIDATORS["if"]})
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema, format_checker=None)  # (its `format: regex` check uses `re`)
    return Teams(schema)


def schema_errors(validator, document) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


# ---------------------------------------------------------------------------------------------
# The package, built once through the function and once through the command
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("package") / "app.zip"
    assert app_package.build(out, bot_id=BOT_ID, domain=DOMAIN) == out
    return out


@pytest.fixture(scope="module")
def files(package) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.fixture(scope="module")
def manifest(files) -> dict:
    return json.loads(files["manifest.json"].decode("utf-8"))


def test_the_package_holds_exactly_the_manifest_and_the_two_icons_at_its_root(package):
    with zipfile.ZipFile(package) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        assert not any(info.is_dir() for info in archive.infolist())


def test_the_manifest_passes_the_official_v1_30_schema(validator, manifest):
    assert manifest["$schema"] == ("https://developer.microsoft.com/json-schemas/teams/v1.30/"
                                   "MicrosoftTeams.schema.json")
    assert manifest["manifestVersion"] == "1.30"
    assert schema_errors(validator, manifest) == []


@pytest.mark.parametrize("spoil, where", [
    (lambda m: m["bots"][0]["scopes"].append("channel"), "bots/0/scopes/3"),
    (lambda m: m["bots"][0]["commandLists"][0]["scopes"].__setitem__(0, "Personal"), "commandLists/0/scopes/0"),
    (lambda m: m["name"].__setitem__("short", "WeChat channel for Microsoft Teams"), "name/short"),
    (lambda m: m["description"].__setitem__("short", "x" * 81), "description/short"),
    (lambda m: m.pop("developer"), "'developer' is a required property"),
    (lambda m: m["developer"].pop("privacyUrl"), "'privacyUrl' is a required property"),
    (lambda m: m.__setitem__("id", "not-a-guid"), "id"),
    (lambda m: m.__setitem__("accentColor", "green"), "accentColor"),
    (lambda m: m["developer"].__setitem__("websiteUrl", "ftp://example.com"), "developer/websiteUrl"),
    (lambda m: m.__setitem__("manifestVersion", "1.29"), "manifestVersion"),
    (lambda m: m["composeExtensions"][0]["commands"][0].__setitem__("type", "search"), "commands/0/type"),
    (lambda m: m["authorization"]["permissions"]["resourceSpecific"][0].__setitem__("type", "App"), "type"),
], ids=["bot-scope", "command-list-scope", "short-name-too-long", "short-description-too-long",
        "no-developer", "no-privacy-url", "id-not-a-guid", "accent-not-hex", "url-not-http",
        "manifest-version", "extension-command-type", "permission-type"])
def test_the_validator_rejects_a_manifest_that_breaks_the_schema(validator, manifest, spoil, where):
    spoiled = copy.deepcopy(manifest)
    spoil(spoiled)
    errors = schema_errors(validator, spoiled)
    assert errors, "the validator accepted a manifest that breaks the schema"
    assert any(where in error for error in errors), errors


def test_the_same_inputs_give_the_same_bytes(tmp_path, package):
    again = app_package.build(tmp_path / "again.zip", bot_id=BOT_ID, domain=DOMAIN)
    assert again.read_bytes() == package.read_bytes()
    with zipfile.ZipFile(again) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_command_line_builds_the_same_package_and_prints_its_path(tmp_path, package):
    out = tmp_path / "dist" / "wechat-teams-app.zip"
    env = {k: v for k, v in os.environ.items() if k not in ("MicrosoftAppId", "BOT_DOMAIN")}
    env.update(MicrosoftAppId=BOT_ID, BOT_DOMAIN=DOMAIN, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "tools.app_package", "--out", str(out)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out)
    assert out.read_bytes() == package.read_bytes()


def test_main_reads_the_bot_id_from_dot_env_and_takes_the_options(tmp_path, validator, capsys):
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"MicrosoftAppId={BOT_ID}\nBOT_DOMAIN=ignored.example.com\n", encoding="utf-8")
    app_id = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    out = tmp_path / "custom.zip"
    code = app_package.main(["--out", str(out), "--domain", "Teams.Contoso.com", "--app-id", app_id,
                             "--version", "2.3.4", "--developer-name", "Contoso Wealth",
                             "--website-url", "https://contoso.com/wechat", "--privacy-url", "https://contoso.com/p",
                             "--terms-url", "https://contoso.com/t"], env={}, dotenv_path=str(dotenv))
    assert code == 0
    assert capsys.readouterr().out.strip() == str(out)
    with zipfile.ZipFile(out) as archive:
        built = json.loads(archive.read("manifest.json"))
    assert schema_errors(validator, built) == []
    assert (built["id"], built["version"], built["bots"][0]["botId"]) == (app_id, "2.3.4", BOT_ID)
    assert built["developer"] == {"name": "Contoso Wealth", "websiteUrl": "https://contoso.com/wechat",
                                  "privacyUrl": "https://contoso.com/p", "termsOfUseUrl": "https://contoso.com/t"}
    assert built["validDomains"] == ["teams.contoso.com"]
    assert built["webApplicationInfo"]["resource"] == f"api://teams.contoso.com/botid-{BOT_ID}"


# ---------------------------------------------------------------------------------------------
# What the manifest declares
# ---------------------------------------------------------------------------------------------

def test_identity_names_developer_and_descriptions(manifest):
    assert manifest["id"] == BOT_ID and manifest["version"] == "1.0.0"
    assert manifest["developer"] == {"name": DOMAIN, "websiteUrl": f"https://{DOMAIN}/",
                                     "privacyUrl": f"https://{DOMAIN}/privacy",
                                     "termsOfUseUrl": f"https://{DOMAIN}/terms"}
    assert manifest["name"] == {"short": "WeChat", "full": "WeChat channel for Microsoft Teams"}
    assert len(manifest["description"]["short"]) <= 80
    full = manifest["description"]["full"]
    for said in ("WeChat", "Teams", "48 hours", "5 messages", "compliance record", "phone number",
                 "routing assistant", "requires an administrator"):
        assert said in full
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert manifest["validDomains"] == [DOMAIN]


def test_the_bot_its_scopes_and_its_commands(manifest):
    [bot] = manifest["bots"]
    assert bot["botId"] == BOT_ID
    assert bot["scopes"] == ["personal", "team", "groupChat"]
    assert bot["supportsFiles"] is False and bot["isNotificationOnly"] is False
    lists = bot["commandLists"]
    assert sorted(scope for command_list in lists for scope in command_list["scopes"]) == \
        sorted(bot["scopes"])  # every scope in exactly one list
    for command_list in lists:
        commands = {c["title"]: c["description"] for c in command_list["commands"]}
        assert list(commands) == ["help", "find", "qr", "queue", "admin"]
        assert len(commands) <= 12
        assert all(len(d) > 20 for d in commands.values())
        assert "name, nickname or phone" in commands["find"]
        assert "QR code" in commands["qr"]
        assert "waiting to be sent" in commands["queue"]
        assert "Admins only" in commands["admin"] and "sub-organizations" in commands["admin"]


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
        {"name": "ChatMessage.Read.Chat", "type": "Application"},
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


def test_the_icons_on_disk_are_what_tools_app_icons_draws(tmp_path):
    app_icons.write(tmp_path)
    for name in ("color.png", "outline.png"):
        committed, drawn = Image.open(app_icons.MANIFEST_DIR / name), Image.open(tmp_path / name)
        assert (committed.mode, committed.size) == (drawn.mode, drawn.size), name
        assert committed.tobytes() == drawn.tobytes(), f"manifest/{name} drifted: run python -m tools.app_icons"


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------

def _errors(capsys, argv: list[str], env: dict[str, str]) -> list[str]:
    assert app_package.main(argv, env=env, dotenv_path=None) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err.splitlines()


def test_a_missing_bot_id_is_one_clear_line(tmp_path, capsys):
    [line] = _errors(capsys, ["--out", str(tmp_path / "x.zip"), "--domain", DOMAIN], env={})
    assert "MicrosoftAppId: required" in line
    assert not (tmp_path / "x.zip").exists()


def test_a_bot_id_that_is_not_a_guid_is_refused(tmp_path, capsys):
    [line] = _errors(capsys, ["--out", str(tmp_path / "x.zip")], env={"MicrosoftAppId": "my-bot", "BOT_DOMAIN": DOMAIN})
    assert "MicrosoftAppId: must be the Azure Bot's app id (a GUID), got 'my-bot'" in line


def test_a_url_instead_of_a_domain_names_the_host_to_give(tmp_path, capsys):
    [line] = _errors(capsys, ["--out", str(tmp_path / "x.zip"), "--domain", f"https://{DOMAIN}/api/messages"],
                     env={"MicrosoftAppId": BOT_ID})
    assert "a host name, not a URL" in line and f"give '{DOMAIN}'" in line


def test_a_missing_domain_and_non_https_urls_are_each_one_line(tmp_path, capsys):
    lines = _errors(capsys, ["--out", str(tmp_path / "x.zip"), "--privacy-url", "http://example.com/privacy",
                             "--terms-url", "example.com/terms", "--version", "1.0"], env={"MicrosoftAppId": BOT_ID})
    assert len(lines) == 4, lines
    assert any("BOT_DOMAIN (or --domain): required" in line for line in lines)
    assert any("--privacy-url: must be an https URL" in line for line in lines)
    assert any("--terms-url: must be an https URL" in line for line in lines)
    assert any("--version: must be MAJOR.MINOR.PATCH" in line for line in lines)
