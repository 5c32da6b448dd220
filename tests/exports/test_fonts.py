"""The PDF fonts ship with matchmaker: no system font is needed, and they are the files named."""

import hashlib
from pathlib import Path

import pytest

from matchmaker.exports import pdf

SHIPPED = {
    "DejaVuSans.ttf": "abdc775b21b1bc470d50c97e790d276f2054b7504e56e5bd3e64f48d68582322",
    "DejaVuSans-Bold.ttf": "0d977336a6d5fba34eab8e3199eb218327161b5143749f802982c2bc34df0c96",
    "DroidSansFallbackFull.ttf": "acb6440a713d880a13a21b468ba7cd43f5a2b2934972e51be791c880730777b8",
}


def test_the_fonts_and_their_licences_ship_in_the_package():
    folder = Path(pdf.__file__).with_name("fonts")

    assert pdf.FONT_DIRS == [folder]
    for name, digest in SHIPPED.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    assert {p.name for p in folder.glob("LICENSE-*")} == {
        "LICENSE-DejaVu.txt",
        "LICENSE-DroidSansFallback.txt",
        "LICENSE-DroidSansFallback-Apache-2.0.txt",
    }
    assert set(pdf.FONTS.values()) == set(SHIPPED)


def test_every_font_is_found_without_a_system_font_or_setting(monkeypatch):
    monkeypatch.delenv("MATCHMAKER_FONT_DIR", raising=False)

    found = {name: pdf._font_path(name) for name in SHIPPED}

    assert all(path.parent == pdf.FONT_DIRS[0] for path in found.values())
    assert not any(str(path).startswith("/usr/share/fonts") for path in found.values())


def test_a_missing_font_names_the_file_and_where_it_was_looked_for(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "FONT_DIRS", [tmp_path])
    monkeypatch.delenv("MATCHMAKER_FONT_DIR", raising=False)

    with pytest.raises(pdf.FontsMissing, match=rf"DejaVuSans.ttf is missing from {tmp_path}"):
        pdf._font_path("DejaVuSans.ttf")
