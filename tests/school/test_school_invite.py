"""Behind a proxy the invitation names DLPLAY_PUBLIC_URL, the address students reach, not the server's own."""

from dlplay.classroom import invite


def test_the_public_url_wins_over_the_servers_own_address(monkeypatch):
    monkeypatch.delenv("DLPLAY_PUBLIC_URL", raising=False)
    assert invite.base_url("127.0.0.1", 8601) == "http://127.0.0.1:8601"  # Caddy's side of a web process
    monkeypatch.setenv("DLPLAY_PUBLIC_URL", "https://dlplay.school.example/")
    assert invite.base_url("127.0.0.1", 8601) == "https://dlplay.school.example"
    assert invite.base_url("0.0.0.0", 8501) == "https://dlplay.school.example"
    link = invite.class_link(invite.base_url("127.0.0.1", 8601), "digits", "K7QM2P")
    assert link == "https://dlplay.school.example/digits?class=K7QM2P"
    monkeypatch.setenv("DLPLAY_PUBLIC_URL", " 192.168.1.20:8080 ")  # as a teacher types it: no scheme
    assert invite.base_url("127.0.0.1", 8601) == "http://192.168.1.20:8080"
    monkeypatch.setenv("DLPLAY_PUBLIC_URL", "")  # set but empty: as if not set
    assert invite.base_url("127.0.0.1", 8601) == "http://127.0.0.1:8601"
