from educio.accounts.roles import Perm
from educio.orgs.selectors import org_list


def test_county_admin_sees_only_the_county_subtree(tree, county_admin):
    names = set(org_list(user=county_admin, perm=Perm.ORG_VIEW).values_list("name", flat=True))
    assert names == {"甲市一区教育局", "一区第一小学", "一区第二中学"}
