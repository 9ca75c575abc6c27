"""Which requirements file is the app's and which the tests'."""


def test_requirements_say_which_is_the_apps_and_which_the_tests():
    """requirements.txt serves the app; requirements-test.txt adds the test tools on top of it,
    and CI installs that one, so a fresh clone has what every test imports."""
    from deploy.bundle import DEV_ONLY, ROOT

    def names(path):
        return {
            line.split("#", 1)[0].split("==")[0].strip().lower()
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.split("#", 1)[0].strip() and not line.startswith("-")
        }

    app, test = names(ROOT / "requirements.txt"), names(ROOT / "requirements-test.txt")
    assert not app & (DEV_ONLY | {"oidc-provider-mock"})
    assert {"pytest", "playwright", "ruff", "shapely", "oidc-provider-mock"} <= test
    assert "-r requirements.txt" in (ROOT / "requirements-test.txt").read_text(encoding="utf-8")
    assert "-r requirements-test.txt" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
