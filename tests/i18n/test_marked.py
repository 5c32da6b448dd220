"""Every word a template shows is marked for translation: text between tags and the values of
attributes people read (aria-label, title, alt, placeholder) must be inside {% trans %} or
{{ _(...) }}. The templates not translated yet are listed; each of them must still hold an
unmarked word (so the list only shrinks), and every other one none."""

import re
from pathlib import Path

import jinja2
import pytest

import matchmaker

TEMPLATES = Path(matchmaker.__file__).parent / "templates"
# Templates not translated yet (none now; a new one starts here if it must wait).
NOT_YET: set[str] = set()
READ_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|alt|placeholder)="([^"{]*)"')
WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
NAMES = {"matchmaker", "HTTP", "UTC", "PDF", "CSV"}  # names that are the same in every language
ENTITY = re.compile(r"&[a-z]+;|&#\d+;")


def unmarked(source: str) -> list[str]:
    """The words of a template outside any trans block or gettext call."""
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    shown, depth = [], 0
    tokens = list(env.lex(source))
    for k, (_line, kind, value) in enumerate(tokens):
        if kind == "name" and value == "trans" and tokens[k - 2][1] == "block_begin":
            depth += 1
        elif kind == "name" and value == "endtrans":
            depth -= 1
        if kind == "data":
            shown.append(value if depth == 0 else " ")
        elif kind in ("variable_begin", "block_begin", "comment_begin"):
            shown.append("§")  # an expression: not a word of ours, and no tag's end either
    page = "".join(shown)
    readable = " ".join(READ_ATTRIBUTES.findall(page))
    text = ENTITY.sub(" ", re.sub(r"<[^>]*>", " ", page)) + " " + readable
    return [w for w in WORD.findall(text) if w not in NAMES]


def _templates():
    return sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*") if p.is_file())


def _pending(name: str) -> bool:
    return any(Path(name).match(pattern) for pattern in NOT_YET)


@pytest.mark.parametrize("name", _templates())
def test_a_template_marks_every_word_it_shows(name):
    words = unmarked((TEMPLATES / name).read_text(encoding="utf-8"))
    if _pending(name):
        assert words, f"{name} is translated now: take it off NOT_YET"
    else:
        assert words == [], f"{name} shows words not marked for translation: {words[:10]}"


def test_the_checker_finds_unmarked_words():
    assert unmarked("<p>Hello <b>{{ name }}</b></p>") == ["Hello"]
    assert unmarked('<a title="Open it">{% trans %}Go{% endtrans %}</a>') == ["Open", "it"]
    assert unmarked("<p>{% trans n=1 %}One {{ n }}{% endtrans %}</p>{{ _('x') }}") == []
