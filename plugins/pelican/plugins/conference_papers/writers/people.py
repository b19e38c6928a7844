"""The people page and a page per member: writers that take data, return files.

They take what they write (the members, the papers, the directory of
spellings, the settings) and a ``render(save_as, template, url, **values)``
function from the generator, and return the paths written: nothing here reaches
into the generator or changes another object.
"""

from __future__ import annotations

from ..format.members import by_year, papers_of, people_sections
from ..settings import setting

#: How wide the pages show a member's photo (CSS px): the smallest thumbnail
#: wider than this is enough.
PHOTO_SIZES = "8rem"


def photo(member, thumbnails, siteurl: str) -> dict | None:
    """``src``/``srcset``/``width``/``height``/``alt`` of a member's photo as
    thumbnails (the photo itself when there are none), or None."""
    if not member.photo:
        return None
    made = thumbnails.make(member.photo)
    alt = f"Photo of {member.name}"
    if not made:
        return {"src": f"{siteurl}/{member.photo}", "srcset": None, "alt": alt}
    return {
        "src": f"{siteurl}/{made[0].save_as}",
        "srcset": ", ".join(f"{siteurl}/{t.save_as} {t.width}w" for t in made),
        "sizes": PHOTO_SIZES,
        "width": made[0].width,
        "height": made[0].height,
        "alt": alt,
    }


def write_people(render, members, papers, directory, settings) -> list[str]:
    """The people page (when it has someone) and each member's page."""
    written = []
    save_as = setting(settings, "PEOPLE_SAVE_AS")
    if members and save_as:
        order = setting(settings, "ROLES_ORDER")
        render(
            save_as,
            "conference_papers/people",
            setting(settings, "PEOPLE_URL"),
            people_sections=people_sections(members, order),
        )
        written.append(save_as)
    for member in members:
        if not member.save_as:
            continue
        render(
            member.save_as,
            "conference_papers/member",
            member.url,
            member=member,
            member_years=by_year(papers_of(member.name, papers, directory)),
        )
        written.append(member.save_as)
    return written
