"""m365agents.yml and m365agents.local.yml: read as the Agents Toolkit's CLI reads them (js-yaml, from its own
dependencies) and validated against the CLI's JSON schema of their version; every ${{VARIABLE}} they and
infra/main.parameters.json use is defined somewhere; the app package step builds a package with the
values it is given; provision and deploy run infra/main.bicep."""
from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from tests.infra.test_bicep import app_sources, read_by_app

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "node_modules/@microsoft/m365agentstoolkit-cli"
PROJECTS = ("m365agents.yml", "m365agents.local.yml")
ENVIRONMENTS = {"m365agents.yml": "env/.env.dev", "m365agents.local.yml": "env/.env.local"}
VARIABLE = re.compile(r"\$\{\{(\w+)\}\}")
BUILT_IN = {"TEAMSFX_ENV"}  # set by the toolkit itself
BOT_ID = "3f2b9c1e-5a7d-4e2f-9b8c-1d2e3f4a5b6c"


def load(name: str) -> dict:
    """The file as the CLI loads it (js-yaml's load: anchors and aliases resolved)."""
    node = shutil.which("node")
    if not node or not CLI.is_dir():
        pytest.fail("node or the Agents Toolkit CLI is missing: run scripts/test.sh", pytrace=False)
    script = ("const y = require(require.resolve('js-yaml', {paths: [process.argv[1]]}));"
              "process.stdout.write(JSON.stringify(y.load(require('fs').readFileSync(process.argv[2], 'utf8'))));")
    done = subprocess.run([node, "-e", script, str(CLI), str(ROOT / name)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def steps(project: dict, stage: str, uses: str) -> list[dict]:
    return [step for step in project.get(stage) or [] if step["uses"] == uses]


def env_file(path: str) -> dict[str, str]:
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def schema_errors(project: dict) -> list[str]:
    schema_path = CLI / "resource/yaml-schema" / project["version"] / "yaml.schema.json"
    assert schema_path.is_file(), f"the CLI has no schema for {project['version']}"
    errors = Draft7Validator(json.loads(schema_path.read_text())).iter_errors(project)
    return sorted(f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors)


@pytest.mark.parametrize("name", PROJECTS)
def test_valid_against_the_clis_schema_of_its_version(name):
    project = load(name)
    assert not schema_errors(project)
    project["provision"][0]["with"]["nmae"] = project["provision"][0]["with"].pop("name")  # a typo
    assert schema_errors(project)


@pytest.mark.parametrize("name", PROJECTS)
def test_every_variable_used_is_defined(name):
    """In the environment file, written by an earlier action (its outputs, writeToEnvironmentFile, a
    script's ::set-teamsfx-env), a secret of the .user file (SECRET_*), or the toolkit's own."""
    text = (ROOT / name).read_text(encoding="utf-8")
    used = set(VARIABLE.findall(text))
    defined = set(env_file(ENVIRONMENTS[name])) | BUILT_IN
    defined |= set(re.findall(r"^\s+\w+: ([A-Z][A-Z0-9_]*)$", text, re.M))  # writeToEnvironmentFile
    defined |= set(re.findall(r"::set-teamsfx-env (\w+)=", text))
    if steps(load(name), "provision", "arm/deploy"):
        bicep = (ROOT / "infra/main.bicep").read_text(encoding="utf-8")
        defined |= set(re.findall(r"^output (\w+) ", bicep, re.M))
        used |= set(VARIABLE.findall((ROOT / "infra/main.parameters.json").read_text(encoding="utf-8")))
    missing = {v for v in used - defined if not v.startswith("SECRET_")}
    assert not missing, f"{name} uses variables nothing defines: {sorted(missing)}"


def test_provision_and_deploy_run_the_bicep_and_deploy_builds_the_image_first():
    project = load("m365agents.yml")
    for stage in ("provision", "deploy"):
        (deploy,) = steps(project, stage, "arm/deploy")
        (template,) = deploy["with"]["templates"]
        assert (template["path"], template["parameters"]) == ("./infra/main.bicep", "./infra/main.parameters.json")
    uses = [step["uses"] for step in project["deploy"]]
    assert uses == ["script", "arm/deploy"]
    build = project["deploy"][0]["with"]["run"]
    assert "az acr build" in build and "::set-teamsfx-env CONTAINER_IMAGE=" in build
    assert '"containerImage": { "value": "${{CONTAINER_IMAGE}}" }' in (ROOT / "infra/main.parameters.json").read_text()


@pytest.mark.parametrize("name, stages", [("m365agents.yml", ("provision", "publish")),
                                          ("m365agents.local.yml", ("provision",))])
def test_the_package_the_toolkit_validates_and_uploads_is_the_one_tools_app_package_builds(name, stages, tmp_path):
    project = load(name)
    for stage in stages:
        (script,) = [s for s in steps(project, stage, "script") if "tools.app_package" in s["with"]["run"]]
        args = shlex.split(script["with"]["run"])
        out = args[args.index("--out") + 1]
        later = [s for s in project[stage] if s["uses"].startswith("teamsApp/") and "appPackagePath" in s["with"]]
        assert [s["uses"] for s in later][:2] == ["teamsApp/validateAppPackage", "teamsApp/update"]
        assert {s["with"]["appPackagePath"].removeprefix("./") for s in later} == {out}
    # The step's command, run with the values the toolkit would give it: a package with them in it.
    values = {"BOT_ID": BOT_ID, "BOT_DOMAIN": "bridge.example.com", "TEAMSFX_ENV": "dev",
              "TEAMS_APP_ID": "0b7f5c9e-1d2a-4b3c-8e4f-5a6b7c8d9e0f", "TEAMS_APP_FIRM_NAME": "Contoso Wealth",
              "TEAMS_APP_WEBSITE_URL": "https://contoso.com/wechat", "TEAMS_APP_PRIVACY_URL": "https://contoso.com/privacy",
              "TEAMS_APP_TERMS_URL": "https://contoso.com/terms"}

    def resolve(text: str) -> str:
        return VARIABLE.sub(lambda m: values[m.group(1)], text)

    args = shlex.split(resolve(script["with"]["run"]))
    assert args[0] == ".venv/bin/python"
    env = {"PATH": "", "PYTHONPATH": str(ROOT), **{k: resolve(v) for k, v in script["env"].items()}}
    done = subprocess.run([sys.executable, *args[1:]], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=60)
    # From tmp_path (no .env there), the package written there; the tool found through PYTHONPATH.
    assert done.returncode == 0, done.stderr
    manifest = json.loads(zipfile.ZipFile(tmp_path / args[args.index("--out") + 1]).read("manifest.json"))
    assert manifest["id"] == values["TEAMS_APP_ID"] and manifest["bots"][0]["botId"] == BOT_ID
    assert "bridge.example.com" in manifest["validDomains"]


def test_the_local_project_writes_the_settings_the_app_reads():
    (write,) = steps(load("m365agents.local.yml"), "deploy", "file/createOrUpdateEnvironmentFile")
    assert write["with"]["target"] == "./.env"
    sources = app_sources()
    assert all(read_by_app(name, sources) for name in write["with"]["envs"]), write["with"]["envs"]
    assert write["with"]["envs"]["MicrosoftAppType"] == "SingleTenant"
