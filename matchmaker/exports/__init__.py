"""Exports: the published schedule as files other tools take as they are. Each function turns
rows into an `Export` (bytes, content type, file name); nothing here reads the database."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Export:
    data: bytes
    content_type: str
    filename: str
