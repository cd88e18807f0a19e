"""Agency names and states as people write them, reduced to keys that compare across forms."""

from .identity import name_tokens

WORDS = {
    "dept": ["department"],
    "dpt": ["department"],
    "pd": ["police", "department"],
    "fd": ["fire", "department"],
    "vfd": ["volunteer", "fire", "department"],
    "so": ["sheriffs", "office"],
    "sheriff": ["sheriffs"],
    "ofc": ["office"],
    "ems": ["emergency", "medical", "services"],
    "service": ["services"],
    "svc": ["services"],
    "svcs": ["services"],
    "cnty": ["county"],
    "twp": ["township"],
    "twsp": ["township"],
    "vol": ["volunteer"],
    "dist": ["district"],
    "ctr": ["center"],
    "centre": ["center"],
    "ft": ["fort"],
    "mt": ["mount"],
    "st": ["saint"],
    "the": [],
    "and": [],
}
# After these words "Co." is a company ("Liberty Hose Co."), elsewhere a county ("Adams Co.").
COMPANY_WORDS = {"hose", "engine", "fire", "ladder", "truck", "ambulance", "rescue", "hook"}


def _merge_initials(words):
    """'P. D.' and 'E.M.S.' become 'pd' and 'ems'."""
    merged = []
    for word in words:
        if len(word) == 1 and merged and merged[-1][1]:
            merged[-1] = (merged[-1][0] + word, True)
        else:
            merged.append((word, len(word) == 1))
    return [word for word, _ in merged]


def agency_name_key(name):
    """A key equal for the usual ways of writing one agency's name, or None if it has no letters.

    'Millbrook PD', 'Millbrook Police Dept.' and 'The Millbrook Police Department' agree, as do
    FD / Fire Department, SO / Sheriff's Office, EMS / Emergency Medical Services,
    'Fire & Rescue' / 'Fire and Rescue' / 'Fire Rescue', Co. / County, Twp / Township;
    case, accents, punctuation and spacing never matter. Different services stay different:
    a fire department is not a police department.
    """
    words = []
    for word in _merge_initials(name_tokens(name)):
        if word == "co":
            words.append("company" if words and words[-1] in COMPANY_WORDS else "county")
        else:
            words.extend(WORDS.get(word, [word]))
    # Joined solid so 'Tri-County', 'Tri County' and 'Tricounty' agree.
    return "".join(words) or None


STATES = {
    "AL": ("Alabama", "Ala"),
    "AK": ("Alaska", "Alas"),
    "AZ": ("Arizona", "Ariz"),
    "AR": ("Arkansas", "Ark"),
    "CA": ("California", "Calif", "Cal"),
    "CO": ("Colorado", "Colo", "Col"),
    "CT": ("Connecticut", "Conn"),
    "DE": ("Delaware", "Del"),
    "FL": ("Florida", "Fla", "Flor"),
    "GA": ("Georgia",),
    "HI": ("Hawaii", "Hawai'i"),
    "ID": ("Idaho", "Ida"),
    "IL": ("Illinois", "Ill", "Ills"),
    "IN": ("Indiana", "Ind"),
    "IA": ("Iowa",),
    "KS": ("Kansas", "Kans", "Kan"),
    "KY": ("Kentucky",),
    "LA": ("Louisiana",),
    "ME": ("Maine",),
    "MD": ("Maryland",),
    "MA": ("Massachusetts", "Mass"),
    "MI": ("Michigan", "Mich"),
    "MN": ("Minnesota", "Minn"),
    "MS": ("Mississippi", "Miss"),
    "MO": ("Missouri",),
    "MT": ("Montana", "Mont"),
    "NE": ("Nebraska", "Nebr", "Neb"),
    "NV": ("Nevada", "Nev"),
    "NH": ("New Hampshire",),
    "NJ": ("New Jersey",),
    "NM": ("New Mexico", "N Mex"),
    "NY": ("New York",),
    "NC": ("North Carolina", "N Car"),
    "ND": ("North Dakota", "N Dak"),
    "OH": ("Ohio",),
    "OK": ("Oklahoma", "Okla"),
    "OR": ("Oregon", "Oreg", "Ore"),
    "PA": ("Pennsylvania", "Penn", "Penna"),
    "RI": ("Rhode Island",),
    "SC": ("South Carolina", "S Car"),
    "SD": ("South Dakota", "S Dak"),
    "TN": ("Tennessee", "Tenn"),
    "TX": ("Texas", "Tex"),
    "UT": ("Utah",),
    "VT": ("Vermont",),
    "VA": ("Virginia",),
    "WA": ("Washington", "Wash"),
    "WV": ("West Virginia", "W Va", "W Virginia"),
    "WI": ("Wisconsin", "Wis", "Wisc"),
    "WY": ("Wyoming", "Wyo"),
    "DC": ("District of Columbia", "Washington DC", "Washington District of Columbia"),
    "AS": ("American Samoa",),
    "GU": ("Guam",),
    "MP": ("Northern Mariana Islands", "Northern Marianas", "CNMI"),
    "PR": ("Puerto Rico",),
    "VI": ("US Virgin Islands", "United States Virgin Islands", "Virgin Islands", "USVI"),
    "UM": ("US Minor Outlying Islands", "United States Minor Outlying Islands"),
}


def _state_letters(text):
    return "".join(name_tokens(text)).upper()


STATE_CODES = {
    _state_letters(form): code for code, forms in STATES.items() for form in (code, *forms)
}


def state_key(state):
    """The postal code of a US state, DC or territory written any usual way, or None if blank.

    'Illinois', 'IL', 'il' and 'Ill.' give 'IL'; 'N. Dak.' gives 'ND'. A region outside the
    table keeps its own letters upper-cased ('Ontario' -> 'ONTARIO'), so it still compares
    with itself and never with a US state or with a blank.
    """
    letters = _state_letters(state)
    if not letters:
        return None
    return STATE_CODES.get(letters, letters)
