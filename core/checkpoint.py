"""Signed checkpoints of the audit chain's head, kept outside the database.

`audit.verify` proves the chain is internally consistent, but someone who rewrites the whole
file can recompute every hash, and someone who cuts the newest entries leaves a shorter chain
that still verifies. A checkpoint catches both: it records entry N's hash, signed with the
office's Ed25519 key, and is kept where the database is not (a printout, another disk).
Checking it later demands that entry N still exists with that very hash.

The private key lives in a PEM file encrypted with a passphrase (the best encryption the
`cryptography` package offers); its public half sits beside it in `<key>.pub`, readable without
the passphrase, so anyone holding the public file can check a checkpoint.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from civic import audit
from civic.db import Database
from civic.errors import CivicError
from civic.i18n import _

FORMAT = "civic-checkpoint/1"


@dataclass(frozen=True)
class Checkpoint:
    entry: int
    head: str
    time: str
    key_id: str  # sha256 of the raw public key: which key signed
    signature: str  # base64 of the Ed25519 signature over `message()`

    def message(self) -> bytes:
        # Everything the signature vouches for, in a fixed order; the format name keeps a
        # signature from being replayed as something else the key might sign.
        return f"{FORMAT}\n{self.entry}\n{self.head}\n{self.time}\n{self.key_id}".encode()

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, **asdict(self)}, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str = "checkpoint") -> Checkpoint:
        try:
            data = json.loads(text)
            if data.pop("format", None) != FORMAT:
                raise ValueError("format")
            cp = cls(**data)
            if not isinstance(cp.entry, int) or len(cp.head) != 64:
                raise ValueError("fields")
            return cp
        except (ValueError, TypeError, AttributeError) as exc:
            raise CivicError(_("{file} is not a civic checkpoint file.").format(file=source)) \
                from exc


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    entry: int
    head: str
    entries_now: int
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def public_path(key_path: Path) -> Path:
    return key_path.with_name(key_path.name + ".pub")


def key_id(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()


def _raw(public_key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def create_key(key_path: Path, passphrase: str) -> str:
    """Write a new encrypted private key and its public half; return the key id."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if not passphrase:
        raise CivicError(_("A checkpoint key needs a passphrase."))
    if key_path.exists():
        raise CivicError(_("{path} exists already; it will not be replaced.").format(
            path=key_path))
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode()))
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.write_bytes(pem)
    key_path.chmod(0o600)
    public_path(key_path).write_bytes(public)
    return key_id(_raw(key.public_key()))


def load_private_key(key_path: Path, passphrase: str) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        pem = key_path.read_bytes()
    except OSError as exc:
        raise CivicError(_("Cannot read the checkpoint key {path}: {reason}").format(
            path=key_path, reason=exc.strerror)) from exc
    try:
        key = serialization.load_pem_private_key(pem, password=passphrase.encode())
    except (ValueError, TypeError) as exc:
        raise CivicError(_("Wrong passphrase for {path}, or not a key file.").format(
            path=key_path)) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise CivicError(_("{path} is not an Ed25519 key.").format(path=key_path))
    return key


def load_public_key(path: Path) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except OSError as exc:
        raise CivicError(_("Cannot read the public key {path}: {reason}").format(
            path=path, reason=exc.strerror)) from exc
    except ValueError as exc:
        raise CivicError(_("{path} is not a public key file.").format(path=path)) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise CivicError(_("{path} is not an Ed25519 key.").format(path=path))
    return key


def sign(private_key: Any, entry: int, head: str, time: str) -> Checkpoint:
    unsigned = Checkpoint(entry, head, time, key_id(_raw(private_key.public_key())), "")
    signature = private_key.sign(unsigned.message())
    return Checkpoint(entry, head, time, unsigned.key_id, base64.b64encode(signature).decode())


def signature_ok(cp: Checkpoint, public_key: Any) -> bool:
    from cryptography.exceptions import InvalidSignature

    if cp.key_id != key_id(_raw(public_key)):
        return False
    try:
        public_key.verify(base64.b64decode(cp.signature, validate=True), cp.message())
    except (InvalidSignature, ValueError):
        return False
    return True


def check(db: Database, cp: Checkpoint, public_key: Any) -> CheckResult:
    """Does this database still hold the signed head? Signature, chain, then entry N's hash."""
    total = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]

    def result(ok: bool, reason: str) -> CheckResult:
        return CheckResult(ok, cp.entry, cp.head, total, reason)

    if not signature_ok(cp, public_key):
        return result(False, _("the checkpoint's signature does not match the office's key"))
    chain = audit.verify(db)
    if chain.broken_at is not None:
        return result(False, _("the chain is broken at entry {id}: {reason}").format(
            id=chain.broken_at, reason=chain.reason))
    row = db.execute("SELECT hash FROM audit_log WHERE id = ?", (cp.entry,)).fetchone()
    if row is None:
        return result(False, _("entry {id} is gone: the log was cut back to {n} entries")
                      .format(id=cp.entry, n=total))
    if row[0] != cp.head:
        return result(False, _("entry {id} has a different hash than was signed: the log was "
                               "rewritten").format(id=cp.entry))
    if not chain.ok:  # the chain holds up to the signed head; an operator or setting does not
        return result(False, chain.message())
    return result(True, _("entry {id} still has the signed head; {n} entries since").format(
        id=cp.entry, n=total - cp.entry))


def latest_signed(db: Database) -> dict[str, str]:
    """The last checkpoint recorded in the chain, as the flat keys a notice snapshot keeps."""
    row = db.execute("SELECT payload FROM audit_log WHERE type = 'core.checkpoint_signed'"
                     " ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return {}
    data = json.loads(row[0])
    return {"checkpoint.entry": str(data["entry"]), "checkpoint.head": data["head"],
            "checkpoint.key_id": data["key_id"]}


MIN_PASSPHRASE = 8  # characters: a short passphrase guards the key no better than none


def default_key_path(db_path: str | os.PathLike[str]) -> Path:
    """Where the office's key lives unless named: beside the database, `<db>.checkpoint-key`."""
    return Path(os.fspath(db_path) + ".checkpoint-key")


def sign_chain(office: Any, key_path: Path, passphrase: str,
               output: Path | None = None) -> tuple[Checkpoint, Path, bool]:
    """Sign the chain's head with the office's key (made now, with `passphrase`, if there is
    none yet), record it in the chain and write the checkpoint file (default
    `checkpoint-ENTRY.json`). Returns the checkpoint, the file and whether the key was made.
    `civic audit checkpoint` and the audit screen both sign through here."""
    from civic.events import CheckpointSigned

    created = False
    if not key_path.exists():
        if len(passphrase) < MIN_PASSPHRASE:
            raise CivicError(_("A checkpoint passphrase needs at least 8 characters."))
        create_key(key_path, passphrase)
        created = True
    private = load_private_key(key_path, passphrase)
    entry, head = audit.head(office.db)
    if entry == 0:
        raise CivicError(_("The audit log is empty; there is nothing to sign."))
    cp = sign(private, entry, head, office.now().isoformat())
    out = output or Path(f"checkpoint-{entry}.json")
    try:  # written before it is recorded: a checkpoint in the chain has its file
        out.write_text(cp.to_json(), encoding="utf-8")
    except OSError as exc:
        raise CivicError(_("cannot write {file}: {reason}").format(
            file=out, reason=exc.strerror)) from exc
    office.record(CheckpointSigned(entry=cp.entry, head=cp.head, key_id=cp.key_id,
                                   signature=cp.signature))
    return cp, out, created
