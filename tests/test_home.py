"""Each role's home page says what needs attention, with links to the records behind it."""


def test_officer_home_counts_teams_and_overdue_trainings(world, login_as):
    body = login_as("officer").get("/").get_data(as_text=True)
    # world: one team in C1 and one in C2 under the officer's district, neither compliant.
    assert "2 tổ hòa giải chưa đủ số lượng, thành phần" in body
    assert "/registry/teams/?compliance=no" in body
    assert "có người hỗ trợ pháp lý" in body


def test_commune_home_lists_its_teams_with_their_problem(world, login_as):
    body = login_as("commune_staff").get("/").get_data(as_text=True)
    assert "Tổ hòa giải Bản Delta MARKER-V1" in body
    assert "Chưa đủ 3 hòa giải viên đang hoạt động" in body
    assert "MARKER-V2" not in body


def test_judge_home_shows_their_rounds_and_the_next_sheet(world, login_as):
    body = login_as("judge").get("/").get_data(as_text=True)
    assert "Vòng chung khảo" in body and "Chấm tiếp" in body
    assert "NOTE-J2" not in body


def test_judge_without_a_seat_has_an_empty_state(world, make_user, make_client):
    make_user("giamkhaomoi", "judge", world.d1)
    client = make_client()
    client.login("giamkhaomoi")
    body = client.get("/").get_data(as_text=True)
    assert "Chưa có phần thi nào được phân công" in body
