def test_pages_render_for_every_role(login_as, world):
    for role in ("admin", "officer", "commune_staff", "judge", "viewer"):
        c = login_as(role)
        r = c.get("/")
        assert r.status_code == 200, (role, r.get_data(as_text=True)[:2000])
        for url in ("/units/", f"/units/{world.c1}", f"/units/{world.c1}/children", f"/units/{world.c1}/print", "/users/", "/audit/", f"/units/{world.c1}/edit", f"/units/{world.c1}/children/new", "/units/?q=gamma", "/units/lookup?q=gam"):
            r = c.get(url)
            print(role, url, r.status_code)
            assert r.status_code in (200, 403, 404), (role, url, r.status_code, r.get_data(as_text=True)[:3000])
