"""The catalogue's one collection->policy table: what the documented collections say, plus what only a refusal
names (the Navigator junctions, the algolia_token field)."""

from __future__ import annotations

from onderwijsloket_mcp.datamodel.catalogue import DOCUMENTED, POLICIES, POLICY_FOR_COLLECTION


def test_every_documented_policy_is_in_the_table_and_names_a_known_policy() -> None:
    for name, (_, doc) in DOCUMENTED.items():
        assert POLICY_FOR_COLLECTION.get(name) == doc.policy or (
            doc.policy is None and name not in POLICY_FOR_COLLECTION
        )
    assert set(POLICY_FOR_COLLECTION.values()) <= {policy.name for policy in POLICIES if policy.additional}


def test_the_junctions_and_the_algolia_field_are_granted_with_their_collections() -> None:
    for junction in ("educational_institutions_programs", "programs_qualifications", "programs_locations"):
        assert POLICY_FOR_COLLECTION[junction] == "Navigator"
    assert POLICY_FOR_COLLECTION["directus_users.algolia_token"] == "Algolia token"
    assert "articles" not in POLICY_FOR_COLLECTION  # "Content read" comes with every token
