"""The recognition feed: an agency congratulates its partners' people on the certifications
they earned at joint classes it took part in, unless they chose not to share."""

import pytest

from tests.helpers import assert_error, created, joint_class, trail


class Joint:
    """Fire hosts a hazmat class (police officer and EMS medic attend, both certified) and
    EMS hosts a CPR class the police officer attends; dispatch took part in nothing."""

    def __init__(self, world):
        self.world = world
        admin = world.admin
        self.sean = world.officer_person
        self.zoe = world.person(world.ems, "Zoë", "Nakamura-Jones", "E-31")
        self.tomas = world.person(world.fire, "Tomás", "Díaz", "F-22")
        hazmat = self.certification("Hazmat Operations", "HZOPS", "State Fire Marshal")
        cpr = self.certification("CPR Provider", "CPR", "American Heart Association")
        _, self.hazmat, _ = joint_class(
            world, world.fire, "HZ-OPS", "Hazardous Materials Operations", "8", "2026-04-11",
            [self.sean, self.zoe, self.tomas],
            awards=[{"certification_id": hazmat["id"], "requires_pass": True}],
        )  # fmt: skip
        _, self.cpr, _ = joint_class(
            world, world.ems, "CPR-1", "CPR for Responders", "8", "2026-06-06",
            [self.sean, self.zoe],
            awards=[{"certification_id": cpr["id"], "requires_pass": True}],
        )  # fmt: skip
        self.dispatch = created(
            admin.post(
                "/agencies",
                json={"name": "County 911", "code": "C911", "kind": "dispatch", "state": "IL"},
            )
        )
        self.dispatch_coordinator = world.user("coordinator", self.dispatch, "dc@c911.test")

    def certification(self, name, code, body):
        return created(
            self.world.admin.post(
                "/certifications",
                json={"name": name, "code": code, "issuing_body": body, "validity_months": 24},
            )
        )

    def partners(self, agency, *partners, caller=None):
        response = (caller or self.world.admin).put(
            f"/agencies/{agency['id']}/partners", json={"partner_ids": [p["id"] for p in partners]}
        )
        assert response.status_code == 200, response.get_json()


@pytest.fixture
def joint(world, calendar):
    return Joint(world)


def feed(caller, agency, **query):
    text = "&".join(f"{k}={v}" for k, v in query.items())
    return caller.get(f"/agencies/{agency['id']}/recognitions" + (f"?{text}" if text else ""))


def seen(caller, agency):
    response = feed(caller, agency)
    assert response.status_code == 200, response.get_json()
    return [(r["person_name"], r["certification"]["name"]) for r in response.get_json()]


def test_the_host_sees_its_partners_people_certified_at_its_class(world, joint):
    joint.partners(world.fire, world.police)
    assert seen(world.fire_coordinator, world.fire) == [("Sean O'Brien", "Hazmat Operations")]


def test_each_recognition_says_who_what_where_and_when(world, joint):
    joint.partners(world.fire, world.police)
    (item,) = feed(world.fire_coordinator, world.fire).get_json()
    assert item["agency"] == {"id": world.police["id"], "name": "Riverton Police Department",
                              "code": "RPD"}  # fmt: skip
    assert item["offering"] == {
        "id": joint.hazmat["id"],
        "title": "Hazardous Materials Operations",
        "host_agency_id": world.fire["id"],
        "host_agency_name": "Riverton Fire Department",
    }
    assert item["certification"]["issuing_body"] == "State Fire Marshal"
    assert item["issued_on"] == "2026-04-11"
    assert set(item) == {
        "award_id", "certification", "person_name", "agency", "offering", "issued_on",
        "expires_on",
    }  # fmt: skip


def test_an_agency_that_only_sent_people_sees_its_partners_classmates_newest_first(world, joint):
    joint.partners(world.police, world.ems)
    assert seen(world.police_coordinator, world.police) == [
        ("Zoë Nakamura-Jones", "CPR Provider"),
        ("Zoë Nakamura-Jones", "Hazmat Operations"),
    ]


def test_its_own_people_and_non_partners_are_not_in_the_feed(world, joint):
    joint.partners(world.fire, world.ems)
    names = {name for name, _ in seen(world.fire_coordinator, world.fire)}
    assert names == {"Zoë Nakamura-Jones"}  # not Tomás (own), not Sean (police not listed)


def test_classes_the_agency_took_no_part_in_are_not_in_the_feed(world, joint):
    joint.partners(world.fire, world.ems)
    titles = [r["offering"]["title"] for r in feed(world.fire_coordinator, world.fire).get_json()]
    assert titles == ["Hazardous Materials Operations"]  # not EMS's CPR class


def test_a_non_partner_sees_nothing(world, joint):
    assert seen(joint.dispatch_coordinator, joint.dispatch) == []
    joint.partners(joint.dispatch, world.police, world.ems, world.fire)
    assert seen(joint.dispatch_coordinator, joint.dispatch) == []  # took part in no class


def test_listing_no_partners_shows_nothing(world, joint):
    assert seen(world.fire_coordinator, world.fire) == []


def test_a_person_who_opts_out_disappears_from_every_feed(world, joint):
    joint.partners(world.fire, world.police)
    response = world.officer.put(
        f"/people/{world.officer_person['id']}/sharing", json={"share_achievements": False}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "person_id": world.officer_person["id"],
        "share_achievements": False,
    }
    assert seen(world.fire_coordinator, world.fire) == []
    world.officer.put(
        f"/people/{world.officer_person['id']}/sharing", json={"share_achievements": True}
    )
    assert seen(world.fire_coordinator, world.fire) == [("Sean O'Brien", "Hazmat Operations")]


def test_sharing_is_on_by_default_and_the_officer_reads_it(world):
    response = world.officer.get(f"/people/{world.officer_person['id']}/sharing")
    assert response.get_json()["share_achievements"] is True


def test_the_choice_is_audited(world):
    world.officer.put(
        f"/people/{world.officer_person['id']}/sharing", json={"share_achievements": False}
    )
    entry = trail(world, "person", world.officer_person["id"])[-1]
    assert (entry["action"], entry["user_email"]) == ("set_sharing", "sean@rpd.test")
    assert (entry["before"]["share_achievements"], entry["after"]["share_achievements"]) == (
        True,
        False,
    )


def test_the_home_coordinator_may_record_an_opt_out(world):
    response = world.police_coordinator.put(
        f"/people/{world.officer_person['id']}/sharing", json={"share_achievements": False}
    )
    assert response.status_code == 200


def test_nobody_else_may_change_a_persons_sharing(world, joint):
    path = f"/people/{joint.zoe['id']}/sharing"
    assert_error(world.officer.put(path, json={"share_achievements": False}), 404)
    assert_error(world.fire_coordinator.put(path, json={"share_achievements": False}), 404)
    assert world.admin.get(path).get_json()["share_achievements"] is True


def test_a_bad_sharing_body_names_the_field(world):
    path = f"/people/{world.officer_person['id']}/sharing"
    body = assert_error(world.officer.put(path, json={"share_achievements": "maybe"}), 422)
    assert "share_achievements" in body["errors"]["json"]


def test_a_revoked_award_leaves_the_feed(world, joint):
    joint.partners(world.fire, world.police)
    (item,) = feed(world.fire_coordinator, world.fire).get_json()
    response = world.admin.post(
        f"/awards/{item['award_id']}/revoke", json={"reason": "Exam irregularity"}
    )
    assert response.status_code == 200, response.get_json()
    assert seen(world.fire_coordinator, world.fire) == []


def test_the_feed_is_paged(world, joint):
    joint.partners(world.police, world.ems)
    response = feed(world.police_coordinator, world.police, page_size=1, page=2)
    assert [r["certification"]["name"] for r in response.get_json()] == ["Hazmat Operations"]
    assert '"total": 2' in response.headers["X-Pagination"]


def test_the_agencys_officers_may_read_its_feed(world, joint):
    joint.partners(world.police, world.ems)
    assert len(seen(world.officer, world.police)) == 2


def test_other_agencies_get_404(world, joint):
    joint.partners(world.fire, world.police)
    assert_error(feed(world.police_coordinator, world.fire), 404)
    assert_error(feed(joint.dispatch_coordinator, world.fire), 404)
    assert_error(feed(world.admin, {"id": 99999}), 404)
