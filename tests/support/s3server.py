"""A real S3-compatible server on loopback for tests: moto's (``python -m moto.server``) on a
free port of 127.0.0.1, with helpers to switch its key checking on and to make IAM keys.

moto accepts any keys unless told to check them; then only keys made through its IAM API
work, and a wrong secret is refused as it is by AWS (``SignatureDoesNotMatch``)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/moto-api/", timeout=1):
            return True
    except OSError:
        return False


class MotoServer:
    def __init__(self, logdir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(logdir / "moto.log", "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while not _answers(self.url):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("moto server did not start: " + (logdir / "moto.log").read_text())
            time.sleep(0.1)

    def client(self, service: str = "s3", key: str = "test", secret: str = "test"):
        import boto3

        return boto3.client(service, endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id=key, aws_secret_access_key=secret)

    def set_auth(self, enforce: bool) -> None:
        """moto accepts any credentials unless told to check them (then only IAM keys work)."""
        req = urllib.request.Request(self.url + "/moto-api/reset-auth", data=b"0" if enforce else b"inf",
                                     method="POST", headers={"Content-Type": "text/plain"})
        with urllib.request.urlopen(req, timeout=5) as resp:
            json.load(resp)

    def user_keys(self, name: str, actions: list[str] | None) -> dict:
        """An IAM user allowed ``actions`` on everything (none: no policy at all) and its new
        access key (``AccessKeyId``, ``SecretAccessKey``). Make them before ``set_auth(True)``."""
        iam = self.client("iam")
        iam.create_user(UserName=name)
        if actions:
            iam.put_user_policy(UserName=name, PolicyName=f"{name}-policy", PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}))
        return iam.create_access_key(UserName=name)["AccessKey"]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
