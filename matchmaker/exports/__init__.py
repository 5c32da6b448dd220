"""Exports: the published schedule and people's connections as files other tools take as
they are. Each exporter turns rows into an `Export` (bytes, content type, file name) of a
`FileKind` it declares; nothing here reads the database. `formats.py` lists the schedule's."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Export:
    data: bytes
    content_type: str
    filename: str


@dataclass(frozen=True)
class FileKind:
    """A kind of file: its content type and file-name extension."""

    content_type: str
    extension: str

    def file(self, data: bytes, stem: str) -> Export:
        """`data` as a file of this kind named `stem` plus the extension."""
        return Export(data, self.content_type, f"{stem}.{self.extension}")


CSV = FileKind("text/csv; charset=utf-8", "csv")
ICS = FileKind("text/calendar; charset=utf-8", "ics")
PDF = FileKind("application/pdf", "pdf")
VCF = FileKind("text/vcard; charset=utf-8", "vcf")
JSON = FileKind("application/json", "json")
