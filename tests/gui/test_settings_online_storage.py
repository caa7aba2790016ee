"""Online storage set up in the settings dialog, against a real S3-compatible server on loopback
(moto, tests/support/s3server.py): "Test connection" says in one plain line whether the bucket
can be written and read and, if not, why (wrong secret, unknown key, no permission, no bucket,
nothing answering, no such host, no secure connection); "Add" keeps the address and keys in the
credential store and only the s3:// location in settings.json; a backup and the command line
then reach the place with those keys alone (no AWS variables, no AWS files)."""

from __future__ import annotations

import json
import logging
import os

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring
from PySide6.QtWidgets import QDialogButtonBox

from tests.gui.conftest import wait_backup
from tests.support.s3server import MotoServer, free_port

from kasirbackup.app import online_storage
from kasirbackup.gui.settings_dialog import SettingsDialog

pytest.importorskip("moto.server")

SECRET = "Rahasia/Toko+Budi-9f8e7d6c5b4a"     # any key works until the server checks keys
ACCESS = "AKIATOKOBUDI00000001"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = MotoServer(tmp_path_factory.mktemp("moto"))
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def no_aws_setup(tmp_path, monkeypatch):
    """Nothing from the AWS variables or files: only what the dialog saves can reach the server."""
    for k in [k for k in os.environ if k.startswith("AWS_")]:
        monkeypatch.delenv(k)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


_seq = iter(range(1, 10_000))


@pytest.fixture
def bucket(server) -> str:
    name = f"toko-{os.getpid()}-{next(_seq)}"
    server.client().create_bucket(Bucket=name)
    return name


def open_online_dialog(qtbot, ctx, profile):
    dlg = SettingsDialog(ctx, profile)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.add_online_button.click()
    online = dlg.online_dialog
    assert online.isVisible()
    return dlg, online


def fill(online, address: str, bucket: str, folder: str = "kasir", key: str = ACCESS, secret: str = SECRET) -> None:
    online.provider.setCurrentIndex(online.provider.count() - 1)      # another S3-compatible provider
    online.address.setText(address)
    online.bucket.setText(bucket)
    online.folder.setText(folder)
    online.region.setText("")
    online.access_key.setText(key)
    online.secret_key.setText(secret)


def result_of(qtbot, online) -> str:
    online.test_button.click()
    assert online.result.text() == "Testing the connection…"
    qtbot.waitUntil(lambda: online._job is None, timeout=60000)
    return online.result.text()


def objects(server, bucket: str) -> list[str]:
    return [o["Key"] for o in server.client().list_objects_v2(Bucket=bucket).get("Contents", [])]


def files_text(folder) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*") if p.is_file())


def test_online_storage_added_tested_and_used_with_keys_only_in_the_store(qtbot, ctx, profile, server, bucket,
                                                                          private_dirs, tmp_path, capsys, caplog):
    caplog.set_level(logging.DEBUG, logger="kasirbackup")
    dlg, online = open_online_dialog(qtbot, ctx, profile)
    # the tab talks to a shop owner: no S3 jargon, no AWS variable names
    page_text = " ".join([dlg.places_intro.text(), dlg.add_online_button.text(), dlg.plain_note.text()])
    assert "S3" not in page_text and "AWS" not in page_text
    assert online.secret_key.echoMode() == online.secret_key.EchoMode.Password

    fill(online, server.url, bucket)
    assert result_of(qtbot, online) == "Connected: the bucket can be written and read."
    assert objects(server, bucket) == []                      # the test object is deleted again

    location = f"s3://{bucket}/kasir"
    with qtbot.waitSignal(online.accepted, timeout=30000):
        online.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dlg.repos() == [profile.repos[0], location]
    assert dlg.repo_list.item(1).text() == f"Off-site copy: online storage “{bucket}/kasir”"
    saved = json.loads(private_dirs.store[("kasirbackup", f"online-storage:{location}")])
    assert saved == {"v": 1, "endpoint": server.url, "region": "", "access_key": ACCESS, "secret_key": SECRET}
    assert SECRET not in repr(online_storage.saved_access(location))     # not even in a traceback

    with qtbot.waitSignal(ctx.bus.settings_changed, timeout=5000):
        dlg.buttons.button(QDialogButtonBox.StandardButton.Apply).click()
    settings_file = next((tmp_path / "config").rglob("settings.json"))
    text = settings_file.read_text(encoding="utf-8")
    assert location in text
    written = files_text(tmp_path / "config") + files_text(tmp_path / "data")
    for secret in (SECRET, ACCESS, server.url):
        assert secret not in written, secret

    # a backup reaches the place with the saved keys alone
    res = wait_backup(qtbot, ctx, ctx.profile("Toko"))
    assert res.ok, res.message
    assert [o.ok for o in res.outcomes] == [True, True]
    assert any(k.startswith("kasir/snapshots/") for k in objects(server, bucket))
    assert SECRET not in files_text(tmp_path / "config") + files_text(tmp_path / "data")
    assert "connection test of" in caplog.text and SECRET not in caplog.text

    # and so does the command line (same process, same credential store)
    from kasirbackup.cli.parser import main

    capsys.readouterr()
    assert main(["list", "--repo", location, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in listed] == [o.snapshot_id for o in res.outcomes[1:]]

    # adding it again with new keys updates them (no second place)
    dlg.add_online_button.click()
    again = dlg.online_dialog
    fill(again, server.url, bucket, secret=SECRET + "-new")
    with qtbot.waitSignal(again.accepted, timeout=30000):
        again.add()
    assert dlg.repos() == [profile.repos[0], location]
    assert "are updated" in dlg.place_note.text()
    assert online_storage.saved_access(location).secret_key == SECRET + "-new"


def test_wrong_keys_and_missing_permission_are_said_plainly(qtbot, ctx, profile, server, bucket, caplog):
    caplog.set_level(logging.DEBUG, logger="kasirbackup")
    rw = server.user_keys("kasir-rw", ["s3:*"])
    nothing = server.user_keys("kasir-nothing", None)
    dlg, online = open_online_dialog(qtbot, ctx, profile)
    server.set_auth(True)
    try:
        fill(online, server.url, bucket, key=rw["AccessKeyId"], secret="not-the-secret")
        assert result_of(qtbot, online) == ("Could not connect: the secret key is wrong. Check the keys from "
                                            "your provider.")
        fill(online, server.url, bucket, key="AKIAUNKNOWNUNKNOWN00", secret="not-the-secret")
        assert result_of(qtbot, online) == ("Could not connect: the provider does not know this access key. "
                                            "Check the keys from your provider.")
        fill(online, server.url, bucket, key=nothing["AccessKeyId"], secret=nothing["SecretAccessKey"])
        assert result_of(qtbot, online).startswith("Could not connect: these keys may not write, read and delete")
        fill(online, server.url, bucket, key=rw["AccessKeyId"], secret=rw["SecretAccessKey"])
        assert result_of(qtbot, online) == "Connected: the bucket can be written and read."
    finally:
        server.set_auth(False)
    assert objects(server, bucket) == []
    assert "SignatureDoesNotMatch" in caplog.text          # the log says what the provider said …
    assert "not-the-secret" not in caplog.text and rw["SecretAccessKey"] not in caplog.text   # … never a secret


def test_missing_bucket_and_other_files(qtbot, ctx, profile, server, bucket):
    dlg, online = open_online_dialog(qtbot, ctx, profile)
    fill(online, server.url, bucket + "-nope")
    assert result_of(qtbot, online) == (f"Could not connect: there is no bucket named {bucket}-nope at this "
                                        "provider. Check the name, or create the bucket in your provider's console "
                                        "first.")
    server.client().put_object(Bucket=bucket, Key="kasir/notes.txt", Body=b"someone else's")
    fill(online, server.url, bucket)
    assert result_of(qtbot, online) == ("Connected: the bucket can be written and read. But the folder holds "
                                        "other files: type a new folder name.")
    assert objects(server, bucket) == ["kasir/notes.txt"]


def test_unreachable_addresses(qtbot, ctx, profile, server, bucket):
    dlg, online = open_online_dialog(qtbot, ctx, profile)
    closed = free_port()
    fill(online, f"http://127.0.0.1:{closed}", bucket)
    assert result_of(qtbot, online) == "Could not connect: nothing answers at 127.0.0.1. Check the address."
    fill(online, f"https://127.0.0.1:{server.port}", bucket)           # not an https server
    assert result_of(qtbot, online).startswith("Could not connect: no secure connection could be made to "
                                               "127.0.0.1.")
    fill(online, "http://no-such-host.invalid", bucket)
    assert result_of(qtbot, online) == ("Could not connect: the address no-such-host.invalid cannot be found. "
                                        "Check the address and the internet connection.")
    # nothing was stored by testing
    assert online_storage.saved_access(f"s3://{bucket}/kasir") is None


def test_fields_are_checked_before_anything_is_done(qtbot, ctx, profile, private_dirs):
    dlg, online = open_online_dialog(qtbot, ctx, profile)
    fill(online, "toko.example.com", "toko")
    online.test_button.click()
    assert online.result.text() == "Type the address your provider gives, starting with https://."
    assert online._job is None
    fill(online, "https://ACCOUNT_ID.r2.cloudflarestorage.com", "toko")
    online.add()
    assert online.result.text() == "Type the address your provider gives, starting with https://."
    fill(online, "https://s3.example.com", "x")
    online.add()
    assert online.result.text() == "Type the bucket's name (letters, digits, dots and hyphens)."
    fill(online, "https://s3.example.com", "toko", folder="a/../b")
    online.add()
    assert "“..”" in online.result.text()
    fill(online, "https://s3.example.com", "toko", secret="")
    online.add()
    assert online.result.text() == "Type the secret key."
    assert online.isVisible() and private_dirs.store == {}
    assert dlg.repos() == profile.repos


def test_region_of_well_known_addresses():
    assert online_storage.region_for("https://s3.ap-southeast-3.amazonaws.com") == "ap-southeast-3"
    assert online_storage.region_for("https://s3.us-west-004.backblazeb2.com") == "us-west-004"
    assert online_storage.region_for("https://abc123.r2.cloudflarestorage.com") == "auto"
    assert online_storage.region_for("http://127.0.0.1:9000") == ""


def test_without_a_credential_store_nothing_is_added(qtbot, ctx, profile, server, bucket):
    keyring.set_keyring(FailKeyring())
    dlg, online = open_online_dialog(qtbot, ctx, profile)
    fill(online, server.url, bucket)
    online.add()
    qtbot.waitUntil(lambda: online._job is None, timeout=30000)
    assert online.result.text().startswith("This computer has no secure credential store, so the keys cannot be "
                                           "saved on it.")
    assert online.isVisible()
    assert dlg.repos() == profile.repos
