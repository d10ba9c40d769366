"""infra/main.bicep, read as text (tests/infra/bicep.py): keys and local authentication off, HTTPS and TLS 1.2
only, the identity's roles, every secret a Key Vault reference, the web instances and the worker as the app
runs them, the settings by the app's own names. Each check is also run on the file altered, to show it can fail."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable

import pytest

from adapters.storage.cosmos_indexes import composites
from core.storage import CONTAINERS
from tests.infra.bicep import Bicep, Resource, block

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "infra" / "main.bicep"
IDENTITY_PRINCIPAL = "identity.properties.principalId"

# Built-in roles: name -> (role definition id, the type of resource it is given on).
ROLES = {
    "AcrPull": ("7f951dca-d9c5-4c1b-8a0a-1d7ad5d1a6ab", "Microsoft.ContainerRegistry/registries"),
    "Key Vault Secrets User": ("4633458b-17de-408a-b874-0445c86b69e6", "Microsoft.KeyVault/vaults"),
    "Storage Blob Data Contributor": ("ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Microsoft.Storage/storageAccounts"),
}
COSMOS_DATA_CONTRIBUTOR = "00000000-0000-0000-0000-000000000002"  # Cosmos DB Built-in Data Contributor

# The app's secret settings (config/: read as `Secret`). Each is a Key Vault reference, or not set at all
# where the managed identity replaces it.
SECRET_SETTINGS = ("WECHAT_APP_SECRET", "WECHAT_TOKEN", "WECHAT_ENCODING_AES_KEY", "WECHAT_ENCODING_AES_KEY_PREVIOUS",
                   "PIN_KEY", "MEDIA_URL_KEY", "TWILIO_AUTH_TOKEN", "ACS_CONNECTION_STRING", "ARCHIVE_SMTP_PASSWORD",
                   "MAIL_SMTP_PASSWORD", "CRM_WEBHOOK_SECRET", "SALESFORCE_CLIENT_SECRET")
REPLACED_BY_IDENTITY = ("MicrosoftAppPassword", "COSMOS_KEY", "MEDIA_BLOB_CONNECTION_STRING")
# Set by infra/ for code not written yet: the managed identity (issue 19's next step) and telemetry.
SECRET_LOOKING = re.compile(r"(SECRET|PASSWORD|TOKEN|_KEY|KEY_PREVIOUS|CONNECTION_STRING)$")

_ENV_ENTRY = re.compile(r"\{ name: '(\w+)', (value|secretRef): ")
_SECRET_ROW = re.compile(r"\{ env: '(\w+)', name: '([a-z0-9-]+)'(?:, value: (\w+))? \}")


def bicep(text: str | None = None) -> Bicep:
    return Bicep(MAIN.read_text(encoding="utf-8") if text is None else text)


def parameters() -> dict:
    return json.loads((ROOT / "infra" / "main.parameters.json").read_text(encoding="utf-8"))["parameters"]


def app_sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in [*sorted((ROOT / "config").glob("*.py")), ROOT / "app.py"])


def read_by_app(name: str, sources: str) -> bool:
    """The app reads this variable: its name in config/ or app.py (the SMTP settings as '<prefix>_SMTP_…')."""
    prefix, _, rest = name.partition("_")
    return f'"{name}"' in sources or (f'"{prefix}"' in sources and f'{{prefix}}_{rest}"' in sources)


def env_entries(b: Bicep) -> dict[str, str]:
    """Every setting the apps are given in the Bicep: name -> 'value' or 'secretRef'."""
    return dict(_ENV_ENTRY.findall(b.text))


def vault_table(b: Bicep) -> list[tuple[str, str, str]]:
    """(setting, Key Vault secret name, parameter) of the secrets table, and the telemetry secret."""
    rows = _SECRET_ROW.findall(b.variable("secretSettings")) + _SECRET_ROW.findall(b.variable("telemetrySecret"))
    assert rows, "no secrets table"
    return rows


# ---------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------

def check_cosmos(b: Bicep) -> None:
    cosmos = b.one("Microsoft.DocumentDB/databaseAccounts")
    assert cosmos.value("disableLocalAuth") == "true"
    assert cosmos.value("disableKeyBasedMetadataWriteAccess") == "true"
    assert cosmos.value("minimalTlsVersion") == "'Tls12'"
    # The identity cannot create containers through the data plane: the Bicep makes the app's, keyed by /pk.
    assert b.variable("cosmosContainers") == "[" + ", ".join(f"'{c}'" for c in CONTAINERS) + "]"
    container = b.one("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")
    assert container.loop and "for name in cosmosContainers" in b.text
    assert container.value("partitionKey") == "{ paths: ['/pk'], kind: 'Hash' }"
    # The composite indexes the sweeps' queries are served from, those adapters/storage/cosmos_indexes.py uses
    assert "cosmosCompositeIndexes[name]" in container.value("compositeIndexes")
    declared = {name: [tuple(re.findall(r"path: '/(\w+)'", line)) for line in lines.strip().splitlines()]
                for name, lines in re.findall(r"^  (\w+): \[\n(.*?)^  \]", b.variable("cosmosCompositeIndexes"),
                                              re.M | re.S)}
    assert declared == {c: composites(c) for c in CONTAINERS if composites(c)}


def check_storage(b: Bicep) -> None:
    storage = b.one("Microsoft.Storage/storageAccounts")
    for prop, expected in (("allowBlobPublicAccess", "false"), ("allowSharedKeyAccess", "false"),
                           ("minimumTlsVersion", "'TLS1_2'"), ("supportsHttpsTrafficOnly", "true")):
        assert storage.value(prop) == expected, f"{prop}: {storage.value(prop)}"
    assert b.one("Microsoft.Storage/storageAccounts/blobServices/containers").value("publicAccess") == "'None'"


def check_roles(b: Bicep) -> None:
    table = b.string_table("roles")
    assignments = b.of_type("Microsoft.Authorization/roleAssignments")
    given = {}
    for a in assignments:
        key = re.fullmatch(r"subscriptionResourceId\('Microsoft.Authorization/roleDefinitions', roles\.(\w+)\)",
                           a.value("roleDefinitionId"))
        assert key, f"{a.name}: role not from the roles table"
        assert a.value("principalId") == IDENTITY_PRINCIPAL and a.value("principalType") == "'ServicePrincipal'"
        scope = b.named(a.value("scope")).type
        assert scope != "Microsoft.DocumentDB/databaseAccounts", f"{a.name}: a control-plane role on Cosmos DB"
        given[table[key.group(1)]] = scope
    assert given == {role_id: scope for role_id, scope in ROLES.values()}
    # Cosmos DB: the data-plane role (sqlRoleAssignments), no control-plane role on the account.
    cosmos_role = b.one("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments")
    key = re.fullmatch(r"'\$\{cosmos\.id\}/sqlRoleDefinitions/\$\{roles\.(\w+)\}'",
                       cosmos_role.value("roleDefinitionId"))
    assert key and table[key.group(1)] == COSMOS_DATA_CONTRIBUTOR
    assert cosmos_role.value("principalId") == IDENTITY_PRINCIPAL and cosmos_role.value("scope") == "cosmos.id"


def check_secrets(b: Bicep) -> None:
    entries, rows = env_entries(b), vault_table(b)
    # Nothing secret is a plain value, whether the app knows it as a secret or its name says so.
    plain = {name for name, kind in entries.items() if kind == "value"}
    assert not plain & {*SECRET_SETTINGS, *REPLACED_BY_IDENTITY}
    assert not {name for name in plain if SECRET_LOOKING.search(name)}
    # Every secret of the app is in the vault, from a @secure() parameter; the identity replaces the rest.
    in_vault = {setting for setting, _, _ in rows}
    assert set(SECRET_SETTINGS) <= in_vault and not in_vault & set(REPLACED_BY_IDENTITY)
    for setting, _, param in rows:
        if param:
            assert "@secure()" in b.params[param].decorators, f"{param} ({setting}) is not @secure()"
    # …and reaches the apps as a Container Apps secret that is a Key Vault reference read with the identity.
    assert "var secretEnv = [for s in vaultSecretNames: { name: s.env, secretRef: s.name }]" in b.text
    assert ("var appSecrets = [for s in vaultSecretNames: { name: s.name, keyVaultUrl: "
            "'${vault.properties.vaultUri}secrets/${s.name}', identity: identity.id }]") in b.text
    assert b.one("Microsoft.KeyVault/vaults").value("enableRbacAuthorization") == "true"
    for app in b.of_type("Microsoft.App/containerApps"):
        assert app.value("secrets") == "appSecrets"


def check_apps(b: Bicep) -> None:
    web, worker = b.named("web"), b.named("worker")
    assert web.type == worker.type == "Microsoft.App/containerApps"
    assert web.value("env") == "concat(sharedEnv, [{ name: 'WORKER', value: 'off' }])"
    assert worker.value("env") == "sharedEnv" and "'WORKER'" not in b.variable("sharedEnv")  # the default: on
    assert worker.value("command") == "placeholder ? [] : ['python', 'worker.py']"
    assert worker.value("minReplicas") == "workerReplicas" and "@minValue(1)" in b.params["workerReplicas"].decorators
    assert web.value("minReplicas") == "1"
    assert "ingress" not in worker.body
    # The web's ingress and probes: the app's port and its health route (the first provision's placeholder
    # image, before any is built, has neither).
    assert b.variable("placeholder") == "empty(containerImage)"
    assert b.variable("port").startswith("3978 ") and web.value("targetPort") == "placeholder ? 80 : port"
    assert web.value("probes") == "placeholder ? [] : webProbes"
    assert web.value("allowInsecure") == "false"
    assert b.variable("healthPath").startswith("'/healthz' ") and 'add_get("/healthz"' in (ROOT / "app.py").read_text()
    probes = re.findall(r"\{ type: '(\w+)', httpGet: \{ path: (\w+), port: (\w+) \}", b.variable("webProbes"))
    assert sorted(p[0] for p in probes) == ["Liveness", "Readiness", "Startup"]
    assert {p[1:] for p in probes} == {("healthPath", "port")}
    # Both pull the image with the identity.
    assert b.variable("registries") == "[{ server: registry.properties.loginServer, identity: identity.id }]"


def check_bot(b: Bicep) -> None:
    bot = b.one("Microsoft.BotService/botServices")
    assert bot.value("msaAppType") == "'UserAssignedMSI'"
    assert bot.value("msaAppId") == "identity.properties.clientId"
    assert bot.value("msaAppMSIResourceId") == "identity.id"
    assert bot.value("endpoint") == "'https://${botDomain}/api/messages'"
    assert 'add_post("/api/messages"' in (ROOT / "app.py").read_text()
    channel = b.one("Microsoft.BotService/botServices/channels")
    assert channel.value("parent") == bot.name and channel.value("channelName") == "'MsTeamsChannel'"
    # The app is told it is the identity, and where it is.
    entries = b.variable("sharedEnv")
    assert "{ name: 'MicrosoftAppType', value: 'UserAssignedMSI' }" in entries
    assert "{ name: 'MicrosoftAppId', value: identity.properties.clientId }" in entries
    assert "{ name: 'BOT_DOMAIN', value: botDomain }" in entries


CHECKS: dict[str, Callable[[Bicep], None]] = {
    "cosmos": check_cosmos, "storage": check_storage, "roles": check_roles, "secrets": check_secrets,
    "apps": check_apps, "bot": check_bot,
}


@pytest.mark.parametrize("check", CHECKS)
def test_main_bicep(check):
    CHECKS[check](bicep())


# Each check, on the file with one thing that matters changed: it must fail.
MUTATIONS = [
    ("cosmos", "disableLocalAuth: true", "disableLocalAuth: false"),
    ("cosmos", "'nonces', ", ""),
    ("storage", "allowBlobPublicAccess: false", "allowBlobPublicAccess: true"),
    ("storage", "allowSharedKeyAccess: false", "allowSharedKeyAccess: true"),
    ("storage", "minimumTlsVersion: 'TLS1_2'", "minimumTlsVersion: 'TLS1_0'"),
    ("storage", "supportsHttpsTrafficOnly: true", "supportsHttpsTrafficOnly: false"),
    ("roles", "ba92f5b4-2d11-453d-a403-e96b0029c9fe", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"),  # Blob Data Reader
    ("roles", "scope: vault\n", "scope: registry\n"),
    ("roles", "scope: storage\n", "scope: cosmos\n"),
    ("roles", "cosmosDataContributor: '00000000-0000-0000-0000-000000000002'",
     "cosmosDataContributor: '00000000-0000-0000-0000-000000000001'"),
    ("secrets", "{ name: 'WECHAT_APP_ID', value: wechatAppId }", "{ name: 'PIN_KEY', value: pinKey }"),
    ("secrets", "{ name: 'WECHAT_APP_ID', value: wechatAppId }", "{ name: 'SOME_API_TOKEN', value: wechatAppId }"),
    ("secrets", "@secure()\n@description('PIN_KEY (phone validation)')", "@description('PIN_KEY (phone validation)')"),
    ("secrets", "  { env: 'MAIL_SMTP_PASSWORD', name: 'mail-smtp-password', value: mailSmtpPassword }\n", ""),
    ("apps", "[{ name: 'WORKER', value: 'off' }]", "[]"),
    ("apps", "{ type: 'Liveness', httpGet: { path: healthPath", "{ type: 'Liveness', httpGet: { path: '/'"),
    ("apps", "var healthPath = '/healthz'", "var healthPath = '/health'"),
    ("bot", "msaAppType: 'UserAssignedMSI'", "msaAppType: 'MultiTenant'"),
]


@pytest.mark.parametrize("check, before, after", MUTATIONS)
def test_each_check_fails_on_the_file_altered(check, before, after):
    text = MAIN.read_text(encoding="utf-8")
    assert before in text, f"the mutation no longer applies: {before!r}"
    with pytest.raises(AssertionError):
        CHECKS[check](bicep(text.replace(before, after, 1)))


def test_the_settings_are_the_apps_own_names():
    b, sources = bicep(), app_sources()
    names = set(env_entries(b)) | {setting for setting, _, _ in vault_table(b)} | {"WORKER"}
    plain_settings = parameters()["plainSettings"]["value"]
    unknown = {n for n in names | set(plain_settings) if not read_by_app(n, sources)}
    assert not unknown, f"the app reads no such setting: {sorted(unknown)}"
    assert not read_by_app("NO_SUCH_SETTING", sources) and read_by_app("ARCHIVE_SMTP_PASSWORD", sources)


def test_outputs_name_the_bot_and_the_identity():
    outputs = dict(re.findall(r"^output (\w+) string = (.+)$", bicep().text, re.M))
    assert outputs["BOT_DOMAIN"] == "botDomain"
    assert outputs["BOT_ID"] == outputs["IDENTITY_CLIENT_ID"] == "identity.properties.clientId"
    # The address for WeChat's allow-list: the NAT gateway's, which every call out of the apps' subnet leaves from.
    assert outputs["EGRESS_IP"] == "network.outputs.egressIp"
    network = Bicep((ROOT / "infra" / "network.bicep").read_text(encoding="utf-8"))
    assert network.one("Microsoft.Network/virtualNetworks").value("natGateway") == "{ id: nat.id }"
    assert network.one("Microsoft.Network/natGateways").value("publicIpAddresses") == "[{ id: egressIp.id }]"
    assert "infrastructureSubnetId: network.outputs.appsSubnetId" in bicep().text


def test_the_parameters_file_gives_every_required_parameter():
    """Every parameter without a default is in infra/main.parameters.json, and nothing else is."""
    b = bicep()
    given = set(parameters())
    required = {p.name for p in b.params.values() if p.default is None}
    assert required <= given <= set(b.params)


def test_the_reader_skips_strings_and_comments():
    text = "resource a 'X/y@1' = {\n  name: '}{'\n  // }\n  x: { y: 1 }\n}\nresource b 'X/z@1' = [for i in l: {\n}]\n"
    b = Bicep(text)
    assert [(r.name, r.type, r.loop) for r in b.resources] == [("a", "X/y", False), ("b", "X/z", True)]
    assert b.named("a").body.endswith("x: { y: 1 }\n}") and b.named("a").value("x") == "{ y: 1 }"
    assert b.named("a").value("name") == "'}{'"
    assert block("['a]', [1]] tail", 0) == "['a]', [1]]"
    with pytest.raises(AssertionError):
        Resource("r", "T", "{}", False).value("missing")
