"""A real OpenLDAP server (Debian's ``slapd``) for the directory sign-in tests.

``running_directory()`` makes a throwaway directory in a temporary folder: a CA and a server
certificate made with ``openssl`` for 127.0.0.1, a ``slapd.conf`` with the core, cosine and
inetOrgPerson schemas, a service account that may read people, and the people of ``PEOPLE``
(``uid`` is the user name, ``employeeNumber`` holds the 職員番号, as ``employeeID`` does in
Active Directory). slapd listens on two free loopback ports, plain LDAP (StartTLS offered)
and LDAPS, runs in the foreground and is stopped when the context ends. Nothing of the
machine's own slapd (its configuration, port 389) is used.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SLAPD_CANDIDATES = ("/usr/sbin/slapd",)
SCHEMA_DIR = Path("/etc/ldap/schema")
MODULE_DIR = Path("/usr/lib/ldap")

BASE = "dc=city,dc=example"
PEOPLE_BASE = f"ou=people,{BASE}"
READER_DN = f"cn=dx-reader,{BASE}"
READER_PASSWORD = "reader-secret-42"
ADMIN_DN = f"cn=admin,{BASE}"
ADMIN_PASSWORD = "admin-secret-42"


@dataclass(frozen=True)
class Person:
    uid: str
    password: str
    employee_number: str | None


#: Directory accounts of the tests. The roster (the test database) decides who may sign in.
PEOPLE = (
    Person("sato.hanako", "Sato-passw0rd!", "123456"),
    Person("suzuki.ichiro", "Suzuki-passw0rd!", "234567"),  # left the city (inactive)
    Person("tanaka.jiro", "Tanaka-passw0rd!", "999999"),  # in the directory, not the roster
    Person("kato.noid", "Kato-passw0rd!", None),  # no employee number in the directory
    # Two entries that one login finds: "twin" is one's uid and the other's number.
    Person("twin", "Twin-passw0rd!", "345678"),
    Person("twin.other", "Twin-other-passw0rd!", "TWIN"),
)


@dataclass(frozen=True)
class Directory:
    host: str
    ldap_port: int
    ldaps_port: int
    ca_file: Path
    workdir: Path

    @property
    def ldap_uri(self) -> str:
        return f"ldap://{self.host}:{self.ldap_port}"

    @property
    def ldaps_uri(self) -> str:
        return f"ldaps://{self.host}:{self.ldaps_port}"

    def log(self) -> str:
        try:
            return (self.workdir / "slapd.log").read_text(errors="replace")
        except OSError:
            return ""


def slapd_path() -> str | None:
    for candidate in (shutil.which("slapd"), *SLAPD_CANDIDATES):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(argv: list[str], **kwargs) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{result.stdout}{result.stderr}")


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for 127.0.0.1 (and only that name) signed by it.
    Returns the CA certificate, the server certificate and its key."""
    ca_key, ca_cert = folder / "ca.key", folder / "ca.crt"
    key, csr, cert = folder / "server.key", folder / "server.csr", folder / "server.crt"
    ext = folder / "server.ext"
    ext.write_text(
        "basicConstraints=CA:FALSE\n"
        "keyUsage=digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\n"
        "subjectAltName=IP:127.0.0.1\n"
    )
    _run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key),
          "-out", str(ca_cert), "-days", "2", "-subj", "/CN=DX test directory CA",
          "-addext", "basicConstraints=critical,CA:TRUE",
          "-addext", "keyUsage=critical,keyCertSign,cRLSign"])  # fmt: skip
    _run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
          "-out", str(csr), "-subj", "/CN=127.0.0.1"])  # fmt: skip
    _run(["openssl", "x509", "-req", "-in", str(csr), "-CA", str(ca_cert), "-CAkey", str(ca_key),
          "-CAcreateserial", "-out", str(cert), "-days", "2", "-extfile", str(ext)])  # fmt: skip
    return ca_cert, cert, key


def _config(workdir: Path, ca: Path, cert: Path, key: Path) -> str:
    modules = f"modulepath {MODULE_DIR}\nmoduleload back_mdb\n" if MODULE_DIR.exists() else ""
    schemas = "".join(
        f"include {SCHEMA_DIR / name}.schema\n" for name in ("core", "cosine", "inetorgperson")
    )
    return (
        f"{schemas}{modules}"
        f"pidfile {workdir / 'slapd.pid'}\n"
        f"argsfile {workdir / 'slapd.args'}\n"
        f"TLSCACertificateFile {ca}\n"
        f"TLSCertificateFile {cert}\n"
        f"TLSCertificateKeyFile {key}\n"
        # Nobody searches anonymously: the service account must, as in Active Directory.
        "disallow bind_anon\n"
        "loglevel stats\n"
        "database mdb\n"
        "maxsize 10485760\n"
        f"suffix {BASE}\n"
        f"rootdn {ADMIN_DN}\n"
        f"rootpw {ADMIN_PASSWORD}\n"
        f"directory {workdir / 'data'}\n"
        "index objectClass eq\n"
        "index uid,employeeNumber eq\n"
        # Passwords: anyone may bind with them, nobody reads them.
        "access to attrs=userPassword\n"
        "  by anonymous auth\n"
        "  by * none\n"
        # People: the service account reads them, a person reads their own entry.
        "access to *\n"
        f'  by dn.exact="{READER_DN}" read\n'
        "  by self read\n"
        "  by * none\n"
    )


def _entries() -> str:
    blocks = [
        f"dn: {BASE}\nobjectClass: dcObject\nobjectClass: organization\ndc: city\no: City\n",
        f"dn: {PEOPLE_BASE}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: {READER_DN}\nobjectClass: person\ncn: dx-reader\nsn: reader\n"
        f"userPassword: {READER_PASSWORD}\n",
    ]
    for person in PEOPLE:
        number = f"employeeNumber: {person.employee_number}\n" if person.employee_number else ""
        blocks.append(
            f"dn: uid={person.uid},{PEOPLE_BASE}\nobjectClass: inetOrgPerson\n"
            f"uid: {person.uid}\ncn: {person.uid}\nsn: {person.uid.split('.')[0]}\n"
            f"userPassword: {person.password}\n{number}"
        )
    return "\n".join(blocks)


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


@contextlib.contextmanager
def running_directory() -> Iterator[Directory]:
    """Start slapd in a temporary folder; stop it and remove the folder afterwards."""
    slapd = slapd_path()
    if slapd is None:
        raise RuntimeError("slapd is not installed (Debian: apt-get install slapd ldap-utils)")
    workdir = Path(tempfile.mkdtemp(prefix="dx-test-slapd-"))
    process = None
    log = None
    try:
        ca, cert, key = make_certificates(workdir)
        (workdir / "data").mkdir()
        conf = workdir / "slapd.conf"
        conf.write_text(_config(workdir, ca, cert, key))
        (workdir / "people.ldif").write_text(_entries())
        slapadd = shutil.which("slapadd") or str(Path(slapd).with_name("slapadd"))
        _run([slapadd, "-f", str(conf), "-l", str(workdir / "people.ldif")])
        directory = Directory("127.0.0.1", free_port(), free_port(), ca, workdir)
        log = (workdir / "slapd.log").open("wb")
        urls = f"ldap://127.0.0.1:{directory.ldap_port}/ ldaps://127.0.0.1:{directory.ldaps_port}/"
        # -d keeps slapd in the foreground (so we own the process), logging to stderr.
        process = subprocess.Popen(
            [slapd, "-f", str(conf), "-h", urls, "-d", "stats"],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while not (_answers(directory.ldap_port) and _answers(directory.ldaps_port)):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"slapd did not start:\n{directory.log()[-3000:]}")
            time.sleep(0.05)
        yield directory
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if log is not None:
            log.close()
        shutil.rmtree(workdir, ignore_errors=True)
