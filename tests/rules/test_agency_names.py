"""An agency named at the door is recognised however its name and state are written."""

import pytest

from rules.agency_names import agency_name_key, state_key


@pytest.mark.parametrize(
    ("written", "on_file"),
    [
        ("Millbrook PD", "Millbrook Police Department"),
        ("Millbrook P.D.", "Millbrook Police Department"),
        ("Millbrook Police Dept", "Millbrook Police Department"),
        ("Millbrook Police Dept.", "Millbrook Police Department"),
        ("millbrook police department", "MILLBROOK POLICE DEPARTMENT"),
        ("The Millbrook Police Department", "Millbrook PD"),
        ("  Millbrook   PD ", "Millbrook PD"),
        ("Riverton FD", "Riverton Fire Department"),
        ("Riverton Fire Dept.", "Riverton Fire Department"),
        ("Lakeside Vol. Fire Dept.", "Lakeside Volunteer Fire Department"),
        ("Lakeside VFD", "Lakeside Volunteer Fire Department"),
        ("Adams County SO", "Adams County Sheriff's Office"),
        ("Adams Co. Sheriffs Office", "Adams County Sheriff\u2019s Office"),
        ("Adams Co Sheriff Office", "Adams County Sheriff's Office"),
        ("Adams County S.O.", "Adams County Sheriff's Office"),
        ("Prodigy EMS", "Prodigy Emergency Medical Services"),
        ("Prodigy E.M.S.", "Prodigy Emergency Medical Service"),
        ("Prodigy Emergency Medical Svcs", "Prodigy EMS"),
        ("Bayside Fire Rescue", "Bayside Fire & Rescue"),
        ("Bayside Fire and Rescue", "Bayside Fire & Rescue"),
        ("Bayside Fire/Rescue", "Bayside Fire-Rescue"),
        ("Hanover Twp. PD", "Hanover Township Police Department"),
        ("Tri-County Ambulance", "Tri County Ambulance"),
        ("Tricounty Ambulance", "Tri-County Ambulance"),
        ("Ft. Wayne PD", "Fort Wayne Police Department"),
        ("St. Charles Co. EMS", "Saint Charles County Emergency Medical Services"),
        ("Liberty Hose Co. No. 1", "Liberty Hose Company No 1"),
        ("Española PD", "Espanola Police Department"),
    ],
)
def test_usual_ways_of_writing_one_agency_give_one_key(written, on_file):
    assert agency_name_key(written) == agency_name_key(on_file)
    assert agency_name_key(written) is not None


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Riverton Fire Department", "Riverton Police Department"),
        ("Riverton FD", "Riverton PD"),
        ("Riverton FD", "Riverton Fire Rescue"),
        ("Riverton Police Department", "Riverton Police"),
        ("Millbrook PD", "Millbrook Township PD"),
        ("Adams County Sheriff's Office", "Adams County Sheriff's Department"),
        ("Adams County SO", "Adams SO"),
        ("Adams County EMS", "Adams County Fire Department"),
        ("Liberty Hose Co.", "Liberty Hose County"),
        ("North Millbrook PD", "Millbrook PD"),
    ],
)
def test_different_agencies_keep_different_keys(one, other):
    assert agency_name_key(one) != agency_name_key(other)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Millbrook PD", "millbrookpolicedepartment"),
        ("Adams Co. SO", "adamscountysheriffsoffice"),
        ("Liberty Hose Co.", "libertyhosecompany"),
        ("", None),
        (None, None),
        (" &-. ", None),
        ("The", None),
    ],
)
def test_agency_name_key_spells_out_every_abbreviation(name, key):
    assert agency_name_key(name) == key


ALL_STATES = [
    ("Alabama", "AL"),
    ("Alaska", "AK"),
    ("Arizona", "AZ"),
    ("Arkansas", "AR"),
    ("California", "CA"),
    ("Colorado", "CO"),
    ("Connecticut", "CT"),
    ("Delaware", "DE"),
    ("Florida", "FL"),
    ("Georgia", "GA"),
    ("Hawaii", "HI"),
    ("Idaho", "ID"),
    ("Illinois", "IL"),
    ("Indiana", "IN"),
    ("Iowa", "IA"),
    ("Kansas", "KS"),
    ("Kentucky", "KY"),
    ("Louisiana", "LA"),
    ("Maine", "ME"),
    ("Maryland", "MD"),
    ("Massachusetts", "MA"),
    ("Michigan", "MI"),
    ("Minnesota", "MN"),
    ("Mississippi", "MS"),
    ("Missouri", "MO"),
    ("Montana", "MT"),
    ("Nebraska", "NE"),
    ("Nevada", "NV"),
    ("New Hampshire", "NH"),
    ("New Jersey", "NJ"),
    ("New Mexico", "NM"),
    ("New York", "NY"),
    ("North Carolina", "NC"),
    ("North Dakota", "ND"),
    ("Ohio", "OH"),
    ("Oklahoma", "OK"),
    ("Oregon", "OR"),
    ("Pennsylvania", "PA"),
    ("Rhode Island", "RI"),
    ("South Carolina", "SC"),
    ("South Dakota", "SD"),
    ("Tennessee", "TN"),
    ("Texas", "TX"),
    ("Utah", "UT"),
    ("Vermont", "VT"),
    ("Virginia", "VA"),
    ("Washington", "WA"),
    ("West Virginia", "WV"),
    ("Wisconsin", "WI"),
    ("Wyoming", "WY"),
    ("District of Columbia", "DC"),
    ("American Samoa", "AS"),
    ("Guam", "GU"),
    ("Northern Mariana Islands", "MP"),
    ("Puerto Rico", "PR"),
    ("U.S. Virgin Islands", "VI"),
    ("United States Minor Outlying Islands", "UM"),
]


@pytest.mark.parametrize(("name", "code"), ALL_STATES)
def test_every_state_and_territory_name_and_code_give_the_code(name, code):
    assert state_key(name) == code
    assert state_key(name.upper()) == code
    assert state_key(code) == code
    assert state_key(code.lower()) == code


def test_the_table_covers_fifty_states_dc_and_the_territories():
    assert len({code for _, code in ALL_STATES}) == 57


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Ill.", "IL"),
        ("il", "IL"),
        (" illinois ", "IL"),
        ("I.L.", "IL"),
        ("Calif.", "CA"),
        ("Mass.", "MA"),
        ("N.Y.", "NY"),
        ("N. Dak.", "ND"),
        ("W. Va.", "WV"),
        ("Va.", "VA"),
        ("Wash.", "WA"),
        ("Washington, D.C.", "DC"),
        ("D.C.", "DC"),
        ("Penna.", "PA"),
        ("Hawai\u02bbi", "HI"),
        ("newyork", "NY"),
        ("Virgin Islands", "VI"),
        ("Ontario", "ONTARIO"),
        ("Illnois", "ILLNOIS"),
        ("", None),
        ("   ", None),
        (None, None),
        ("..", None),
    ],
)
def test_state_key_reads_the_usual_abbreviations(written, code):
    assert state_key(written) == code


def test_millbrook_pd_illinois_is_millbrook_police_department_il():
    walk_in = (agency_name_key("Millbrook PD"), state_key("Illinois"))
    assert walk_in == (agency_name_key("Millbrook Police Department"), state_key("IL"))
