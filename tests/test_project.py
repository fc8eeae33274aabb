"""The project's promises about itself: the README, the environment file, the offline template."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from click.testing import CliRunner

from outcomes import cli, render

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    listed = set()
    for item in environment["dependencies"]:
        if isinstance(item, dict):
            listed |= {_name(r) for r in item["pip"] if not r.startswith("-")}
        elif _name(item) not in {"python", "pip"}:
            listed.add(_name(item))
    assert listed == wanted


def test_readme_starts_with_the_two_commands_and_documents_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", readme, re.S).group(1)
    assert "make report" in first_block and "make test" in first_block
    for command in cli.main.commands:
        assert f"outcomes {command}" in readme, f"README does not document 'outcomes {command}'"


def test_every_command_has_help():
    runner = CliRunner()
    for name, command in cli.main.commands.items():
        assert command.help, name
        assert runner.invoke(cli.main, [name, "--help"]).exit_code == 0


def test_ci_runs_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_template_loads_nothing_from_the_network():
    for path in (render.template_dir() / "outcomes").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"https?://|//cdn|@import", text), path
