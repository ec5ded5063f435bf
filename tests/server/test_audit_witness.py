"""The audit log proves itself against its own administrator: the heads are signed with a key
the database does not hold and witnessed outside it, and `keten audit verify` catches the
rewrites a self-consistent chain hides (a record altered with every later hash recomputed, a
tail cut with the head moved back, a lane dropped with its head), as well as a forged, edited
or removed checkpoint.

Every test runs the real CLI and writes its records through the service layer, in another
process (``tests/server/audit_tamper.py``), on SQLite or, with ``KETEN_DATABASE_URL``, on
PostgreSQL."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.live import REPO, database_env, keten, start

READ_BEFORE, READ_AFTER = 5, 3  # records before the test's checkpoint, and after it


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


def _do(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.server.audit_tamper", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-3000:]


def _witness(env: dict[str, str]) -> Path:
    return Path(
        env.get("KETEN_AUDIT_WITNESS") or Path(env["KETEN_VAR_DIR"]) / "audit/witness.jsonl"
    )


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _busiest(env: dict[str, str]) -> tuple[str, int]:
    """The lane the last checkpoint saw furthest along, and the record it saw there."""
    heads = _lines(_witness(env))[-1]["heads"]
    lane = max(heads, key=lambda k: heads[k][0])
    return lane, int(heads[lane][0])


def _logged(tmp: Path, name: str) -> dict[str, str]:
    """A fresh database: set up (a first checkpoint, of empty lanes), five reads, a
    checkpoint (`keten audit witness`), three reads the checkpoint has not seen."""
    env = database_env(name, tmp)
    keten(env, "server", "setup", "--persons", "2")
    _do(env, "read", str(READ_BEFORE))
    keten(env, "audit", "witness")
    _do(env, "read", str(READ_AFTER))
    return env


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One witnessed log for the tests that leave its database alone."""
    return _logged(tmp_path_factory.mktemp("witnessed"), f"keten_witnessed_{_worker()}")


def _verify(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return keten(env, "audit", "verify", *args, check=False)


def _copy(env: dict[str, str], tmp: Path) -> dict[str, str]:
    """The environment with its own copy of the witness, the signing key and the public keys,
    so that a test may change them without touching the shared log's."""
    audit = Path(env["KETEN_VAR_DIR"]) / "audit"
    shutil.copy2(audit / "witness.jsonl", tmp / "witness.jsonl")
    shutil.copy2(audit / "signing.key", tmp / "signing.key")
    shutil.copytree(audit / "keys", tmp / "keys")
    return {
        **env,
        "KETEN_AUDIT_WITNESS": str(tmp / "witness.jsonl"),
        "KETEN_AUDIT_SIGNING_KEY": str(tmp / "signing.key"),
        "KETEN_AUDIT_KEYS": str(tmp / "keys"),
    }


def test_an_untouched_log_verifies_against_its_checkpoints(logged: dict[str, str]) -> None:
    result = _verify(logged, "--require-witness")
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "intact" in out and "agrees with 2 signed checkpoint(s)" in out
    # the records after the last checkpoint: only the chain protects them, and verify says so
    assert f"{READ_AFTER} record(s) written since the last checkpoint" in out
    assert "protected only by the hash chain" in out


def test_without_a_witness_the_log_is_checked_only_against_itself(
    logged: dict[str, str], tmp_path: Path
) -> None:
    absent = str(tmp_path / "no-witness.jsonl")
    result = _verify(logged, "--witness", absent)
    assert result.returncode == 0, result.stderr
    assert "intact against itself" in result.stdout
    assert "only checked against itself" in " ".join(result.stderr.split())
    assert _verify(logged, "--witness", absent, "--require-witness").returncode == 1


@pytest.mark.parametrize("rewrite", ["rewrite", "truncate", "drop"])
def test_verify_catches_a_rewrite_the_chain_alone_calls_intact(
    tmp_path: Path, rewrite: str
) -> None:
    """Each rewrite leaves every lane consistent with itself: verify without a witness calls
    the log intact. Against the signed checkpoint it exits 1 and names the lane and record."""
    env = _logged(tmp_path, f"keten_witness_{rewrite}")
    lane, seen = _busiest(env)
    assert seen == READ_BEFORE, "every read of one quiet process appends to the same lane"
    assert _verify(env).returncode == 0
    expected: tuple[str, ...]
    if rewrite == "rewrite":
        _do(env, "rewrite", lane, "2")  # record 2 and every hash after it, and the head
        expected = (
            f"lane {lane}, record {seen}: hash differs from the one witnessed by the checkpoint of",
            f"a record from 1 to {seen} was rewritten",
        )
    elif rewrite == "truncate":
        _do(env, "truncate", lane, "2")  # records 3 and later deleted, the head moved to 2
        expected = (
            f"lane {lane}, record {seen}: witnessed by the checkpoint of",
            "the lane now ends at record 2",
        )
    else:
        _do(env, "drop", lane)  # every record of the lane and its head row
        expected = (f"lane {lane}, record {seen}: lane dropped",)

    alone = _verify(env, "--witness", str(tmp_path / "none.jsonl"))
    assert alone.returncode == 0 and "intact against itself" in alone.stdout, alone.stderr

    result = _verify(env)
    assert result.returncode == 1, result.stdout
    said = " ".join(result.stderr.split())
    for text in expected:
        assert text in said, said
    assert "(witness line 2)" in said  # the checkpoint of `keten audit witness`


def _rewrite_line(path: Path, number: int, change: Any) -> None:
    lines = path.read_text().splitlines()
    fields = json.loads(lines[number - 1])
    change(fields)
    lines[number - 1] = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    path.write_text("\n".join(lines) + "\n")


def test_an_edited_witness_line_is_detected(logged: dict[str, str], tmp_path: Path) -> None:
    env = _copy(logged, tmp_path)
    witness = _witness(env)
    assert _verify(env).returncode == 0

    # The last checkpoint moved back to what a cut tail would need: its signature breaks.
    lane, seen = _busiest(env)
    _rewrite_line(witness, 2, lambda f: f["heads"][lane].__setitem__(0, seen - 1))
    result = _verify(env)
    assert result.returncode == 1
    assert "witness line 2: signature does not verify" in result.stderr

    # An earlier line edited: its own signature and the next line's link both break.
    shutil.copy2(Path(logged["KETEN_VAR_DIR"]) / "audit/witness.jsonl", witness)
    _rewrite_line(witness, 1, lambda f: f.__setitem__("at", "2020-01-01T00:00:00.000000Z"))
    said = " ".join(_verify(env).stderr.split())
    assert "witness line 1: signature does not verify" in said
    assert "witness line 2: its link does not match the line before it" in said


def test_a_removed_witness_line_is_detected(logged: dict[str, str], tmp_path: Path) -> None:
    env = _copy(logged, tmp_path)
    witness = _witness(env)
    witness.write_text(witness.read_text().splitlines(keepends=True)[1])
    result = _verify(env)
    assert result.returncode == 1
    assert "witness line 1: its link does not match the line before it" in result.stderr


def test_a_checkpoint_signed_by_an_unknown_key_is_refused(
    logged: dict[str, str], tmp_path: Path
) -> None:
    """Someone makes a key of their own and appends a checkpoint signed with it, to vouch
    for a rewritten log: its key is not among the known public keys."""
    env = _copy(logged, tmp_path)
    rogue = {
        **env,
        "KETEN_AUDIT_SIGNING_KEY": str(tmp_path / "rogue.key"),
        "KETEN_AUDIT_KEYS": str(tmp_path / "rogue-keys"),
    }
    keten(rogue, "audit", "new-key")
    (rogue_pub,) = (tmp_path / "rogue-keys").glob("*.pub")
    assert _lines(_witness(env))[-1]["key_id"] == rogue_pub.stem
    result = _verify(env)
    assert result.returncode == 1
    said = " ".join(result.stderr.split())
    assert f"witness line 3: signed by key {rogue_pub.stem}, which is not among the known" in said


def test_after_a_key_rotation_old_and_new_checkpoints_verify(
    logged: dict[str, str], tmp_path: Path
) -> None:
    env = _copy(logged, tmp_path)
    old = json.loads(_witness(env).read_text().splitlines()[0])["key_id"]
    rotated = keten(env, "audit", "new-key")
    assert f"the old key {old}'s public key stays" in " ".join(rotated.stdout.split())
    keten(env, "audit", "witness")
    key_ids = [line["key_id"] for line in _lines(_witness(env))]
    new = key_ids[-1]
    assert key_ids == [old, old, new, new] and new != old
    assert sorted(p.stem for p in (tmp_path / "keys").glob("*.pub")) == sorted([old, new])
    assert (tmp_path / "signing.key").stat().st_mode & 0o777 == 0o600

    result = _verify(env, "--require-witness")
    assert result.returncode == 0, result.stderr
    assert "agrees with 4 signed checkpoint(s)" in " ".join(result.stdout.split())

    # The old public key is what keeps the old checkpoints verifiable.
    (tmp_path / "keys" / f"{old}.pub").unlink()
    said = " ".join(_verify(env).stderr.split())
    assert f"witness line 1: signed by key {old}, which is not among the known" in said
    assert "witness line 3" not in said


def test_a_witness_program_gets_every_line_and_its_failure_writes_none(
    logged: dict[str, str], tmp_path: Path
) -> None:
    env = _copy(logged, tmp_path)
    witness = _witness(env)
    before = witness.read_bytes()
    failing = "sh -c 'cat >/dev/null; echo remote log unreachable >&2; exit 3'"
    result = keten({**env, "KETEN_AUDIT_WITNESS_EXEC": failing}, "audit", "witness", check=False)
    assert result.returncode == 1
    said = " ".join(result.stderr.split())
    assert "exited 3" in said and "remote log unreachable" in said
    assert witness.read_bytes() == before  # not in the file either: the copies stay alike

    remote = tmp_path / "remote.jsonl"
    sending = f"sh -c {shlex.quote(f'cat >> {shlex.quote(str(remote))}')}"
    keten({**env, "KETEN_AUDIT_WITNESS_EXEC": sending}, "audit", "witness")
    new = witness.read_bytes()[len(before) :]
    assert new.count(b"\n") == 1 and remote.read_bytes() == new
    assert _verify(env).returncode == 0


def test_concurrent_writers_chain_every_checkpoint(logged: dict[str, str], tmp_path: Path) -> None:
    """Three processes write fifteen checkpoints each into one witness at once: the lock
    keeps every line whole and every link pointing at the line written before it."""
    env = _copy(logged, tmp_path)
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.server.audit_tamper", "checkpoints", "15"],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err.decode()[-3000:]
    assert len(_lines(_witness(env))) == 2 + 45
    result = _verify(env)
    assert result.returncode == 0, result.stderr
    assert "agrees with 47 signed checkpoint(s)" in " ".join(result.stdout.split())


def _wait_for(condition: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def witnessing_server(tmp_path: Path) -> Iterator[tuple[dict[str, str], Path]]:
    """A server whose witness thread runs every second and sends each line to a program."""
    remote = tmp_path / "remote.jsonl"
    env = {
        **database_env(f"keten_witness_server_{_worker()}", tmp_path),
        "KETEN_AUDIT_WITNESS_SECONDS": "1",
        "KETEN_AUDIT_WITNESS_EXEC": f"sh -c {shlex.quote(f'cat >> {shlex.quote(str(remote))}')}",
    }
    server = start(env, persons=2)
    try:
        yield env, remote
    finally:
        server.stop()


def test_the_server_witnesses_new_records_every_interval(
    witnessing_server: tuple[dict[str, str], Path],
) -> None:
    env, remote = witnessing_server
    witness = _witness(env)
    assert len(_lines(witness)) == 1  # setup's; the idle server adds none for the same heads

    _do(env, "read", "4")  # another process writes; only the server's thread witnesses

    def witnessed() -> bool:
        return sum(int(h[0]) for h in _lines(witness)[-1]["heads"].values()) == 4

    assert _wait_for(witnessed, 20), witness.read_text()
    assert remote.read_bytes() == witness.read_bytes()  # every line went through the program
    settled = len(_lines(witness))
    time.sleep(2.5)  # two more intervals with nothing new: nothing written
    assert len(_lines(witness)) == settled

    result = _verify(env, "--require-witness")
    assert result.returncode == 0, result.stderr
    assert "0 record(s) written since the last checkpoint" in " ".join(result.stdout.split())
