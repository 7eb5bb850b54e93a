"""The recipient list: a CSV file with an ``email`` column (``name`` and ``id`` optional).

Every problem is reported as ``file:line: what is wrong`` before anything is sent.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError

EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"
)
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    id: str = ""
    line: int = 0

    @property
    def key(self) -> str:
        """How the state file knows this person: the address, case-folded."""
        return self.email.lower()

    @property
    def token(self) -> str:
        """The ``{id}`` of the unsubscribe URL: the CSV's id, else a hash of the address."""
        return self.id or hashlib.sha256(self.key.encode()).hexdigest()[:20]


def read_recipients(path) -> list:
    """Every recipient of the CSV file, or a ContentError naming its line."""
    path = Path(path)
    reader = csv.reader(io.StringIO(_text_of(path), newline=""))
    try:
        header = _Header.of(path, next(reader, None))
        recipients, seen = [], {}  # seen: address -> its line
        for row in reader:
            if any(cell.strip() for cell in row):
                recipients.append(_recipient(path, row, reader.line_num, header, seen))
    except csv.Error as error:
        raise ContentError(
            path, f"not a valid CSV file: {error}", reader.line_num
        ) from None
    if not recipients:
        raise ContentError(
            path,
            "the recipient list has no addresses",
            2,
            "add one line per recipient: email,name",
        )
    return recipients


def _text_of(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ContentError(
            path,
            f"cannot read the recipient list: {error.strerror}",
            hint="pass --recipients with a CSV file",
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError(
            path,
            f"invalid UTF-8 byte 0x{raw[error.start]:02x}",
            line,
            "save the file as UTF-8",
        ) from None


@dataclass(frozen=True)
class _Header:
    width: int  # how many fields every row has
    where: dict  # known column name -> its index

    @classmethod
    def of(cls, path: Path, row):
        if row is None:
            raise ContentError(
                path,
                "the recipient list is empty",
                1,
                "the first line must be a header such as: email,name",
            )
        columns = [column.strip().lower() for column in row]
        if "email" not in columns:
            raise ContentError(
                path,
                "no 'email' column in the header",
                1,
                "the first line must be a header such as: email,name",
            )
        return cls(
            len(columns),
            {
                name: columns.index(name)
                for name in ("email", "name", "id")
                if name in columns
            },
        )


def _recipient(path: Path, row, line: int, header: _Header, seen: dict) -> Recipient:
    if len(row) != header.width:
        raise ContentError(
            path,
            f"{len(row)} fields where the header has {header.width}",
            line,
            "quote a name that contains a comma",
        )

    def cell(name):
        return row[header.where[name]].strip() if name in header.where else ""

    email, name = cell("email"), cell("name")
    if not EMAIL.match(email):
        raise ContentError(
            path,
            f"{email!r} is not an email address",
            line,
            "write the address as name@example.org",
        )
    if CONTROL.search(name):
        raise ContentError(path, "the name contains a control character", line)
    if email.lower() in seen:
        raise ContentError(
            path,
            f"{email} is listed twice (first on line {seen[email.lower()]})",
            line,
            "keep one line per address",
        )
    seen[email.lower()] = line
    return Recipient(email, name, cell("id"), line)
