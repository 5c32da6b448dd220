"""The demo's crowd, written as people at a tech conference write about themselves: names from
the countries such a conference draws (no titles, none twice), companies and job titles that
fit, and bios, "looking for" and "can help with" in the first person, varied. Everything is
drawn from a seeded random generator, so the same seed gives the same crowd."""

import random
import unicodedata
from dataclasses import dataclass

from faker import Faker

# Where a European Python conference's attendees come from, roughly.
LOCALES = ("en_GB", "en_GB", "de_DE", "de_DE", "fr_FR", "nl_NL", "es_ES", "it_IT", "pl_PL",
           "sv_SE", "pt_PT", "en_IN", "en_US")  # fmt: skip

COMPANIES = (
    "Kestrel Labs", "Northwind Analytics", "Tidewater Cloud", "Brightloop", "Parcelwise",
    "Quillbyte", "Ferncastle Health", "Orbital Freight", "Lumen Payments", "Hollow Pine Games",
    "Solace Energy", "Mapleform", "Greywater Security", "Pollen Robotics", "Cobalt Ledger",
    "Rivermark Insurance", "Stackfield", "Openwharf", "Saltmarsh Media", "Tessellate AI",
    "Harbourline Logistics", "Moonwort Bio", "Fieldnote", "Clearpath Mobility", "Inkwell Docs",
    "Juniper Retail", "Brambleworks", "Vantage Climate", "Copperleaf Bank", "Sparrow Telecom",
    "Lattice Learning", "Northstar Civic Tech", "Driftwood Studios", "Pinecone Data",
    "Helix Genomics", "Meridian Maps", "Foxglove Foods", "Arclight Energy",
    "Rhine Valley University", "Technical University of Avonford", "the city council",
    "a two-person start-up", "Papercrane Publishing", "Wavecrest Music",
)  # fmt: skip


@dataclass(frozen=True)
class Work:
    """Something people in a theme work on, in the forms sentences need."""

    doing: str  # "building data pipelines"
    topic: str  # "data pipelines"


def _w(doing: str, topic: str) -> Work:
    return Work(doing, topic)


THEMES: dict[str, dict] = {
    "data": {
        "tags": ["machine learning", "data engineering", "mlops", "statistics", "nlp", "llms"],
        "titles": [
            "Data scientist",
            "ML engineer",
            "Data engineer",
            "Research scientist",
            "Analytics engineer",
        ],  # fmt: skip
        "work": [
            _w("training ranking models", "ranking models"),
            _w("building data pipelines", "data pipelines"),
            _w("fine-tuning language models", "fine-tuning language models"),
            _w("forecasting demand", "demand forecasting"),
            _w("running A/B tests", "A/B testing"),
            _w("keeping a feature store sane", "feature stores"),
            _w("evaluating LLM answers", "LLM evaluation"),
        ],
    },
    "web": {
        "tags": [
            "web development",
            "frontend",
            "accessibility",
            "django",
            "htmx",
            "design systems",
        ],  # fmt: skip
        "titles": [
            "Frontend developer",
            "Full-stack developer",
            "UX engineer",
            "Backend developer",
            "Web developer",
        ],  # fmt: skip
        "work": [
            _w("making interfaces accessible", "web accessibility"),
            _w("maintaining a design system", "design systems"),
            _w("scaling a Django monolith", "large Django code bases"),
            _w("making pages fast on slow phones", "web performance"),
            _w("moving a single-page app back to server-rendered HTML", "htmx"),
            _w("writing public APIs", "API design"),
        ],
    },
    "infra": {
        "tags": ["devops", "kubernetes", "observability", "cloud", "security", "sre"],
        "titles": [
            "Site reliability engineer",
            "Platform engineer",
            "Security engineer",
            "DevOps lead",
            "Infrastructure engineer",
        ],  # fmt: skip
        "work": [
            _w("running Kubernetes in production", "Kubernetes"),
            _w("being on call", "on-call and incident response"),
            _w("securing CI pipelines", "supply-chain security"),
            _w("cutting cloud bills", "cloud costs"),
            _w("setting up OpenTelemetry", "observability"),
            _w("migrating off a data centre", "cloud migrations"),
        ],
    },
    "product": {
        "tags": ["product management", "startups", "fundraising", "growth", "ux research"],
        "titles": [
            "Founder",
            "Product manager",
            "Head of growth",
            "UX researcher",
            "Engineering manager",
        ],  # fmt: skip
        "work": [
            _w("looking for product-market fit", "product-market fit"),
            _w("raising a seed round", "fundraising"),
            _w("interviewing users", "user research"),
            _w("growing a B2B product", "B2B growth"),
            _w("hiring our first engineers", "hiring"),
            _w("running a remote team", "remote teams"),
        ],
    },
    "community": {
        "tags": ["open source", "community", "education", "diversity", "documentation"],
        "titles": [
            "Open-source maintainer",
            "Developer advocate",
            "Teacher",
            "Community manager",
            "Technical writer",
        ],  # fmt: skip
        "work": [
            _w("maintaining an open-source library", "open-source maintenance"),
            _w("teaching Python to beginners", "teaching Python"),
            _w("organising meetups", "running meetups"),
            _w("writing documentation people read", "documentation"),
            _w("mentoring first-time contributors", "first-time contributors"),
        ],
    },
}

OPENINGS = (
    "I'm {a_title} at {company}, working on {topic}.",
    "At {company} I spend most of my time {doing}.",
    "{title} at {company}. These days that means {doing}.",
    "I joined {company} two years ago to work on {topic}.",
    "Most of my week goes into {doing} at {company}.",
    "I work on {topic} at {company}, and I still enjoy it.",
)
SECONDS = (
    "Before that I spent three years {other_doing}.",
    "Lately I have been {other_doing} too, which is new for me.",
    "I give the odd talk about {topic} at local meetups.",
    "I mentor juniors who want to get into {tag}.",
    "We are a small team, so I also end up {other_doing}.",
    "I'm curious how other teams handle {tag}.",
    "I write about {topic} now and then.",
    "Outside work I {hobby}.",
)
HOBBIES = (
    "run a board-game night", "cycle a lot", "play in a brass band", "climb", "bake bread",
    "volunteer at a coding club for kids", "grow too many tomatoes", "learn Japanese",
)  # fmt: skip
LOOKING = {
    "mentorship": (
        "A mentor in {tag}: someone a few years ahead of me.",
        "Someone who has been {other_doing} for a while and can tell me what they "
        "wish they had known.",
    ),  # fmt: skip
    "jobs": ("My next role, ideally in {tag}.", "People hiring {titles}."),
    "knowledge": (
        "Teams who tried {other_topic} and can share what went wrong.",
        "A second opinion on {topic}.",
    ),  # fmt: skip
    "collaboration": (
        "A co-maintainer for a small {tag} project.",
        "People to build a {tag} workshop with.",
    ),  # fmt: skip
    "business": ("Clients who need help with {topic}.", "Investors who know {tag}."),
}
HELPING = {
    "mentorship": (
        "I'm happy to mentor anyone starting in {tag}.",
        "Career advice for {titles}, from someone who was one.",
    ),  # fmt: skip
    "jobs": (
        "We're hiring {titles}: ask me how we interview.",
        "I review CVs for {titles} and can say what stands out.",
    ),  # fmt: skip
    "knowledge": (
        "I can walk you through {topic}: what worked for us and what didn't.",
        "Ask me anything about {doing}.",
    ),  # fmt: skip
    "collaboration": (
        "Looking for contributors to our {tag} tools: come and pair with me.",
        "I co-organise a {tag} meetup and always need speakers.",
    ),  # fmt: skip
    "business": (
        "Introductions to people I know in {tag}.",
        "How we priced our first {tag} product.",
    ),  # fmt: skip
}


# How interests read in a sentence (the tags themselves stay as people typed them).
SPELLED = {
    "kubernetes": "Kubernetes", "django": "Django", "llms": "LLMs", "nlp": "NLP",
    "mlops": "MLOps", "sre": "SRE", "devops": "DevOps", "ux research": "UX research",
}  # fmt: skip


def _in_text(title: str) -> str:
    """A job title inside a sentence: lower case, but for an acronym ("ML engineer")."""
    return title if title[:2].isupper() else title[0].lower() + title[1:]


def _article(words: str) -> str:
    """ "a" or "an" before these words, by how they sound ("an ML engineer")."""
    if words[:2].isupper():
        return "an" if words[0] in "AEFHILMNORSX" else "a"
    return "an" if words[:1].lower() in "aeiou" else "a"


def _plural(title: str) -> str:
    return _in_text(title) + "s"


def ascii_local(name: str) -> str:
    """An email's local part from a name: letters without accents, dots between words."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ".".join("".join(c for c in word if c.isalnum()) for word in plain.lower().split())


class Crowd:
    """Makes people one after another from one seed."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.fakers = {}
        for locale in dict.fromkeys(LOCALES):
            fake = Faker(locale)
            fake.seed_instance(seed)
            self.fakers[locale] = fake
        self.names: set[str] = set()

    def name(self) -> str:
        """A first and last name nobody else in the crowd has (no titles)."""
        while True:
            fake = self.fakers[self.rng.choice(LOCALES)]
            name = f"{fake.first_name()} {fake.last_name()}"
            if name not in self.names and "." not in name:
                self.names.add(name)
                return name

    def person(self, seeks: list[str], offers: list[str]) -> dict:
        """What a profile says: its theme's tags, a title, a company and the texts."""
        rng = self.rng
        theme = THEMES[rng.choice(sorted(THEMES))]
        other = THEMES[rng.choice(sorted(THEMES))]
        tags = rng.sample(theme["tags"], k=rng.randint(2, 4)) + rng.sample(other["tags"], k=1)
        mine, second = rng.sample(theme["work"], k=2)
        theirs = rng.choice(other["work"])
        title, company = rng.choice(theme["titles"]), rng.choice(COMPANIES)
        words = {
            "title": title, "a_title": f"{_article(title)} {_in_text(title)}", "company": company,
            "topic": mine.topic, "doing": mine.doing, "other_doing": theirs.doing
            if theirs != mine else second.doing, "other_topic": theirs.topic,
            "tag": SPELLED.get(tag := rng.choice(tags), tag), "hobby": rng.choice(HOBBIES),
            "titles": _plural(rng.choice(theme["titles"])),
        }  # fmt: skip
        bio = f"{rng.choice(OPENINGS)} {rng.choice(SECONDS)}".format(**words)
        looking = " ".join(rng.choice(LOOKING[i]) for i in seeks[:2]).format(**words)
        helping = " ".join(rng.choice(HELPING[i]) for i in offers[:2]).format(**words)
        return {
            "headline": title,
            "company": company,
            "bio": bio[0].upper() + bio[1:],
            "looking_for": looking,
            "can_help": helping,
            "tags": list(dict.fromkeys(tags)),
        }
