"""Apple Podcasts categories (the 2019 list: 19 categories, 91 subcategories).

feedgen ships an older table, so we keep our own.
"""

APPLE_CATEGORIES = {
    "Arts": (
        "Books",
        "Design",
        "Fashion & Beauty",
        "Food",
        "Performing Arts",
        "Visual Arts",
    ),
    "Business": (
        "Careers",
        "Entrepreneurship",
        "Investing",
        "Management",
        "Marketing",
        "Non-Profit",
    ),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": (
        "Alternative Health",
        "Fitness",
        "Medicine",
        "Mental Health",
        "Nutrition",
        "Sexuality",
    ),
    "Kids & Family": (
        "Education for Kids",
        "Parenting",
        "Pets & Animals",
        "Stories for Kids",
    ),
    "Leisure": (
        "Animation & Manga",
        "Automotive",
        "Aviation",
        "Crafts",
        "Games",
        "Hobbies",
        "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": (
        "Buddhism",
        "Christianity",
        "Hinduism",
        "Islam",
        "Judaism",
        "Religion",
        "Spirituality",
    ),
    "Science": (
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ),
    "Society & Culture": (
        "Documentary",
        "Personal Journals",
        "Philosophy",
        "Places & Travel",
        "Relationships",
    ),
    "Sports": (
        "Baseball",
        "Basketball",
        "Cricket",
        "Fantasy Sports",
        "Football",
        "Golf",
        "Hockey",
        "Rugby",
        "Running",
        "Soccer",
        "Swimming",
        "Tennis",
        "Volleyball",
        "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": (
        "After Shows",
        "Film History",
        "Film Interviews",
        "Film Reviews",
        "TV Reviews",
    ),
}


def category_problem(category, subcategory=None):
    """None when the pair is in Apple's list, else a sentence saying what is wrong."""
    if category not in APPLE_CATEGORIES:
        close = [
            name for name in APPLE_CATEGORIES if str(category).lower() in name.lower()
        ]
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"{category!r} is not an Apple Podcasts category{hint}"
    if subcategory and subcategory not in APPLE_CATEGORIES[category]:
        allowed = ", ".join(APPLE_CATEGORIES[category]) or "none"
        return (
            f"{subcategory!r} is not a subcategory of {category!r} (allowed: {allowed})"
        )
    return None
