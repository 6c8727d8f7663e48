"""Production settings pass Django's deployment checks; the `kam` CLI is installed."""

import os
import shutil
import subprocess
import sys

import pytest


def run_kam(*args: str, **env: str) -> subprocess.CompletedProcess:
    kam = shutil.which("kam", path=os.path.dirname(sys.executable))
    assert kam, "the `kam` console script is missing: run `uv sync`"
    unwanted = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in unwanted}
    return subprocess.run(
        [kam, *args],
        capture_output=True,
        text=True,
        env={**environment, **env},
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = run_kam(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="openkam.config.settings.production",
        SECRET_KEY="x7#-" + "production-secret-from-the-environment-" * 2,
        ALLOWED_HOSTS="kam.example.com",
        KAM_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    unwanted = {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(
        DJANGO_SETTINGS_MODULE="openkam.config.settings.production",
        ALLOWED_HOSTS="kam.example.com",
        KAM_DATA_DIR=str(tmp_path),
    )
    kam = shutil.which("kam", path=os.path.dirname(sys.executable))
    result = subprocess.run(
        [kam, "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked_for():
    from django.conf import settings

    assert settings.DEBUG is False


@pytest.mark.parametrize("command", ["demo", "serve", "setup", "migrate", "createsuperuser"])
def test_kam_lists_its_commands(command):
    result = run_kam("help", command, KAM_DATA_DIR="/tmp/openkam-cli-test")
    assert result.returncode == 0, result.stderr
    assert f"usage: kam {command}" in result.stdout
