import pytest


@pytest.mark.django_db
def test_it_answers_search_after_search_on_an_empty_archive(client):
    for _ in range(3):
        response = client.get("/api/search", {"q": "لافروف"})
        assert response.status_code == 200
        assert response.json()["count"] == 0
    page = client.get("/en/search/", {"q": "Lavrov"})
    assert page.status_code == 200
