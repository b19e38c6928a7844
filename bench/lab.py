"""Synthetic labs: the bench's papers, in the content format of DESIGN.md.

Made by a seeded generator rather than copied from a real site, so that a lab of
any size can be written in seconds, the same arguments give the same bytes (the
fingerprint and reading tests rely on it), and no lab's data enters the project.
Abstracts are 150-250 words of wrapped Markdown, some with math or two
paragraphs; papers spread evenly over the conferences.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

# --- synthetic content -------------------------------------------------------

VENUES = [
    ("neurips", "NeurIPS", "Conference on Neural Information Processing Systems"),
    ("icml", "ICML", "International Conference on Machine Learning"),
    ("iclr", "ICLR", "International Conference on Learning Representations"),
    ("cvpr", "CVPR", "Conference on Computer Vision and Pattern Recognition"),
    ("iccv", "ICCV", "International Conference on Computer Vision"),
    ("eccv", "ECCV", "European Conference on Computer Vision"),
    ("wacv", "WACV", "Winter Conference on Applications of Computer Vision"),
    ("bmvc", "BMVC", "British Machine Vision Conference"),
    ("aaai", "AAAI", "AAAI Conference on Artificial Intelligence"),
    ("ijcai", "IJCAI", "International Joint Conference on Artificial Intelligence"),
    ("miccai", "MICCAI", "Medical Image Computing and Computer Assisted Intervention"),
    ("gcpr", "GCPR", "German Conference on Pattern Recognition"),
    ("icpr", "ICPR", "International Conference on Pattern Recognition"),
    ("acl", "ACL", "Annual Meeting of the Association for Computational Linguistics"),
    ("emnlp", "EMNLP", "Empirical Methods in Natural Language Processing"),
    ("kdd", "KDD", "Conference on Knowledge Discovery and Data Mining"),
    ("uai", "UAI", "Conference on Uncertainty in Artificial Intelligence"),
    ("aistats", "AISTATS", "Conference on Artificial Intelligence and Statistics"),
    ("colt", "COLT", "Conference on Learning Theory"),
    ("ecml", "ECML", "European Conference on Machine Learning"),
]
PLACES = [
    "New Orleans, USA", "Vancouver, Canada", "Paris, France", "Seoul, Korea",
    "Tel Aviv, Israel", "Vienna, Austria", "Honolulu, USA", "Kyoto, Japan",
    "Montréal, Canada", "Tübingen, Germany", "Lisbon, Portugal", "Online",
]  # fmt: skip
ICONS = ["fas fa-microscope", "fa-solid fa-brain", "fa-solid fa-eye", "", ""]
GIVEN = [
    "Julia", "Paul", "Janis", "Margret", "Amrutha", "Kathrin", "Steffen", "Yuki",
    "Li", "Wei", "Ana", "João", "Chiara", "Mehmet", "Olga", "Ravi", "Fatima",
    "Lukas", "Sofia", "Hannah", "Tomás", "Aiko", "Nikolai", "Zoë", "Omar",
]  # fmt: skip
FAMILY = [
    "Keuper", "Gavrikov", "Grabinski", "Saseendran", "Skubch", "Jung", "Müller",
    "Schmidt", "Zhang", "Wang", "Nakamura", "Silva", "Rossi", "Yılmaz", "Ivanova",
    "Patel", "Haddad", "Novák", "García", "van der Berg", "O'Neill", "Dubois",
    "Kowalski", "Andersen", "Tanaka", "Okafor", "Chen", "Lindqvist",
]  # fmt: skip
MEMBERS = ["Margret Keuper", "Janis Keuper", "Julia Grabinski", "Paul Gavrikov"]
TOPICS = [
    "adversarial robustness", "calibration", "frequency aliasing", "self-supervised "
    "learning", "medical imaging", "semantic segmentation", "graph clustering",
    "multi-object tracking", "generative models", "neural architecture search",
    "domain generalization", "out-of-distribution detection", "pooling operations",
    "vision transformers", "autoencoders", "optical flow", "deepfake detection",
]  # fmt: skip
TAGS = [
    "robustness", "calibration", "vision", "segmentation", "tracking", "generative",
    "medical", "theory", "benchmark", "efficiency", "transformers", "aliasing",
]  # fmt: skip
OPENINGS = [
    "Despite the success of {a} in many academic benchmarks, their application in "
    "the real world still faces fundamental challenges.",
    "Recent work on {a} has shown that {b} remains an open problem.",
    "We study the relation between {a} and {b} in modern deep networks.",
    "Understanding {a} is central to deploying learned models in safety-critical "
    "settings such as {b}.",
]
MIDDLES = [
    "In this paper, we empirically analyze a variety of models trained for {a} and "
    "show that they behave differently under {b}.",
    "We propose a simple method that improves {a} without any additional training "
    "data or computational overhead at test time.",
    "Our analysis reveals that the building blocks of a network, like activation "
    "functions and pooling, have a strong influence on {a}.",
    "To this end, we introduce a new benchmark of **{n}** tasks covering {a} and {b}.",
    "We further show that the improvement transfers to {b}, a setting where "
    "existing approaches fail.",
    "A careful ablation shows which of the components matter most and why, and "
    "it points to `{c}` as the main source of the gains.",
    "Experiments on *{n}* data sets confirm our hypothesis that {a} and {b} are "
    "closely linked, even on clean data.",
    "We provide a theoretical argument for this behaviour and validate it on "
    "convolutional as well as attention-based architectures.",
]
# Some abstracts have math (rendered to MathML by the plugin).
MATH = (
    "The resulting models achieve an error of ${x}\\%$ on the standard "
    "evaluation, where previous work reported $\\epsilon = {y}$."
)
CLOSINGS = [
    "Code and models are publicly available.",
    "We hope that our findings guide the design of more reliable systems.",
    "Our results call for a more careful evaluation of {a} in future work.",
]


def _sentence(rng: random.Random, pattern: str) -> str:
    a, b = rng.sample(TOPICS, 2)
    return pattern.format(
        a=a,
        b=b,
        c=rng.choice(["BatchNorm", "MaxPool", "GELU", "Dropout"]),
        n=rng.randint(3, 40),
        x=round(rng.uniform(1, 30), 1),
        y=rng.choice(["8/255", "0.5", "10^{-3}"]),
    )


def abstract(rng: random.Random) -> str:
    """A Markdown abstract of roughly 150-250 words in wrapped lines."""
    sentences = [_sentence(rng, rng.choice(OPENINGS))]
    words = len(sentences[0].split())
    target = rng.randint(150, 250)
    while words < target - 15:
        sentence = _sentence(rng, rng.choice(MIDDLES))
        sentences.append(sentence)
        words += len(sentence.split())
    if rng.random() < 0.1:
        sentences.insert(rng.randint(1, len(sentences)), _sentence(rng, MATH))
    sentences.append(_sentence(rng, rng.choice(CLOSINGS)))
    text = " ".join(sentences)
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) > 88:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    if rng.random() < 0.15:  # some abstracts have two paragraphs
        cut = len(lines) // 2
        lines.insert(cut, "")
    return "\n".join(lines)


def conference_slugs(count: int) -> list[tuple[str, str, str, int]]:
    """``count`` conference editions: (slug, short name, long name, year)."""
    editions = []
    year = 2024
    while len(editions) < count:
        for key, short, name in VENUES:
            editions.append((f"{key}-{year}", f"{short} {year % 100:02d}", name, year))
            if len(editions) == count:
                break
        year -= 1
    return editions


def write_lab(root: Path, papers: int, conferences: int, seed: int = 8) -> Path:
    """A lab's content folder; the same arguments give the same bytes."""
    rng = random.Random(seed)
    content = root / "content"
    shutil.rmtree(content, ignore_errors=True)
    (content / "conferences").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "pages" / "about.md").write_text(
        "Title: About\n\nThe lab's papers, by conference.\n", encoding="utf-8"
    )
    editions = conference_slugs(conferences)
    for slug, short, name, year in editions:
        month = rng.randint(1, 12)
        day = rng.randint(1, 25)
        lines = [
            f"Title: {short}",
            f"Name: {name} {year}",
            f"Date: {year}-{month:02d}-{day:02d}",
            f"End: {year}-{month:02d}-{day + 3:02d}",
            f"Location: {rng.choice(PLACES)}",
            f"Url: https://example.org/{slug}/",
        ]
        icon = rng.choice(ICONS)
        if icon:
            lines.append(f"Icon: {icon}")
        lines.append("Tracks: Full Paper; Short Paper; Workshop Paper")
        lines.append(f"Hashtag: {short.replace(' ', '')}")
        text = "\n".join(lines) + f"\n\nOur papers at {name} {year}.\n"
        (content / "conferences" / f"{slug}.md").write_text(text, encoding="utf-8")
        (content / "papers" / slug).mkdir(parents=True)

    # Papers spread evenly, so that every conference has papers.
    for number in range(papers):
        slug, _, _, year = editions[number % conferences]
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        authors = rng.sample(
            [f"{g} {f}" for g in GIVEN[:12] for f in FAMILY[:12]], rng.randint(2, 8)
        )
        if rng.random() < 0.5:
            authors[-1] = rng.choice(MEMBERS)
        topic = rng.choice(TOPICS)
        title = (
            f"{rng.choice(['On', 'Towards', 'Rethinking', 'Learning'])} "
            f"{topic.title()} {rng.choice(['in', 'for', 'under'])} "
            f"{rng.choice(TOPICS).title()} ({number})"
        )
        arxiv = f"{year % 100:02d}{month:02d}.{rng.randint(10000, 99999)}"
        lines = [
            f"Title: {title}",
            f"Authors: {', '.join(dict.fromkeys(authors))}",
        ]
        if rng.random() < 0.2:
            lines += ["Track: Workshop Paper", f"Workshop: {rng.choice(VENUES)[1]}W"]
        elif rng.random() < 0.2:
            lines.append("Track: Short Paper")
        else:
            lines.append("Track: Full Paper")
        if rng.random() < 0.1:
            lines.append(f"Order: {rng.randint(1, 5)}")
        lines.append(f"Date: {year}-{month:02d}-{day:02d}")
        lines.append(f"Pdf: https://arxiv.org/pdf/{arxiv}.pdf")
        if rng.random() < 0.6:
            lines.append(f"Code: https://github.com/lab/paper-{number}")
        lines.append(f"Arxiv: {arxiv}")
        if rng.random() < 0.3:
            lines.append(f"Doi: 10.1000/lab.{year}.{number}")
        if rng.random() < 0.3:
            lines.append(
                f"Links: Poster <https://example.org/posters/{number}.pdf> "
                f"fa-solid fa-image; Video <https://www.youtube.com/watch?v=v{number}>"
                " fa-brands fa-youtube"
            )
        lines.append(f"Tags: {', '.join(rng.sample(TAGS, rng.randint(1, 3)))}")
        text = "\n".join(lines) + "\n\n" + abstract(rng) + "\n"
        path = content / "papers" / slug / f"paper-{number:05d}.md"
        path.write_text(text, encoding="utf-8")
    return content
