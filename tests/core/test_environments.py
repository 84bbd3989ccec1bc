"""Environment files: loading, errors, the protected guard, and where their values rank."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tui.core.environments import (
    ProtectedError,
    chosen_name,
    environment_names,
    guard_protected,
    load_environment,
    with_environment,
)
from tui.core.errors import SettingsError, TemplateError
from tui.core.model import Auth, Module, Request
from tui.core.run import run_module
from tui.core.send import Clients
from tui.core.variables import Variables, build_variables
from tui.sandbox import DEMO_TOKEN, Sandbox


def write_env(folder: Path, name: str, text: str) -> Path:
    path = folder / "environments" / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_an_environment_file_is_read(tmp_path: Path) -> None:
    path = write_env(
        tmp_path,
        "production",
        """
        dotenv = ".env.production"
        proxy = "http://proxy.corp.test:3128"
        protected = true

        [variables]
        base_url = "https://api.example.com"
        [variables.source]
        email = "ops@example.com"

        [auth]
        type = "bearer"
        token = "{{env.PROD_TOKEN}}"
        """,
    )
    environment = load_environment(tmp_path, "production")
    assert environment.name == "production" and environment.path == path
    assert environment.variables == (
        ("base_url", "https://api.example.com"),
        ("source.email", "ops@example.com"),
    )
    assert environment.dotenv == tmp_path / ".env.production"  # relative to the profiles folder
    assert environment.proxy == "http://proxy.corp.test:3128"
    assert environment.protected is True
    assert environment.auth == Auth("bearer", (("token", "{{env.PROD_TOKEN}}"),))
    assert environment.warnings == ()


def test_names_and_the_default_from_the_process_environment(tmp_path: Path) -> None:
    assert environment_names(tmp_path) == []
    write_env(tmp_path, "staging", "")
    write_env(tmp_path, "production", "")
    assert environment_names(tmp_path) == ["production", "staging"]
    assert chosen_name("staging", {"HOOKBENCH_ENV": "production"}) == "staging"
    assert chosen_name(None, {"HOOKBENCH_ENV": "production"}) == "production"
    assert chosen_name(None, {}) is None


def test_an_unknown_environment_lists_the_known_ones(tmp_path: Path) -> None:
    write_env(tmp_path, "staging", "")
    with pytest.raises(SettingsError) as caught:
        load_environment(tmp_path, "prod")
    assert str(caught.value) == (
        f"environment 'prod': no such file {tmp_path / 'environments' / 'prod.toml'}; available: staging"
    )
    with pytest.raises(SettingsError, match="a name is letters, digits"):
        load_environment(tmp_path, "../secrets")


def test_errors_and_warnings_name_file_key_and_line(tmp_path: Path) -> None:
    path = write_env(tmp_path, "bad", 'protected = "yes"\n')
    with pytest.raises(SettingsError) as caught:
        load_environment(tmp_path, "bad")
    assert str(caught.value) == f"{path}: protected: must be true or false, not a string (line 1)"
    path = write_env(tmp_path, "typo", 'protect = true\n[variabels]\nx = "1"\n')
    assert load_environment(tmp_path, "typo").warnings == (
        f"{path}: protect: unknown key, kept but not used; did you mean protected? (line 1)",
        f"{path}: variabels: unknown key, kept but not used; did you mean variables? (line 2)",
    )


def test_the_environment_proxy_fills_a_profile_without_one(tmp_path: Path) -> None:
    write_env(tmp_path, "corp", 'proxy = "http://proxy.corp.test:3128"\n')
    environment = load_environment(tmp_path, "corp")
    bare = Module(request=Request(url="http://x.test/"))
    assert with_environment(bare, environment).request.proxy == "http://proxy.corp.test:3128"
    own = Module(request=Request(url="http://x.test/", proxy="http://own.test:8080"))
    assert with_environment(own, environment) is own
    assert with_environment(bare, None) is bare


def test_a_bad_environment_auth_table_names_file_key_and_line(tmp_path: Path) -> None:
    path = write_env(tmp_path, "broken", '[auth]\ntype = "bearr"\n')
    with pytest.raises(SettingsError) as caught:
        load_environment(tmp_path, "broken")
    assert str(caught.value).startswith(f"{path}: auth.type: unknown auth type 'bearr'")
    assert str(caught.value).endswith("(line 2)")
    path = write_env(tmp_path, "typo", '[auth]\ntype = "bearer"\ntoken = "t"\ntokn = "x"\n')
    assert load_environment(tmp_path, "typo").warnings == (
        f"{path}: auth.tokn: unknown key, kept but not used; did you mean token? (line 4)",
    )


async def test_the_environment_auth_applies_to_profiles_with_none(sandbox: Sandbox, tmp_path: Path) -> None:
    write_env(tmp_path, "staging", f'[auth]\ntype = "bearer"\ntoken = "{DEMO_TOKEN}"\n')
    environment = load_environment(tmp_path, "staging")
    bare = Module(request=Request(url=f"{sandbox.base_url}/auth/bearer"))
    own = Module(
        request=Request(
            url=f"{sandbox.base_url}/auth/bearer", auth=Auth("bearer", (("token", "wrong-token"),))
        )
    )
    assert with_environment(own, environment) is own  # the profile's own auth stays
    clients = Clients()
    try:
        without = await run_module(bare, Variables(environ={}), clients)
        with_default = await run_module(with_environment(bare, environment), Variables(environ={}), clients)
        with_own = await run_module(with_environment(own, environment), Variables(environ={}), clients)
    finally:
        await clients.aclose()
    assert (without.status, with_default.status, with_own.status) == (401, 200, 401)


def test_protected_refuses_all_but_get_and_head(tmp_path: Path) -> None:
    write_env(tmp_path, "production", "protected = true\n")
    write_env(tmp_path, "staging", "")
    production, staging = load_environment(tmp_path, "production"), load_environment(tmp_path, "staging")
    guard_protected(production, [("GET", "lookup"), ("head", "probe")])
    guard_protected(staging, [("DELETE", "wipe")])
    guard_protected(None, [("DELETE", "wipe")])
    with pytest.raises(ProtectedError) as caught:
        guard_protected(production, [("GET", "lookup"), ("POST", "create"), ("DELETE", "wipe")])
    assert str(caught.value) == (
        "environment 'production' is protected: not sending POST create, DELETE wipe without "
        "confirmation (add --yes to send it)"
    )


# --------------------------------------------------------------------------- precedence, one row each
# profile [variables] < environment [variables] < --vars-file < published < .env files
# (profiles/.env, then the environment's dotenv, then --env-file) < process environment < --var


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_env(
        tmp_path,
        "staging",
        'dotenv = ".env.staging"\n[variables]\nv = "environment"\n"env.T" = "environment"\n',
    )
    (tmp_path / ".env").write_text("T=profiles-dotenv\n", encoding="utf-8")
    (tmp_path / ".env.staging").write_text("T='environment-dotenv'\n", encoding="utf-8")
    (tmp_path / "extra.env").write_text("T=env-file\n", encoding="utf-8")
    (tmp_path / "vars.toml").write_text('v = "vars-file"\n"env.T" = "vars-file"\n', encoding="utf-8")
    return tmp_path


PROFILE_DEFAULTS = {"v": "profile", "env.T": "profile"}


def chain(folder: Path, *layers: str, environ: dict[str, str] | None = None) -> Variables:
    """The chain for `folder` with the named layers switched on (the folder's .env always is)."""
    built = build_variables(
        folder if "dotenv" in layers else None,
        environment=load_environment(folder, "staging") if "environment" in layers else None,
        vars_file=folder / "vars.toml" if "vars-file" in layers else None,
        env_file=folder / "extra.env" if "env-file" in layers else None,
        assignments=["v=cli", "env.T=cli"] if "var" in layers else [],
    )
    from dataclasses import replace

    built = replace(built, environ=environ or {})
    if "published" in layers:
        built = built.with_published({"v": "published", "env.T": "published"})
    return built.with_defaults(PROFILE_DEFAULTS)


def test_row_1_profile_variables_are_the_floor(folder: Path) -> None:
    assert chain(folder).lookup("v") == "profile"


def test_row_2_environment_variables_beat_the_profile(folder: Path) -> None:
    assert chain(folder, "environment").lookup("v") == "environment"


def test_row_3_vars_file_beats_the_environment(folder: Path) -> None:
    assert chain(folder, "environment", "vars-file").lookup("v") == "vars-file"


def test_row_4_published_values_beat_the_vars_file(folder: Path) -> None:
    assert chain(folder, "environment", "vars-file", "published").lookup("v") == "published"


def test_row_5_dotenv_files_beat_published_values_for_env_names(folder: Path) -> None:
    assert chain(folder, "vars-file", "published").lookup("env.T") == "published"
    assert chain(folder, "vars-file", "published", "dotenv").lookup("env.T") == "profiles-dotenv"
    # then the environment's dotenv, then --env-file
    assert chain(folder, "published", "dotenv", "environment").lookup("env.T") == "environment-dotenv"
    assert chain(folder, "published", "dotenv", "environment", "env-file").lookup("env.T") == "env-file"


def test_row_6_the_process_environment_beats_dotenv_files(folder: Path) -> None:
    layered = chain(folder, "environment", "dotenv", "env-file", environ={"T": "process"})
    assert layered.lookup("env.T") == "process"


def test_row_7_var_beats_everything(folder: Path) -> None:
    everything = chain(
        folder, "environment", "vars-file", "published", "dotenv", "env-file", "var", environ={"T": "process"}
    )
    assert (everything.lookup("v"), everything.lookup("env.T")) == ("cli", "cli")


def test_a_broken_environment_dotenv_names_the_environment(folder: Path) -> None:
    (folder / ".env.staging").write_text("not an assignment\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        build_variables(folder, environment=load_environment(folder, "staging"))
    assert str(caught.value) == (
        f"environment 'staging': dotenv {folder / '.env.staging'}: line 1: expected NAME=value"
    )
